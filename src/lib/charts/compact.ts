import { aggregateSeries, bucketEnd, levelSharesByPeriod, nearestLevel, pickBucket, type AggregatePoint, type Bucket } from '../domain/aggregate';
import type { DatePrecision, Scale } from '../domain/types';
import type { ChartActor, ChartPoint, ChartSeries } from './stanceLine';
import { fromDay, toDay } from './timeAxis';

/**
 * A series as a page ships it: flat number arrays instead of objects, so a chart of eight busy
 * actors costs tens of kilobytes of HTML, not megabytes. Either `points` (every event in view) or,
 * when the series has more events in view than the chart has pixels, `periods` (aggregated).
 */
export interface CompactSeries {
	actor: string;
	/** Events in view. */
	events: number;
	bucket: Bucket | null;
	/** Per point: day (see timeAxis), position, event id, precision (0 day, 1 month, 2 year). */
	points: number[];
	/** Per period: first day, mean, min, max, count, changes. */
	periods: number[];
	/** Per period, for lanes: first day, count, changes, then level value and count pairs. */
	shares: number[][];
	/** Per point with an uncertainty interval: its index in `points` (a point is 4 numbers), low, high. */
	intervals?: number[];
	/** Per period with a mean uncertainty interval: its index in `periods` (a period is 6 numbers), mean low, mean high, events with one. */
	periodIntervals?: number[];
}

/** The chart width a page assumes before it knows the screen's (a desktop chart's plot area). */
export const ASSUMED_CHART_WIDTH = 1000;

const PRECISION: DatePrecision[] = ['day', 'month', 'year'];
const round = (n: number) => Math.round(n * 1000) / 1000;

/**
 * Packs one actor's points (in series order; the first may be the stance carried in from before
 * the range) for a chart of the given width: aggregated per month or year when the points in view
 * outnumber the pixels (see pickBucket), else as they are.
 */
export function packSeries({
	actor,
	points,
	range,
	width = ASSUMED_CHART_WIDTH,
	scale,
	lanes = false,
	bucket: forced
}: {
	actor: string;
	points: readonly ChartPoint[];
	range: { from: string; to: string };
	width?: number;
	scale: Scale;
	lanes?: boolean;
	/** A bucket chosen elsewhere (null: every event), instead of picking one from the width. */
	bucket?: Bucket | null;
}): CompactSeries {
	const events = points.filter((p) => p.date >= range.from && p.date <= range.to).length;
	const bucket = forced !== undefined ? forced : pickBucket({ from: range.from, to: range.to, width, events });
	const out: CompactSeries = { actor, events, bucket, points: [], periods: [], shares: [] };
	if (!bucket) {
		points.forEach((p, k) => {
			out.points.push(toDay(p.date), p.position, p.eventId, PRECISION.indexOf(p.datePrecision));
			if (p.positionLow != null && p.positionHigh != null) (out.intervals ??= []).push(k, p.positionLow, p.positionHigh);
		});
		return out;
	}
	if (lanes) {
		for (const p of levelSharesByPeriod({ points, bucket, scale, from: range.from, to: range.to })) {
			out.shares.push([toDay(p.date), p.count, p.changes, ...p.shares.flatMap((s) => [s.value, s.count])]);
		}
	} else {
		aggregateSeries({ points, bucket, from: range.from, to: range.to }).forEach((p, k) => {
			out.periods.push(toDay(p.date), round(p.mean), p.min, p.max, p.count, p.changes);
			if (p.interval) (out.periodIntervals ??= []).push(k, round(p.interval.low), round(p.interval.high), p.interval.events);
		});
	}
	return out;
}

/** Packs periods aggregated elsewhere (in SQL, for busy actors): the same shape as `packSeries` makes. */
export function packPeriods({
	actor,
	bucket,
	periods
}: {
	actor: string;
	bucket: Bucket;
	periods: readonly Omit<AggregatePoint, 'opening' | 'closing'>[];
}): CompactSeries {
	return {
		actor,
		events: periods.reduce((n, p) => n + p.count, 0),
		bucket,
		points: [],
		periods: periods.flatMap((p) => [toDay(p.date), round(p.mean), p.min, p.max, p.count, p.changes]),
		shares: []
	};
}

/** Packs a lane's periods from counts per position (read at the scale's nearest level) and the periods' changes. */
export function packShares({
	actor,
	bucket,
	counts,
	periods,
	scale
}: {
	actor: string;
	bucket: Bucket;
	counts: readonly { date: string; position: number; count: number }[];
	periods: readonly { date: string; count: number; changes: number }[];
	scale: Scale;
}): CompactSeries {
	const byPeriod = new Map<string, Map<number, number>>();
	for (const c of counts) {
		const levels = byPeriod.get(c.date) ?? new Map<number, number>();
		const v = nearestLevel(scale, c.position);
		levels.set(v, (levels.get(v) ?? 0) + c.count);
		byPeriod.set(c.date, levels);
	}
	return {
		actor,
		events: periods.reduce((n, p) => n + p.count, 0),
		bucket,
		points: [],
		periods: [],
		shares: periods.map((p) => [
			toDay(p.date),
			p.count,
			p.changes,
			...[...(byPeriod.get(p.date) ?? new Map<number, number>())].sort((a, b) => a[0] - b[0]).flat()
		])
	};
}

/** Unpacks a compact series into what the chart builders draw. */
export function unpackSeries(c: CompactSeries, actor: ChartActor): ChartSeries {
	const points: ChartPoint[] = [];
	for (let i = 0; i < c.points.length; i += 4) {
		points.push({ date: fromDay(c.points[i]!), position: c.points[i + 1]!, eventId: c.points[i + 2]!, datePrecision: PRECISION[c.points[i + 3]!] ?? 'day' });
	}
	const iv = c.intervals ?? [];
	for (let i = 0; i + 2 < iv.length; i += 3) {
		const p = points[iv[i]!];
		if (p) Object.assign(p, { positionLow: iv[i + 1]!, positionHigh: iv[i + 2]! });
	}
	if (!c.bucket) return { actor, points, bucket: null };
	const bucket = c.bucket;
	const periods = [];
	for (let i = 0; i < c.periods.length; i += 6) {
		const date = fromDay(c.periods[i]!);
		periods.push({
			date,
			end: bucketEnd(date, bucket),
			mean: c.periods[i + 1]!,
			min: c.periods[i + 2]!,
			max: c.periods[i + 3]!,
			count: c.periods[i + 4]!,
			changes: c.periods[i + 5]!,
			opening: null,
			closing: c.periods[i + 1]!
		});
	}
	const pv = c.periodIntervals ?? [];
	for (let i = 0; i + 3 < pv.length; i += 4) {
		const p = periods[pv[i]!];
		if (p) Object.assign(p, { interval: { low: pv[i + 1]!, high: pv[i + 2]!, events: pv[i + 3]! } });
	}
	const shares = c.shares.map((row) => {
		const date = fromDay(row[0]!);
		const levels = [];
		for (let i = 3; i < row.length; i += 2) levels.push({ value: row[i]!, count: row[i + 1]!, share: row[i + 1]! / row[1]! });
		return { date, end: bucketEnd(date, bucket), count: row[1]!, changes: row[2]!, shares: levels, opening: null, closing: levels.at(-1)?.value ?? 0 };
	});
	return { actor, points, bucket, periods: c.periods.length ? periods : null, shares: c.shares.length ? shares : null };
}

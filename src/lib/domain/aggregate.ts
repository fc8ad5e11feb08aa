import { daysBetween, fromTime, periodEnd, periodStart } from './dates';
import { sortedLabels } from './scale';
import type { Scale } from './types';

/**
 * Aggregating a step series per calendar period, for charts with more events in view than pixels.
 *
 * The promise (tested in tests/unit/domain/aggregate.test.ts): aggregation never hides a change
 * of stance. A change is a pair of consecutive points whose positions differ (as in
 * `detectChanges`). For every change `p -> q`, the period that holds `q` has a band (min..max)
 * that spans the whole move, because a period's band covers every stance *held* during it: the
 * events dated in it and the stance carried in from before it. A change that lands in a period is
 * also counted in that period's `changes`, so a chart can mark periods whose stance moved even
 * when their mean did not. What aggregation drops is only the order of events inside one period,
 * which the unaggregated chart cannot show either once a period is narrower than a few pixels
 * (`pickBucket` aggregates only then).
 */

export const BUCKETS = ['month', 'year'] as const;
export type Bucket = (typeof BUCKETS)[number];

/** The least a point needs to be aggregated: its date (start of its period) and position. */
export interface PositionAt {
	date: string;
	position: number;
	/** The event's uncertainty interval, when it has one. */
	positionLow?: number | null;
	positionHigh?: number | null;
}

/** One period of an aggregated series. */
export interface AggregatePoint {
	/** First day of the period (YYYY-MM-01 or YYYY-01-01). */
	date: string;
	/** Last day of the period. */
	end: string;
	/** Mean position of the events dated in the period. */
	mean: number;
	/** Lowest stance held at any time in the period, including the one carried in from before. */
	min: number;
	/** Highest stance held at any time in the period, including the one carried in from before. */
	max: number;
	/** Events dated in the period. */
	count: number;
	/** Stance held when the period opens (the last earlier event's), or null when none came before. */
	opening: number | null;
	/** Stance held when the period closes: its last event's position. */
	closing: number;
	/** Changes of stance landing in the period, the move from the carried-in stance included. */
	changes: number;
	/**
	 * The period's mean uncertainty interval: the mean lower and upper bounds of its events that
	 * have one, and how many do (absent when none does).
	 */
	interval?: { low: number; high: number; events: number };
}

/** The first day of the period of the given kind that contains a date. */
export function bucketStart(date: string, bucket: Bucket): string {
	return periodStart(date, bucket);
}

/** The last day of the period of the given kind that contains a date. */
export function bucketEnd(date: string, bucket: Bucket): string {
	return periodEnd(date, bucket);
}

/** The first day of the period after the one that contains a date. */
export function nextBucket(date: string, bucket: Bucket): string {
	const y = Number(date.slice(0, 4));
	if (bucket === 'year') return `${String(y + 1).padStart(4, '0')}-01-01`;
	const m = Number(date.slice(5, 7));
	return fromTime(Date.UTC(y, m, 1));
}

/**
 * Aggregates one series (points in series order: by date, then recording order) per period.
 * Only periods with events come out; a quiet stretch keeps the last stance, which a chart draws
 * from the previous period's `closing`. Points before `from` only supply the carried-in stance;
 * periods after `to` are left out.
 * @example aggregateSeries({ points: [{ date: '2020-01-05', position: 1 }, { date: '2020-01-20', position: -1 }], bucket: 'month' })
 * // [{ date: '2020-01-01', end: '2020-01-31', mean: 0, min: -1, max: 1, count: 2, opening: null, closing: -1, changes: 1 }]
 */
export function aggregateSeries({
	points,
	bucket,
	from = null,
	to = null
}: {
	points: readonly PositionAt[];
	bucket: Bucket;
	from?: string | null;
	to?: string | null;
}): AggregatePoint[] {
	const out: AggregatePoint[] = [];
	const firstPeriod = from ? bucketStart(from, bucket) : null;
	let held: number | null = null;
	let current: (AggregatePoint & { sum: number; lows: number; highs: number; banded: number }) | null = null;
	const close = () => {
		if (!current) return;
		const { sum, lows, highs, banded, ...rest } = current;
		out.push({ ...rest, mean: sum / current.count, ...(banded ? { interval: { low: lows / banded, high: highs / banded, events: banded } } : {}) });
		current = null;
	};
	for (const p of points) {
		const start = bucketStart(p.date, bucket);
		if (firstPeriod !== null && start < firstPeriod) {
			held = p.position;
			continue;
		}
		if (to !== null && p.date > to) break;
		if (!current || current.date !== start) {
			close();
			const opening: number | null = held;
			current = {
				date: start,
				end: bucketEnd(start, bucket),
				mean: 0,
				sum: 0,
				lows: 0,
				highs: 0,
				banded: 0,
				min: opening ?? p.position,
				max: opening ?? p.position,
				count: 0,
				opening,
				closing: p.position,
				changes: 0
			};
		}
		if (held !== null && held !== p.position) current.changes += 1;
		current.sum += p.position;
		current.count += 1;
		if (p.positionLow != null && p.positionHigh != null) {
			current.lows += p.positionLow;
			current.highs += p.positionHigh;
			current.banded += 1;
		}
		if (p.position < current.min) current.min = p.position;
		if (p.position > current.max) current.max = p.position;
		current.closing = p.position;
		held = p.position;
	}
	close();
	return out;
}

/** The share of one scale level among a period's events. */
export interface LevelShare {
	/** The labelled value the events' positions are nearest to. */
	value: number;
	count: number;
	/** count / events in the period, 0..1. */
	share: number;
}

/** One period of a lane: how its events split over the scale's levels. */
export interface LanePeriod {
	date: string;
	end: string;
	count: number;
	/** Levels with at least one event, from the scale's min to its max. */
	shares: LevelShare[];
	/** Level of the stance carried in from before the period, or null. */
	opening: number | null;
	/** Level of the period's last event. */
	closing: number;
	changes: number;
}

/** The labelled value nearest a position (ties toward the scale's midpoint, as `labelFor`). */
export function nearestLevel(scale: Scale, position: number): number {
	const labels = sortedLabels(scale);
	if (!labels.length) return position;
	const mid = (scale.min + scale.max) / 2;
	let best = labels[0]!.value;
	for (const l of labels) {
		const d = Math.abs(l.value - position);
		const bd = Math.abs(best - position);
		if (d < bd || (d === bd && Math.abs(l.value - mid) < Math.abs(best - mid))) best = l.value;
	}
	return best;
}

/**
 * The share of each scale level per period, for lane charts. Positions are read at their nearest
 * labelled level. A change of stance is kept as in `aggregateSeries`: `opening`, `closing` and
 * `changes` say when a period's stance moved, even when its shares look like the last period's.
 */
export function levelSharesByPeriod({
	points,
	bucket,
	scale,
	from = null,
	to = null
}: {
	points: readonly PositionAt[];
	bucket: Bucket;
	scale: Scale;
	from?: string | null;
	to?: string | null;
}): LanePeriod[] {
	const levels = points.map((p) => ({ date: p.date, position: nearestLevel(scale, p.position) }));
	const periods = aggregateSeries({ points: levels, bucket, from, to });
	const out: LanePeriod[] = [];
	let i = 0;
	for (const period of periods) {
		const counts = new Map<number, number>();
		while (i < levels.length && levels[i]!.date < period.date) i++;
		for (; i < levels.length && levels[i]!.date <= period.end; i++) {
			const v = levels[i]!.position;
			counts.set(v, (counts.get(v) ?? 0) + 1);
		}
		out.push({
			date: period.date,
			end: period.end,
			count: period.count,
			shares: [...counts]
				.sort((a, b) => a[0] - b[0])
				.map(([value, count]) => ({ value, count, share: count / period.count })),
			opening: period.opening,
			closing: period.closing,
			changes: period.changes
		});
	}
	return out;
}

/** A chart narrower than this many pixels per period aggregates by year instead of by month. */
export const MIN_PX_PER_PERIOD = 4;

/**
 * The bucket a chart draws a series in: null (every event) while the series has no more events in
 * view than the chart has pixels across, else months when each month gets at least
 * MIN_PX_PER_PERIOD pixels, else years.
 * @example pickBucket({ from: '2000-01-01', to: '2020-01-01', width: 1000, events: 5000 }) === 'year'
 */
export function pickBucket({
	from,
	to,
	width,
	events
}: {
	from: string;
	to: string;
	/** The chart area's width in CSS pixels. */
	width: number;
	/** Events of the series (or the busiest series) in view. */
	events: number;
}): Bucket | null {
	if (events <= Math.max(1, width)) return null;
	const months = Math.max(1, daysBetween(from, to) / 30.44);
	return months * MIN_PX_PER_PERIOD <= width ? 'month' : 'year';
}

/** The sentence a chart shows when it is aggregated: "Monthly averages of 12,345 events". */
export function aggregationNote(bucket: Bucket, events: number): string {
	return `${bucket === 'month' ? 'Monthly' : 'Yearly'} averages of ${events.toLocaleString('en-GB')} events`;
}


import { addDays, daysBetween } from './dates';
import { levelStep } from './scale';
import { stanceAt, type Series, type SeriesPoint } from './series';
import type { Scale } from './types';

/** One moment on a shared time axis: each series' stance then (null before its first point). */
export interface AlignedRow {
	date: string;
	stances: (SeriesPoint | null)[];
}

/**
 * Puts several series on one time axis: a row at every date where any series has a point, each
 * holding every series' stance at that date. Rows are in date order, one per date.
 * @example alignSeries([colombia, us]) // [{ date: '2025-11-11', stances: [halt, null] }, ...]
 */
export function alignSeries(seriesList: readonly Series[]): AlignedRow[] {
	const dates = [...new Set(seriesList.flatMap((s) => s.points.map((p) => p.date)))].sort();
	return dates.map((date) => ({ date, stances: seriesList.map((s) => stanceAt(s, date)) }));
}

/** A stretch of time over which two actors stand at least `threshold` scale points apart. `to` is exclusive; null means still apart. */
export interface DivergenceInterval {
	from: string;
	to: string | null;
	/** The largest gap within the interval, in scale points. */
	maxGap: number;
}

/**
 * Where two series stand at least `threshold` apart, as intervals. Before either has a stance
 * there is no comparison. Adjacent stretches merge.
 */
export function divergenceIntervals({
	a,
	b,
	threshold
}: {
	a: Series;
	b: Series;
	threshold: number;
}): DivergenceInterval[] {
	const out: DivergenceInterval[] = [];
	let open: DivergenceInterval | null = null;
	for (const row of alignSeries([a, b])) {
		const [sa, sb] = row.stances;
		const gap = sa && sb ? Math.abs(sa.position - sb.position) : null;
		if (gap !== null && gap >= threshold) {
			if (open) open.maxGap = Math.max(open.maxGap, gap);
			else {
				open = { from: row.date, to: null, maxGap: gap };
				out.push(open);
			}
		} else if (open) {
			open.to = row.date;
			open = null;
		}
	}
	return out;
}

/** A sentence on two actors' divergence: "Colombia and the United States diverged from 11 November 2025." */
export function describeDivergence({
	intervals,
	nameA,
	nameB,
	threshold,
	formatDate
}: {
	intervals: readonly DivergenceInterval[];
	nameA: string;
	nameB: string;
	threshold: number;
	formatDate: (date: string) => string;
}): string {
	const pair = `${nameA} and ${nameB}`;
	if (intervals.length === 0) return `${pair} never stood ${threshold} or more points apart.`;
	const parts = intervals.map((i) => {
		if (!i.to) return `from ${formatDate(i.from)}`;
		const last = addDays(i.to, -1);
		return last === i.from ? `on ${formatDate(i.from)}` : `from ${formatDate(i.from)} to ${formatDate(last)}`;
	});
	const last = intervals.at(-1)!;
	const tail = last.to === null ? ' and still do' : '';
	return `${pair} diverged (${threshold}+ points apart) ${parts.join(', and again ')}${tail}.`;
}

/** Speakers of one actor holding different positions on one issue within a short time. */
export interface MixedSignal {
	actor: string;
	issue: string;
	from: string;
	/** The date of the last conflicting statement: after it, one position prevails. */
	to: string;
	eventIds: number[];
	/** Who said what, in date order. */
	voices: { speaker: string | null; position: number; date: string; eventId: number }[];
}

/** Statements further apart than this are not read as one episode of mixed signals. */
export const MIXED_SIGNAL_DAYS = 7;

/**
 * Finds mixed signals in a series: two events of the actor by different speakers (the actor
 * itself counts as a speaker when none is named), within `windowDays` of each other, at least
 * one level of the scale apart. Overlapping pairs merge into one episode. Events dated only to
 * a month or a year are left out: their order within the period is unknown.
 */
export function mixedSignals({
	series,
	scale,
	windowDays = MIXED_SIGNAL_DAYS
}: {
	series: Series;
	scale: Scale;
	windowDays?: number;
}): MixedSignal[] {
	const minGap = levelStep(scale);
	const pts = series.points.filter((p) => p.datePrecision === 'day');
	const episodes: MixedSignal[] = [];
	let current: { from: string; to: string; ids: Set<number> } | null = null;
	const close = () => {
		if (!current) return;
		const voices = pts
			.filter((p) => current!.ids.has(p.eventId))
			.map((p) => ({ speaker: p.event.speaker, position: p.position, date: p.date, eventId: p.eventId }));
		episodes.push({
			actor: series.actor,
			issue: series.issue,
			from: current.from,
			to: current.to,
			eventIds: voices.map((v) => v.eventId),
			voices
		});
		current = null;
	};
	for (let i = 0; i < pts.length; i++) {
		for (let j = i + 1; j < pts.length; j++) {
			const p = pts[i]!;
			const q = pts[j]!;
			if (daysBetween(p.date, q.date) > windowDays) break;
			const voiceP = p.event.speaker ?? p.event.actor;
			const voiceQ = q.event.speaker ?? q.event.actor;
			if (voiceP === voiceQ || Math.abs(p.position - q.position) < minGap) continue;
			if (current && p.date <= current.to) {
				current.ids.add(p.eventId).add(q.eventId);
				if (q.date > current.to) current.to = q.date;
			} else {
				close();
				current = { from: p.date, to: q.date, ids: new Set([p.eventId, q.eventId]) };
			}
		}
	}
	close();
	return episodes;
}

import { periodStart } from './dates';
import type { DatePrecision, StanceEvent } from './types';

export interface SeriesPoint {
	/** Where the point sits in time: the start of its date's period. */
	date: string;
	datePrecision: DatePrecision;
	position: number;
	eventId: number;
	event: StanceEvent;
}

/** One actor's positions on one issue, in date order. */
export interface Series {
	actor: string;
	issue: string;
	points: SeriesPoint[];
}

/** A stretch of time over which one stance holds. `to` is exclusive; null means still holding. */
export interface Step {
	from: string;
	to: string | null;
	position: number;
	point: SeriesPoint;
}

/**
 * Orders events the way a series reads them: by the start of their date's period, then by when
 * they were recorded, then by id. Events known only to a month sort before the days of that month.
 */
export function compareEvents(a: StanceEvent, b: StanceEvent): number {
	const da = periodStart(a.date, a.datePrecision);
	const db = periodStart(b.date, b.datePrecision);
	if (da !== db) return da < db ? -1 : 1;
	if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
	return a.id - b.id;
}

/**
 * Builds one series per (actor, issue) from events, keeping every event: two events on one day
 * are two points, the later-recorded one last. Series come out in order of first appearance.
 */
export function buildSeries({ events }: { events: readonly StanceEvent[] }): Series[] {
	const byKey = new Map<string, Series>();
	for (const event of [...events].sort(compareEvents)) {
		const key = `${event.actor}\u0000${event.issue}`;
		let series = byKey.get(key);
		if (!series) {
			series = { actor: event.actor, issue: event.issue, points: [] };
			byKey.set(key, series);
		}
		series.points.push({
			date: periodStart(event.date, event.datePrecision),
			datePrecision: event.datePrecision,
			position: event.position,
			eventId: event.id,
			event
		});
	}
	return [...byKey.values()];
}

/**
 * The stance at a date: the latest point on or before it (a stance holds until the next event).
 * @example stanceAt(series, '2025-11-12') // Petro's Nov 11 "Halt", not Sánchez's Nov 13 "Maintain"
 */
export function stanceAt(series: Series, date: string): SeriesPoint | null {
	const pts = series.points;
	let lo = 0;
	let hi = pts.length - 1;
	let found: SeriesPoint | null = null;
	while (lo <= hi) {
		const mid = (lo + hi) >> 1;
		if (pts[mid]!.date <= date) {
			found = pts[mid]!;
			lo = mid + 1;
		} else hi = mid - 1;
	}
	return found;
}

/** The latest point of a series, i.e. the actor's current stance on the issue. */
export function latest(series: Series): SeriesPoint | null {
	return series.points.at(-1) ?? null;
}

/**
 * The steps of a series: each point's stance holds until the next point with a later date.
 * Points that share a date collapse into the last recorded one.
 */
export function toSteps(series: Series): Step[] {
	const steps: Step[] = [];
	for (const point of series.points) {
		const prev = steps.at(-1);
		if (prev && prev.from === point.date) {
			prev.position = point.position;
			prev.point = point;
			continue;
		}
		if (prev) prev.to = point.date;
		steps.push({ from: point.date, to: null, position: point.position, point });
	}
	return steps;
}

/** Earliest and latest point dates over several series, or null when there are no points. */
export function dateExtent(seriesList: readonly Series[]): { from: string; to: string } | null {
	let from: string | null = null;
	let to: string | null = null;
	for (const s of seriesList) {
		for (const p of s.points) {
			if (from === null || p.date < from) from = p.date;
			if (to === null || p.date > to) to = p.date;
		}
	}
	return from && to ? { from, to } : null;
}

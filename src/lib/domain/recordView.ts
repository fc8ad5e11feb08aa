/**
 * Pages built from a list of events held in memory (the record as of a moment, rebuilt from the
 * history): what the issue page otherwise reads from SQL, computed here with the same rules.
 */
import { EVENTS_PER_PAGE, type EventQuery } from './eventQuery';
import type { StanceEvent } from './types';

/** Per actor: live events, first and last dates, and the first date known to the month or day. */
export function activityOf(events: readonly StanceEvent[]): Map<string, { events: number; first: string; last: string; firstFiner: string | null }> {
	const out = new Map<string, { events: number; first: string; last: string; firstFiner: string | null }>();
	for (const e of events) {
		const a = out.get(e.actor);
		const finer = e.datePrecision === 'year' ? null : e.date;
		if (!a) {
			out.set(e.actor, { events: 1, first: e.date, last: e.date, firstFiner: finer });
			continue;
		}
		a.events++;
		if (e.date < a.first) a.first = e.date;
		if (e.date > a.last) a.last = e.date;
		if (finer && (!a.firstFiner || finer < a.firstFiner)) a.firstFiner = finer;
	}
	return out;
}

/**
 * One actor's chart points within [from, to], preceded by its last point before `from` (the
 * stance carried in from the left edge). `events` are in series order.
 */
export function pointsInRange(events: readonly StanceEvent[], actor: string, range: { from: string; to: string }) {
	const mine = events.filter((e) => e.actor === actor);
	const before = mine.filter((e) => e.date < range.from).at(-1);
	return [...(before ? [before] : []), ...mine.filter((e) => e.date >= range.from && e.date <= range.to)].map((e) => ({
		eventId: e.id,
		date: e.date,
		datePrecision: e.datePrecision,
		position: e.position,
		...(e.positionLow != null && e.positionHigh != null ? { positionLow: e.positionLow, positionHigh: e.positionHigh } : {})
	}));
}

/**
 * One page of an events table over events in series order: the query's filters (actor, speaker,
 * kind, dates), its sort and page, as the SQL table does.
 */
export function tablePage(events: readonly StanceEvent[], query: EventQuery, perPage = EVENTS_PER_PAGE) {
	const rows = events.filter(
		(e) =>
			(!query.actor || e.actor === query.actor) &&
			(!query.speaker || e.speaker === query.speaker) &&
			(!query.kind || e.kind === query.kind) &&
			(!query.from || e.date >= query.from) &&
			(!query.to || e.date <= query.to)
	);
	const ordered = query.sort === 'desc' ? [...rows].reverse() : rows;
	const pages = Math.max(1, Math.ceil(rows.length / perPage));
	const page = Math.min(query.page, pages);
	return { total: rows.length, capped: false, pages, page, events: ordered.slice((page - 1) * perPage, page * perPage) };
}

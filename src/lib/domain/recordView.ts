/**
 * Events tables over events held in memory (the events a page pinned to a moment sets back from
 * the history): the SQL table's order and filters, and the merge of the two.
 */
import type { EventQuery } from './eventQuery';
import type { StanceEvent } from './types';

/** The events table's order: by date, then recording time, then id. */
export function tableOrder(a: Pick<StanceEvent, 'date' | 'createdAt' | 'id'>, b: Pick<StanceEvent, 'date' | 'createdAt' | 'id'>): number {
	return (a.date < b.date ? -1 : a.date > b.date ? 1 : 0) || ((a.createdAt ?? '') < (b.createdAt ?? '') ? -1 : (a.createdAt ?? '') > (b.createdAt ?? '') ? 1 : 0) || a.id - b.id;
}

/**
 * Whether an event passes an events table's filters, as the SQL table reads them: a month- or
 * year-dated event belongs to the dates its period overlaps.
 */
export function matchesQuery(e: StanceEvent, q: EventQuery): boolean {
	if (q.actor && e.actor !== q.actor) return false;
	if (q.speaker && e.speaker !== q.speaker) return false;
	if (q.kind && e.kind !== q.kind) return false;
	if (q.from && e.date < q.from && !(e.datePrecision === 'year' && e.date >= `${q.from.slice(0, 4)}-01-01`) && !(e.datePrecision === 'month' && e.date >= `${q.from.slice(0, 7)}-01`)) return false;
	if (q.to && e.date > q.to) return false;
	return true;
}

/**
 * One page of a table that merges two sorted lists: a long one read from SQL, of which `rows` is
 * the window from position `start` on, and a short one held whole (`extra`: events set back from
 * the history). The caller reads the window from `offset - extra.length` (at least 0) to
 * `offset + limit`: every row of the page is then in hand, and the page starts where `rows[0]`
 * lands in the merged list plus the extras before it.
 * @example mergedPage({ extra: [e3], rows: [e1, e5], start: 0, offset: 0, limit: 2, desc: false }) // [e1, e3]
 */
export function mergedPage<T extends Pick<StanceEvent, 'date' | 'createdAt' | 'id'>>({
	extra,
	rows,
	start,
	offset,
	limit,
	desc
}: {
	extra: readonly T[];
	rows: readonly T[];
	start: number;
	offset: number;
	limit: number;
	desc: boolean;
}): T[] {
	const cmp = (a: T, b: T) => (desc ? -tableOrder(a, b) : tableOrder(a, b));
	let s = [...extra].sort(cmp);
	// Where the window's first row lands in the merged list.
	let at = 0;
	if (start > 0) {
		// Past the end of the long list: the merged list ends before `offset` (see above).
		if (!rows.length) return [];
		const before = s.filter((x) => cmp(x, rows[0]!) < 0).length;
		at = start + before;
		s = s.slice(before);
	}
	const merged: T[] = [];
	let i = 0;
	let j = 0;
	while (merged.length < offset - at + limit && (i < rows.length || j < s.length)) {
		if (j >= s.length || (i < rows.length && cmp(rows[i]!, s[j]!) <= 0)) merged.push(rows[i++]!);
		else merged.push(s[j++]!);
	}
	return merged.slice(offset - at, offset - at + limit);
}

import { isIsoDate } from './dates';
import { EVENT_KINDS, type EventKind } from './types';
import type { ViewProblem } from './view';

/** Rows per page of an events table. */
export const EVENTS_PER_PAGE = 50;

/** What an events table shows, as its URL says it: filters, sort and page. */
export interface EventQuery {
	/** Events of this actor (as the actor). */
	actor: string | null;
	/** Events said by this speaker. */
	speaker: string | null;
	kind: EventKind | null;
	from: string | null;
	to: string | null;
	sort: 'asc' | 'desc';
	/** From 1. */
	page: number;
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * Reads an events table's query from URL parameters. Bad values are reported and ignored, so the
 * table still shows; empty fields (a GET form's blanks) mean "any".
 */
export function parseEventQuery(
	params: URLSearchParams,
	defaults: { sort?: 'asc' | 'desc' } = {}
): { query: EventQuery; problems: ViewProblem[] } {
	const problems: ViewProblem[] = [];
	const text = (key: string) => params.get(key)?.trim() || null;
	const slug = (key: string) => {
		const v = text(key);
		if (v === null || SLUG.test(v)) return v;
		problems.push({ parameter: key, message: `"${v}" is not a valid name in a link` });
		return null;
	};
	const date = (key: string) => {
		const v = text(key);
		if (v === null || isIsoDate(v)) return v;
		problems.push({ parameter: key, message: `"${v}" is not a date (YYYY-MM-DD)` });
		return null;
	};
	const kindParam = text('kind');
	const kind = kindParam && (EVENT_KINDS as readonly string[]).includes(kindParam) ? (kindParam as EventKind) : null;
	if (kindParam && !kind) problems.push({ parameter: 'kind', message: `"${kindParam}" is not a kind of event (${EVENT_KINDS.join(', ')})` });
	const sortParam = text('sort');
	const sort = sortParam === 'asc' || sortParam === 'desc' ? sortParam : (defaults.sort ?? 'asc');
	if (sortParam && sortParam !== sort) problems.push({ parameter: 'sort', message: `"${sortParam}" is not a sort order (asc or desc)` });
	const pageParam = text('page');
	let page = 1;
	if (pageParam) {
		if (/^[1-9]\d{0,6}$/.test(pageParam)) page = Number(pageParam);
		else problems.push({ parameter: 'page', message: `"${pageParam}" is not a page number` });
	}
	let from = date('from');
	let to = date('to');
	if (from && to && from > to) {
		problems.push({ parameter: 'to', message: 'is before from; the dates were swapped' });
		[from, to] = [to, from];
	}
	return { query: { actor: slug('actor'), speaker: slug('speaker'), kind, from, to, sort, page }, problems };
}

/** The number of pages for a total (at least one, so an empty table still has page 1). */
export function pageCount(total: number, perPage = EVENTS_PER_PAGE): number {
	return Math.max(1, Math.ceil(total / perPage));
}

/**
 * A link to the same page with some parameters changed (null removes one). Changing a filter or
 * the sort goes back to page 1, since the old page number means nothing in the new listing.
 */
export function withParams(url: URL, changes: Record<string, string | number | null>): string {
	const u = new URL(url);
	const keys = Object.keys(changes);
	if (!keys.includes('page')) u.searchParams.delete('page');
	for (const [k, v] of Object.entries(changes)) {
		if (v === null || v === '') u.searchParams.delete(k);
		else u.searchParams.set(k, String(v));
	}
	return `${u.pathname}${u.search}`;
}

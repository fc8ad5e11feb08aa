import { addDays, daysBetween } from './dates';

/** An actor with events on an issue, as the issue page's picker lists it. */
export interface ActorActivity {
	slug: string;
	name: string;
	/** Live events of the actor on the issue. */
	events: number;
	/** An editor marked the actor as featured for the issue; null when not. */
	featured: number | null;
}

/** How many actors an issue page charts when nobody chose. */
export const DEFAULT_SHOWN = 8;

/**
 * The actors an issue page charts when the URL names none: every actor an editor featured for the
 * issue (in the editor's order), else the most active ones (ties by name), up to `limit`. An issue
 * with no more actors than the limit shows them all.
 * @example defaultSelection({ actors, limit: 8 }) // featured ['colombia', 'united-states'] win over busier actors
 */
export function defaultSelection({ actors, limit = DEFAULT_SHOWN }: { actors: readonly ActorActivity[]; limit?: number }): string[] {
	const featured = actors.filter((a) => a.featured !== null).sort((a, b) => a.featured! - b.featured! || a.name.localeCompare(b.name));
	if (featured.length) return featured.map((a) => a.slug);
	return [...actors]
		.sort((a, b) => b.events - a.events || a.name.localeCompare(b.name))
		.slice(0, limit)
		.map((a) => a.slug);
}

/**
 * The actors a view charts: the ones asked for that have events on the issue (in the order asked),
 * else the default selection. Unknown or quiet slugs are returned apart, to report them.
 */
export function resolveSelection({
	asked,
	actors,
	limit = DEFAULT_SHOWN
}: {
	asked: readonly string[];
	actors: readonly ActorActivity[];
	limit?: number;
}): { shown: string[]; ignored: string[]; isDefault: boolean } {
	const known = new Set(actors.map((a) => a.slug));
	const shown = [...new Set(asked)].filter((s) => known.has(s));
	const ignored = asked.filter((s) => !known.has(s));
	if (shown.length) return { shown, ignored, isDefault: false };
	return { shown: defaultSelection({ actors, limit }), ignored, isDefault: true };
}

/**
 * The range an issue page shows when its URL gives no dates: from the first to the last event of
 * the shown actors, padded by a tenth of the span (at least a week) so the last stance visibly
 * holds. A date given in the URL wins for its end.
 */
export function selectionRange({
	actors,
	shown,
	from,
	to,
	today
}: {
	actors: readonly { slug: string; first: string; last: string }[];
	shown: readonly string[];
	from: string | null;
	to: string | null;
	today: string;
}): { from: string; to: string } {
	const chosen = actors.filter((a) => shown.includes(a.slug));
	let first = chosen.reduce<string | null>((m, a) => (m === null || a.first < m ? a.first : m), null);
	let last = chosen.reduce<string | null>((m, a) => (m === null || a.last > m ? a.last : m), null);
	if (first === null || last === null) {
		first = addDays(today, -30);
		last = today;
	}
	const pad = Math.max(7, Math.round(daysBetween(first, last) / 10));
	return { from: from ?? addDays(first, -pad), to: to ?? addDays(last, pad) };
}

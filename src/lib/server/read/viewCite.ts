/** What the compare page and the embed do alike with a loaded view: refuse an unreadable ?asof=, and pin its citation. */
import { error } from '@sveltejs/kit';
import type { Db } from '../db/client';
import { cachedPin } from '../queries/asof';
import type { LoadedView } from '../queries/view';

/** A view whose ?asof= cannot be read is a 400 naming the parameter, as on every page. */
export function refuseUnreadableAsof(loaded: Pick<LoadedView, 'problems'>): void {
	const bad = loaded.problems.find((p) => p.parameter === 'asof');
	if (bad) error(400, `parameter "asof" ${bad.message}, e.g. 2025-11-12 or 2025-11-12T08:30:00Z`);
}

/** Cite this chart: the view pinned to its own asof, else to the latest change it includes (it shows an issue or more). */
export async function viewPin(db: Db, loaded: Pick<LoadedView, 'asof' | 'view' | 'shownIssues'>): Promise<string> {
	return loaded.asof ?? (await cachedPin(db, { actors: loaded.view.actors, issues: loaded.shownIssues }));
}

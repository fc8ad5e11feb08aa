import type { Db } from '../db/client';
import { buildSeries, type Series } from '../../domain/series';
import type { Actor, Issue, StanceEvent } from '../../domain/types';
import * as actors from './actors';
import * as events from './events';
import * as issues from './issues';

export type IssueSeries =
	| { ok: true; issue: Issue; series: Series[]; events: StanceEvent[]; actors: Actor[] }
	| { ok: false; error: string };

/**
 * One issue's series: for the given actors in the order given, or with no actors for every actor
 * that has events on the issue (by name). Unknown slugs are an error naming them.
 */
export async function forIssue(
	db: Db,
	{ issue: slug, actors: wanted }: { issue: string; actors?: readonly string[] }
): Promise<IssueSeries> {
	const [issue, allActors] = await Promise.all([issues.bySlug(db, slug), actors.list(db)]);
	if (!issue) return { ok: false, error: `unknown issue "${slug}"` };
	const bySlug = new Map(allActors.map((a) => [a.slug, a]));
	const unknown = (wanted ?? []).filter((s) => !bySlug.has(s));
	if (unknown.length) return { ok: false, error: `unknown actor${unknown.length > 1 ? 's' : ''} ${unknown.map((s) => `"${s}"`).join(', ')}` };
	const { events: list } = await events.list(db, { issue: slug, actors: wanted });
	let series = buildSeries({ events: list });
	if (wanted) {
		const order = new Map(wanted.map((s, i) => [s, i]));
		series = series.sort((a, b) => order.get(a.actor)! - order.get(b.actor)!);
	} else {
		series = series.sort((a, b) => bySlug.get(a.actor)!.name.localeCompare(bySlug.get(b.actor)!.name));
	}
	return { ok: true, issue, series, events: list, actors: allActors };
}

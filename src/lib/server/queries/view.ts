import type { Db } from '../db/client';
import { compareSearch, parseCompareView, type CompareView, type ViewProblem } from '../../domain/view';
import type { Actor, Issue, StanceEvent } from '../../domain/types';
import * as actors from './actors';
import * as events from './events';
import { eventsAsOf } from './asof';
import { parseAsOf } from '../../domain/asof';

function withAsOf(search: string, asof: string | null): string {
	if (!asof) return search;
	return `${search}${search ? '&' : '?'}asof=${encodeURIComponent(asof)}`;
}
import * as issues from './issues';

export interface LoadedView {
	/** The view as its URL says it, with unknown slugs left out. */
	view: CompareView;
	problems: ViewProblem[];
	/** Unknown slugs, by kind: for endpoints that must refuse them. */
	unknown: { actors: string[]; issues: string[] };
	/** The issues shown: those asked for, else every issue the actors have a stance on. */
	shownIssues: string[];
	/** The actors shown: those asked for, else every actor with a stance on the issues. */
	shownActors: string[];
	actors: Actor[];
	issues: Issue[];
	/** Events of the shown actors on the shown issues (all dates: the model picks the range). */
	events: StanceEvent[];
	/** The canonical query string of the view (with its `asof`, when pinned to a moment). */
	search: string;
	/** The moment the view is pinned to (ISO date-time), or null for the current record. */
	asof: string | null;
}

/**
 * Reads a view (compare page, exports, embeds) from URL parameters and loads what it shows.
 * `issue=` is accepted as a one-issue `issues=`; with issues but no actors, every actor with a
 * stance on those issues is shown (an issue page's view).
 */
export async function loadView(db: Db, params: URLSearchParams): Promise<LoadedView> {
	const merged = new URLSearchParams(params);
	const single = merged.get('issue');
	if (single) {
		merged.delete('issue');
		merged.append('issues', single);
	}
	const [actorList, issueList] = await Promise.all([actors.list(db), issues.list(db)]);
	const { view, problems } = parseCompareView(merged);
	const unknown = { actors: [] as string[], issues: [] as string[] };
	const known = (list: string[], have: Set<string>, key: 'actors' | 'issues', what: string) =>
		list.filter((slug) => {
			if (have.has(slug)) return true;
			unknown[key].push(slug);
			problems.push({ parameter: key, message: `unknown ${what} "${slug}" was left out` });
			return false;
		});
	view.actors = known(view.actors, new Set(actorList.map((a) => a.slug)), 'actors', 'actor');
	view.issues = known(view.issues, new Set(issueList.map((i) => i.slug)), 'issues', 'issue');
	if (view.focus && !view.actors.includes(view.focus)) view.focus = null;

	// ?asof=: the record as it stood then (a cited chart), rebuilt from the history.
	const asofParam = params.get('asof');
	let asof: string | null = null;
	if (asofParam !== null) {
		const parsed = parseAsOf(asofParam);
		if ('error' in parsed) problems.push({ parameter: 'asof', message: parsed.error });
		else asof = parsed.at;
	}
	const load = (f: { actors?: string[]; issues?: string[] }) => (asof ? eventsAsOf(db, f, asof) : events.list(db, f).then((r) => r.events));

	let list: StanceEvent[] = [];
	let shownActors = view.actors;
	if (view.actors.length) {
		list = await load({ actors: view.actors, issues: view.issues.length ? view.issues : undefined });
	} else if (view.issues.length) {
		list = await load({ issues: view.issues });
		const present = new Set(list.map((e) => e.actor));
		shownActors = actorList.filter((a) => present.has(a.slug)).map((a) => a.slug);
	}
	const onIssues = new Set(list.map((e) => e.issue));
	const shownIssues = view.issues.length ? view.issues : issueList.filter((i) => onIssues.has(i.slug)).map((i) => i.slug);
	return {
		view,
		problems,
		unknown,
		shownIssues,
		shownActors,
		actors: actorList,
		issues: issueList,
		events: list,
		asof,
		search: withAsOf(compareSearch(view), asofParam !== null && asof ? asofParam : null)
	};
}

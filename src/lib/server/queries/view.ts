import type { Db } from '../db/client';
import { compareSearch, parseCompareView, type CompareView, type ViewProblem } from '../../domain/view';
import type { Actor, Issue, StanceEvent } from '../../domain/types';
import * as actors from './actors';
import * as events from './events';
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
	/** The canonical query string of the view. */
	search: string;
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

	let list: StanceEvent[] = [];
	let shownActors = view.actors;
	if (view.actors.length) {
		list = (await events.list(db, { actors: view.actors, issues: view.issues.length ? view.issues : undefined })).events;
	} else if (view.issues.length) {
		list = (await events.list(db, { issues: view.issues })).events;
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
		search: compareSearch(view)
	};
}

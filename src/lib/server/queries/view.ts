import type { Db } from '../db/client';
import { compareSearch, parseCompareView, type CompareView, type ViewProblem } from '../../domain/view';
import type { Actor, Issue, StanceEvent } from '../../domain/types';
import * as actors from './actors';
import * as events from './events';
import { countViewEventsAt, eventsWithIdsAt, viewEventsAt } from './asofRead';
import { deltaAt, type AsOfDelta } from './asofDelta';
import { eventsWithIds, slugScope, viewEventsWithoutSources } from './eventRows';
import { asofParam as readAsofParam, parseAsOf } from '../../domain/asof';

function withAsOf(search: string, asof: string | null): string {
	if (!asof) return search;
	return `${search}${search ? '&' : '?'}asof=${encodeURIComponent(asof).replaceAll('%3A', ':')}`;
}
import * as issues from './issues';
import * as contextQ from './context';
import type { ContextEvent } from '../../domain/context';
import { markContext, type MarkContext } from './marks';

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
	/**
	 * Events of the shown actors on the shown issues (all dates: the model picks the range). Loaded
	 * with `sources: false`, without their sources (`viewEventsWithIds` reads them whole).
	 */
	events: StanceEvent[];
	/** Context events of the shown issues (as recorded at `asof` when pinned), in date order. */
	context: ContextEvent[];
	/** The canonical query string of the view (with its `asof`, when pinned to a moment). */
	search: string;
	/** The moment the view is pinned to (ISO date-time), or null for the current record. */
	asof: string | null;
	/** Pinned: the record's difference from today's at `asof` (what `viewEventsWithIds` sets back); null for the current record. */
	delta: AsOfDelta | null;
	/**
	 * Set when the view would load more events than VIEW_MAX_EVENTS allows: nothing was loaded
	 * (`events` is empty) and `message` says the limit and what to ask for instead.
	 */
	tooLarge: { count: number; limit: number; message: string } | null;
	/** Confirmations, rules and corrections of the loaded events, for the charts' change markers. */
	marks: MarkContext;
}

/** The most events one view (compare page, embed, export) loads: VIEW_MAX_EVENTS, default 100,000. */
export const DEFAULT_VIEW_MAX_EVENTS = 100_000;
export function viewMaxEvents(value = process.env.VIEW_MAX_EVENTS): number {
	const n = Number(value);
	return value && Number.isInteger(n) && n > 0 ? n : DEFAULT_VIEW_MAX_EVENTS;
}

/**
 * How many live events the actors (all, when none are named) have on the issues (all, when none
 * are named): read from issue_actor_activity (kept by triggers), one row per pair, no event read.
 * (Pinned to a moment, countViewEventsAt counts the events of then.)
 */
export async function countViewEvents(db: Db, f: { actors?: string[]; issues?: string[] }): Promise<number> {
	const { where, args } = slugScope(f);
	const rs = await db.$client.execute({
		sql: `select coalesce(sum(c.events), 0) from issue_actor_activity c
			join actor a on a.id = c.actor_id and a.deleted_at is null
			join issue i on i.id = c.issue_id
			${where.length ? `where ${where.join(' and ')}` : ''}`,
		args
	});
	return Number(rs.rows[0]?.[0] ?? 0);
}

function tooLargeMessage(count: number, limit: number): string {
	return (
		`this view has ${count.toLocaleString('en')} events, more than the ${limit.toLocaleString('en')} one view may load ` +
		`(VIEW_MAX_EVENTS): choose fewer actors or issues, or use /api/series?bucket=month for aggregated series`
	);
}

/**
 * Reads a view (compare page, exports, embeds) from URL parameters and loads what it shows.
 * `issue=` is accepted as a one-issue `issues=`; with issues but no actors, every actor with a
 * stance on those issues is shown (an issue page's view). With `sources: false` the events come
 * without their sources (for a caller that writes them out later a page at a time, by id).
 */
export async function loadView(db: Db, params: URLSearchParams, opts: { maxEvents?: number; sources?: boolean } = {}): Promise<LoadedView> {
	const maxEvents = opts.maxEvents ?? viewMaxEvents();
	const sources = opts.sources ?? true;
	const merged = new URLSearchParams(params);
	const single = merged.get('issue');
	if (single) {
		merged.delete('issue');
		merged.append('issues', single);
	}
	const { view, problems } = parseCompareView(merged);
	// ?asof=: the record as it stood then (a cited chart), rebuilt from the history.
	const one = readAsofParam(params);
	if ('error' in one) problems.push({ parameter: 'asof', message: one.error });
	const asofParam = 'error' in one ? null : one.value;
	let asof: string | null = null;
	if (asofParam !== null) {
		const parsed = parseAsOf(asofParam);
		if ('error' in parsed) problems.push({ parameter: 'asof', message: parsed.error });
		else asof = parsed.at;
	}
	// Pinned to a moment: the actors and issues in the record then (deleted since or not), with
	// their names, colours, titles and scales as they stood then.
	const delta = asof ? await deltaAt(db, asof) : null;
	const at = delta ? { at: delta } : {};
	const [thenActors, thenIssues, nowActors, nowIssues] = await Promise.all([
		actors.list(db, at),
		issues.list(db, at),
		delta ? actors.list(db) : [],
		delta ? issues.list(db) : []
	]);
	// Those live now but not in the record then (created since, or restored since) are known, with no events then.
	const actorsThen = new Set(thenActors.map((a) => a.slug));
	const issuesThen = new Set(thenIssues.map((i) => i.slug));
	const actorList = [...thenActors, ...nowActors.filter((a) => !actorsThen.has(a.slug))];
	const issueList = [...thenIssues, ...nowIssues.filter((i) => !issuesThen.has(i.slug))];
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

	// Pinned: the events read as the live ones, with those the history since changed set back (asofRead.ts).
	const load = (f: { actors?: string[]; issues?: string[] }) =>
		delta ? viewEventsAt(db, delta, f, { sources }) : sources ? events.list(db, f).then((r) => r.events) : viewEventsWithoutSources(db, f);

	let list: StanceEvent[] = [];
	let shownActors = view.actors;
	let tooLarge: LoadedView['tooLarge'] = null;
	// Count before loading: past the limit, load nothing and say so. Pinned, the events it held then.
	if (view.actors.length || view.issues.length) {
		const f = { actors: view.actors, issues: view.issues };
		const count = delta ? await countViewEventsAt(db, delta, f) : await countViewEvents(db, f);
		if (count > maxEvents) tooLarge = { count, limit: maxEvents, message: tooLargeMessage(count, maxEvents) };
	}
	if (tooLarge) {
		if (!view.actors.length) shownActors = [];
	} else if (view.actors.length) {
		list = await load({ actors: view.actors, issues: view.issues.length ? view.issues : undefined });
	} else if (view.issues.length) {
		list = await load({ issues: view.issues });
		const present = new Set(list.map((e) => e.actor));
		shownActors = actorList.filter((a) => present.has(a.slug)).map((a) => a.slug);
	}
	const onIssues = new Set(list.map((e) => e.issue));
	const shownIssues = view.issues.length ? view.issues : issueList.filter((i) => onIssues.has(i.slug)).map((i) => i.slug);
	const marks = await markContext(db, { eventIds: list.map((e) => e.id), issues: shownIssues, asof });
	return {
		marks,
		view,
		problems,
		unknown,
		shownIssues,
		shownActors,
		actors: actorList,
		issues: issueList,
		events: list,
		context: await contextQ.forIssues(db, shownIssues, asof),
		asof,
		delta,
		tooLarge,
		search: withAsOf(compareSearch(view), asofParam !== null && asof ? asofParam : null)
	};
}

/**
 * Events of a loaded view by id, whole (words and sources), in the order given, as `loadView`
 * with its sources reads them (pinned: as they stood then). The ids are the view's.
 */
export function viewEventsWithIds(db: Db, loaded: Pick<LoadedView, 'delta'>, ids: readonly number[]): Promise<StanceEvent[]> {
	return loaded.delta ? eventsWithIdsAt(db, loaded.delta, ids) : eventsWithIds(db, ids);
}

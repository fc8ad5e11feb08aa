import type { InValue } from '@libsql/client';
import type { Db } from '../db/client';
import { chartPoints, eventPage, eventsInView, periodStats, positionCounts, type EventPage } from '../queries/eventPage';
import { slugScope } from '../queries/eventRows';
import { AsOfReader } from './asof';
import { loadView, viewMaxEvents, type LoadedView } from '../queries/view';
import * as contextQ from '../queries/context';
import { ASSUMED_CHART_WIDTH, packPeriods, packSeries, packShares, type CompactSeries } from '../../charts/compact';
import { pickBucket } from '../../domain/aggregate';
import { today } from '../../domain/dates';
import { parseEventQuery, type EventQuery } from '../../domain/eventQuery';
import { selectionRange } from '../../domain/selection';
import { resolveRange, type CompareView } from '../../domain/view';
import { chartChanges, type ChartChanges } from './issueChanges';
import { dayOf } from '../../domain/asof';

/**
 * Views with at most this many events ship them whole: the page works out mixed signals and
 * divergence from them. Larger views ship compact series (aggregated where busy) instead.
 */
export const COMPARE_INLINE_EVENTS = 2_000;

/** The plot width of one side-by-side panel, before the page knows the screen's. */
export const SIDE_CHART_WIDTH = 300;

/** A large view as the page draws it: per issue, one compact series per shown actor. */
export interface CompactView {
	range: { from: string; to: string };
	/** Events in view, all pairs together. */
	events: number;
	/** Per issue: its compact series, and the change markers, corrected events and cards of its non-aggregated ones. */
	panels: { issue: string; series: CompactSeries[]; marks: ChartChanges }[];
}

/** An (actor, issue) pair with events, from issue_actor_activity (kept by triggers). */
interface Pair {
	actorId: number;
	actor: string;
	issueId: number;
	issue: string;
	/** All the pair's events on the issue (any date). */
	events: number;
	first: string;
	last: string;
}

/**
 * The view's (actor, issue) pairs of live actors and issues; with `reader` (pinned to a moment),
 * of those in the record then (deleted since or not), empty ones too.
 */
async function pairsOf(db: Db, view: CompareView, reader: AsOfReader | null = null): Promise<Pair[]> {
	const where: string[] = [reader ? reader.presentSql('a', 'i').sql : 'a.deleted_at is null and i.deleted_at is null'];
	const args: InValue[] = reader ? reader.presentSql('a', 'i').args : [];
	if (!reader) where.push('c.events > 0');
	const scope = slugScope(view);
	where.push(...scope.where);
	args.push(...scope.args);
	const rs = await db.$client.execute({
		sql: `select c.actor_id, a.slug, c.issue_id, i.slug, c.first, c.last, c.events from issue_actor_activity c
			join actor a on a.id = c.actor_id
			join issue i on i.id = c.issue_id
			where ${where.join(' and ')}`,
		args
	});
	return rs.rows.map((r) => ({ actorId: Number(r[0]), actor: String(r[1]), issueId: Number(r[2]), issue: String(r[3]), events: Number(r[6]), first: String(r[4]), last: String(r[5]) }));
}

/**
 * The compare page's data. A view of up to COMPARE_INLINE_EVENTS events ships them (as before);
 * a larger one ships compact series per actor and issue, each aggregated per month or year when
 * it has more events in view than its chart has pixels, so the page stays small whatever the
 * database holds; pinned to a moment (`asof`), the same as the record stood then (see
 * pages/asof.ts). A view with no actors named past VIEW_MAX_EVENTS is refused. The table mode
 * pages on the server in both cases.
 */
export async function compareModel(db: Db, url: URL, { inlineEvents = COMPARE_INLINE_EVENTS }: { inlineEvents?: number } = {}) {
	const params = url.searchParams;
	const limit = viewMaxEvents();
	let loaded: LoadedView = await loadView(db, params, { maxEvents: Math.min(limit, inlineEvents) });
	let compact: CompactView | null = null;
	// Pinned to a moment: the record then, read as a difference from today's.
	const reader = loaded.asof ? await AsOfReader.at(db, loaded.asof) : null;
	if (loaded.tooLarge && (loaded.tooLarge.count > limit || !loaded.view.actors.length)) {
		// Past the real limit (refused, with its message), or a view that needs its events: the full path.
		loaded = await loadView(db, params);
	} else if (loaded.tooLarge) {
		compact = await compactView(db, loaded, reader);
		const shownIssues = loaded.view.issues.length ? loaded.view.issues : [...new Set(compact.panels.map((p) => p.issue))];
		loaded = { ...loaded, tooLarge: null, shownIssues, context: await contextQ.forIssues(db, shownIssues, loaded.asof) };
	}
	const view = loaded.view;
	// The table: the events in view (the chart's range), paged on the server, with its own filters.
	let table: EventPage | null = null;
	let query: EventQuery | null = null;
	if (view.mode === 'table' && !loaded.tooLarge && loaded.shownActors.length) {
		const parsed = parseEventQuery(params);
		const range = compact?.range ?? viewRange(loaded);
		query = { ...parsed.query, from: range.from, to: range.to };
		const ids = await idsOf(db, loaded.shownActors, loaded.shownIssues);
		if (reader) {
			// Pinned to a moment: today's rows recorded by then, merged with the events changed since as they were.
			const actorSet = new Set(loaded.shownActors);
			const issueSet = new Set(loaded.shownIssues);
			table = await reader.table({ scope: { actorIds: ids.actors, issueIds: ids.issues }, match: (e) => actorSet.has(e.actor) && issueSet.has(e.issue), query });
		} else {
			table = await eventPage(db, { scope: { actorIds: ids.actors, issueIds: ids.issues }, query });
		}
		loaded.problems.push(...parsed.problems.filter((p) => p.parameter !== 'from' && p.parameter !== 'to'));
	}
	return {
		loaded,
		// A large view's events stay on the server; a small one's ship (mixed signals, divergence, tooltips).
		events: compact ? [] : loaded.events,
		compact,
		table,
		query
	};
}

/** A small view's range as its model will compute it, for the table's dates (quick ranges count back from the latest event). */
function viewRange(loaded: LoadedView): { from: string | null; to: string | null } {
	const latest = loaded.events.reduce<string | null>((m, e) => (m === null || e.date > m ? e.date : m), null);
	return resolveRange(loaded.view, latest);
}

async function idsOf(db: Db, actors: readonly string[], issues: readonly string[]): Promise<{ actors: number[]; issues: number[] }> {
	const q = async (table: 'actor' | 'issue', slugs: readonly string[]) =>
		slugs.length
			? (await db.$client.execute({ sql: `select id from ${table} where slug in (${slugs.map(() => '?').join(',')})`, args: [...slugs] })).rows.map((r) => Number(r[0]))
			: [];
	const [a, i] = await Promise.all([q('actor', actors), q('issue', issues)]);
	return { actors: a, issues: i };
}

/**
 * The view's pairs as they stood at the reader's moment: today's, with the activity of those the
 * history (or an import) since touches recounted, and those whose events were all deleted since
 * added back.
 */
async function pairsThen(db: Db, view: CompareView, reader: AsOfReader): Promise<Pair[]> {
	const now = await pairsOf(db, view, reader);
	const have = new Set(now.map((p) => `${p.actor}|${p.issue}`));
	const gone = reader
		.touched()
		.filter((t) => t.by === 'actor' && view.actors.includes(t.slug) && (!view.issues.length || view.issues.includes(t.issue)) && !have.has(`${t.slug}|${t.issue}`));
	const [actorIds, issueIds] = await Promise.all([reader.actorRows(gone.map((t) => t.slug)), reader.issueRows(gone.map((t) => t.issue))]);
	const all = [
		...now,
		...gone.flatMap((t) => {
			const a = actorIds.find((x) => x.slug === t.slug);
			const i = issueIds.find((x) => x.slug === t.issue);
			return a && i ? [{ actorId: a.id, actor: t.slug, issueId: i.id, issue: t.issue, events: 0, first: '', last: '' }] : [];
		})
	];
	const then = await Promise.all(all.map((p) => reader.activity(p, p.events ? p : null)));
	return all.flatMap((p, k) => (then[k] ? [{ ...p, ...then[k] }] : []));
}

/** Compact series of a large view: per issue shown, one per actor shown, in the view's orders. */
async function compactView(db: Db, loaded: LoadedView, reader: AsOfReader | null): Promise<CompactView> {
	const { view, issues } = loaded;
	const pairs = reader ? await pairsThen(db, view, reader) : await pairsOf(db, view);
	const latest = pairs.reduce<string | null>((m, p) => (m === null || p.last > m ? p.last : m), null);
	const asked = resolveRange(view, latest);
	const fallback = selectionRange({ actors: pairs.map((p) => ({ slug: p.actor, first: p.first, last: p.last })), shown: pairs.map((p) => p.actor), from: null, to: null, today: today() });
	const range = { from: asked.from ?? fallback.from, to: asked.to ?? fallback.to };
	const issueOrder = view.issues.length ? view.issues : issues.map((i) => i.slug);
	const issueBy = new Map(issues.map((i) => [i.slug, i]));
	const scaleOf = new Map(issues.map((i) => [i.slug, i.scale]));
	const width = view.mode === 'side' ? SIDE_CHART_WIDTH : ASSUMED_CHART_WIDTH;
	let events = 0;
	const panels = await Promise.all(
		issueOrder
			.filter((slug) => pairs.some((p) => p.issue === slug))
			.map(async (slug) => {
				const scale = scaleOf.get(slug)!;
				const onIssue = view.actors.map((a) => pairs.find((p) => p.issue === slug && p.actor === a)).filter((p): p is Pair => p !== undefined);
				const series = await Promise.all(
					onIssue.map(async (p) => {
						if (reader) {
							const s = await reader.series(p, { range, width, scale, lanes: view.mode === 'lanes' });
							events += s.events;
							return s;
						}
						const where = { actorId: p.actorId, issueId: p.issueId, from: range.from, to: range.to };
						const inView = await eventsInView(db, where);
						events += inView;
						const bucket = pickBucket({ ...range, width, events: inView });
						if (!bucket) return packSeries({ actor: p.actor, points: await chartPoints(db, where), range, scale, bucket: null });
						if (view.mode === 'lanes') {
							const [periods, counts] = await Promise.all([periodStats(db, { ...where, bucket }), positionCounts(db, { ...where, bucket })]);
							return packShares({ actor: p.actor, bucket, counts, periods, scale });
						}
						return packPeriods({ actor: p.actor, bucket, periods: await periodStats(db, { ...where, bucket }) });
					})
				);
				// Markers on the bounded path, per shown actor (none on an aggregated series), as on the issue page.
				// Pinned: the same derivation over the record then (the pairs' counts, issue and actors as they stood).
				const marks = await chartChanges(db, {
					issue: issueBy.get(slug)!,
					shown: onIssue.map((p, i) => ({ slug: p.actor, events: p.events, aggregated: series[i]!.bucket !== null })),
					range,
					today: loaded.asof ? dayOf(loaded.asof) : today(),
					actors: loaded.actors,
					narrate: false,
					asof: reader?.delta ?? null
				});
				return { issue: slug, series, marks };
			})
	);
	return { range, events, panels };
}

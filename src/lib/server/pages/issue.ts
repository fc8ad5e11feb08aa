import { error, redirect } from '@sveltejs/kit';
import type { Db } from '../db/client';
import { chartPoints, eventPage, eventsInView, firstFinerDate, issueActors, issueId, issueSpeakers, periodStats, positionCounts } from '../queries/eventPage';
import { ASSUMED_CHART_WIDTH, packPeriods, packSeries, packShares, type CompactSeries } from '../../charts/compact';
import { pickBucket } from '../../domain/aggregate';
import { today } from '../../domain/dates';
import { parseEventQuery, type EventQuery } from '../../domain/eventQuery';
import { resolveSelection, selectionRange } from '../../domain/selection';
import type { Issue } from '../../domain/types';
import { contextInRange, contextSpan, type ContextEvent } from '../../domain/context';
import * as contextQ from '../queries/context';
import { chartChanges, type ChartChanges } from './issueChanges';
import type { ViewProblem } from '../../domain/view';
import { dayOf, readAsOf } from '../../domain/asof';
import type { StanceEvent } from '../../domain/types';
import { cachedPin } from '../queries/asof';
import { featuredThen, issueThen } from '../queries/asofDelta';
import { AsOfReader } from './asof';

/** The issue page's view, as its URL says it: which actors the chart shows, how, and the table's query. */
export function issueView(url: URL) {
	const { query, problems } = parseEventQuery(url.searchParams);
	const asked = [...new Set(url.searchParams.getAll('actors').flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean))];
	const view: 'lines' | 'lanes' = url.searchParams.get('view') === 'lanes' ? 'lanes' : 'lines';
	return { query, problems, asked, view };
}

/**
 * Everything the issue page shows, bounded whatever the database holds: the actors with their
 * activity (for the picker), compact series of the shown actors, and one page of the events table.
 */
export async function issueModel(db: Db, issue: Issue, url: URL) {
	const at = readAsOf(url.searchParams);
	if (!at.ok) error(400, at.message);
	if (at.asof) return issueModelAsOf(db, issue, url, at.asof);
	const { query, problems, asked, view } = issueView(url);
	const id = (await issueId(db, issue.slug))!;
	const [actors, speakers, pin] = await Promise.all([issueActors(db, id), issueSpeakers(db, id), cachedPin(db, { issues: [issue.slug] })]);
	const selection = resolveSelection({ asked, actors });
	pickerAdd(url, actors, selection.shown, problems);
	for (const slug of selection.ignored) problems.push({ parameter: 'actors', message: `"${slug}" has no stance on this issue; left out` });
	const range = selectionRange({ ...(await rangeActors(db, id, actors, selection.shown, query)), from: query.from, to: query.to, today: today() });
	const byActor = new Map(actors.map((a) => [a.slug, a]));
	const series: CompactSeries[] = [];
	const aggregated = new Set<string>();
	for (const slug of selection.shown) {
		const a = byActor.get(slug)!;
		const where = { actorId: a.id, issueId: id, from: range.from, to: range.to };
		// A busy actor is aggregated in SQL: the page reads tens of rows per actor, not thousands.
		const bucket = pickBucket({ ...range, width: ASSUMED_CHART_WIDTH, events: await eventsInView(db, where) });
		if (bucket) aggregated.add(slug);
		if (!bucket) {
			series.push(packSeries({ actor: slug, points: await chartPoints(db, where), range, scale: issue.scale }));
		} else if (view === 'lanes') {
			const [periods, counts] = await Promise.all([periodStats(db, { ...where, bucket }), positionCounts(db, { ...where, bucket })]);
			series.push(packShares({ actor: slug, bucket, counts, periods, scale: issue.scale }));
		} else {
			series.push(packPeriods({ actor: slug, bucket, periods: await periodStats(db, { ...where, bucket }) }));
		}
	}
	const marks = await chartChanges(db, {
		issue,
		shown: selection.shown.map((slug) => ({ slug, events: byActor.get(slug)!.events, aggregated: aggregated.has(slug) })),
		range,
		today: today()
	});
	const [table, context] = await Promise.all([
		eventPage(db, { scope: { issueId: id }, query, knownTotal: knownTotal(query, actors) }),
		contextQ.forIssues(db, [issue.slug])
	]);
	// A small issue ships its chart's events whole (tooltips at once, markers named with their
	// speakers); a big one ships ids, and the page fetches an event when it is hovered.
	const ids = series.flatMap((c) => c.points.filter((_, i) => i % 4 === 2));
	const inline =
		actors.reduce((n, a) => n + a.events, 0) <= INLINE_EVENTS && ids.length
			? await eventPage(db, { scope: { ids }, query: parseEventQuery(new URLSearchParams()).query, knownTotal: ids.length, perPage: INLINE_EVENTS })
			: null;
	return {
		issue,
		view,
		range,
		query,
		problems: problems as ViewProblem[],
		shown: selection.shown,
		isDefault: selection.isDefault,
		actors: actors.map(({ id: _id, ...a }) => a),
		speakers,
		series,
		table,
		/** The issue's context events in the chart's range. */
		context: contextInRange(context, range.from, range.to),
		/** Context events outside the range: how many, and the dates that would show them all. */
		contextOutside: contextOutside(context, range),
		chartEvents: inline ? { events: inline.events, names: inline.names } : null,
		asof: null as string | null,
		pin,
		/** Pinned to a moment, whether the issue has been deleted since (no current version). */
		deletedSince: false,
		marks
	};
}

/** The picker without JavaScript: ?add=<name or slug> adds an actor to the chart, then the clean link. */
function pickerAdd(url: URL, actors: readonly { slug: string; name: string }[], shown: readonly string[], problems: ViewProblem[]) {
	const add = url.searchParams.get('add')?.trim().toLowerCase();
	if (add === undefined) return;
	const found = actors.find((a) => a.slug === add || a.name.toLowerCase() === add);
	if (found || add === '') {
		const next = new URL(url);
		next.searchParams.delete('add');
		next.searchParams.delete('page');
		if (found) next.searchParams.set('actors', [...shown.filter((s) => s !== found.slug), found.slug].join(','));
		redirect(303, `${next.pathname}${next.search.replaceAll('%2C', ',')}`);
	}
	problems.push({ parameter: 'add', message: `no actor called "${add}" has a stance on this issue` });
}

/**
 * The issue page as the record stood at `asof` (?asof=), bounded like the current page (see
 * pages/asof.ts): the actors' activity then, compact series of the shown actors read with the
 * current page's SQL filtered to rows recorded by then (only series the history since touches are
 * rebuilt in memory), one page of the table, details fetched on hover. The issue's title and
 * scale, actors' names, featured actors, speakers and context events are as they stood; actors
 * and the issue itself count when they were in the record then (deleted since or not).
 */
async function issueModelAsOf(db: Db, current: Issue, url: URL, asof: string) {
	const { query, problems, asked, view } = issueView(url);
	const reader = await AsOfReader.at(db, asof);
	// The issue as it stood then; one deleted since is shown, one not in the record then is not.
	const issue = issueThen(reader.delta, current);
	if (!issue) error(404, `The issue "${current.slug}" was not in the record on ${asof}`);
	const id = (await issueId(db, current.slug, { withDeleted: true }))!;
	// Actors deleted since are read too: reader.actors keeps those in the record then.
	const [live, speakers, featured] = await Promise.all([issueActors(db, id, { withDeleted: true }), reader.speakersOn({ id, slug: issue.slug }), featuredThen(db, reader.delta, { id, slug: issue.slug })]);
	// Actors with no live event now whose series the history since touches (all deleted since).
	const gone = reader.actorsTouchedOn(issue.slug).filter((slug) => !live.some((a) => a.slug === slug));
	const all = [...live, ...(await reader.actorRows(gone)).map((a) => ({ ...a, events: 0, first: '', last: '', featured: null }))];
	const activity = await Promise.all(all.map((a) => reader.activity({ actorId: a.id, actor: a.slug, issueId: id, issue: issue.slug }, a.events ? a : null)));
	const actors = reader
		.actors(all.flatMap((a, k) => (activity[k] ? [{ ...a, ...activity[k] }] : [])))
		// Featured as the issue then recorded them, when it changed since (today's rows otherwise).
		.map((a) => (featured ? { ...a, featured: featured.includes(a.slug) ? featured.indexOf(a.slug) : null } : a))
		.sort((a, b) => a.name.localeCompare(b.name));
	const selection = resolveSelection({ asked, actors });
	pickerAdd(url, actors, selection.shown, problems);
	for (const slug of selection.ignored) problems.push({ parameter: 'actors', message: `"${slug}" had no stance on this issue then; left out` });
	const byActor = new Map(actors.map((a) => [a.slug, a]));
	const ref = (slug: string) => ({ actorId: byActor.get(slug)!.id, actor: slug, issueId: id, issue: issue.slug });
	// As on the current page: dates known only to the year do not stretch the default range.
	let chosen = actors.filter((a) => selection.shown.includes(a.slug));
	if (!query.from) {
		const finer = await Promise.all(chosen.map((a) => reader.firstFiner(ref(a.slug))));
		if (finer.some((f) => f !== null)) chosen = chosen.flatMap((a, k) => (finer[k] ? [{ ...a, first: finer[k] }] : []));
	}
	const range = selectionRange({ actors: chosen, shown: chosen.map((a) => a.slug), from: query.from, to: query.to, today: today() });
	const series = await Promise.all(selection.shown.map((slug) => reader.series(ref(slug), { range, width: ASSUMED_CHART_WIDTH, scale: issue.scale, lanes: view === 'lanes' })));
	// The changes, corrections and narratives the record held then: the live page's derivation over the record then.
	const marks = await chartChanges(db, {
		issue,
		shown: selection.shown.map((slug, k) => ({ slug, events: byActor.get(slug)!.events, aggregated: series[k]!.bucket !== null })),
		range,
		today: dayOf(asof),
		asof: reader.delta
	});
	const onIssue = (e: StanceEvent) => e.issue === issue.slug;
	const [table, context] = await Promise.all([
		reader.table({ scope: { issueId: id }, match: onIssue, query, knownTotal: knownTotal(query, actors) }),
		contextQ.forIssues(db, [issue.slug], asof)
	]);
	const ids = series.flatMap((c) => c.points.filter((_, i) => i % 4 === 2));
	const inline =
		actors.reduce((n, a) => n + a.events, 0) <= INLINE_EVENTS && ids.length
			? await reader.table({ scope: { ids }, match: (e) => ids.includes(e.id), query: parseEventQuery(new URLSearchParams()).query, knownTotal: ids.length, perPage: INLINE_EVENTS })
			: null;
	return {
		issue,
		view,
		range,
		query,
		problems: problems as ViewProblem[],
		shown: selection.shown,
		isDefault: selection.isDefault,
		actors: actors.map(({ id: _id, ...a }) => a),
		speakers,
		series,
		table,
		context: contextInRange(context, range.from, range.to),
		contextOutside: contextOutside(context, range),
		chartEvents: inline ? { events: inline.events, names: inline.names } : null,
		asof: asof as string | null,
		pin: asof,
		deletedSince: reader.delta.deletedSince.issues.has(issue.slug),
		marks: marks as ChartChanges
	};
}

/** The context events a range leaves out, and the range that would take them in (null when none is left out). */
function contextOutside(context: readonly ContextEvent[], range: { from: string; to: string }) {
	const outside = context.length - contextInRange(context, range.from, range.to).length;
	if (!outside) return null;
	const spans = context.map(contextSpan);
	const from = spans.reduce((m, s) => (s.from < m ? s.from : m), range.from);
	const to = spans.reduce((m, s) => (s.to > m ? s.to : m), range.to);
	return { count: outside, from, to };
}

/** Issues with at most this many events ship their chart's events whole. */
export const INLINE_EVENTS = 100;

/** The table's total without counting, when only an actor (or nothing) filters it. */
function knownTotal(query: EventQuery, actors: readonly { slug: string; events: number }[]): number | undefined {
	if (query.speaker || query.kind || query.from || query.to) return undefined;
	if (query.actor) return actors.find((a) => a.slug === query.actor)?.events ?? 0;
	return actors.reduce((n, a) => n + a.events, 0);
}

/**
 * The actors whose dates set the chart's default range: dates known only to the year do not
 * stretch it (a "2025" placed at 1 January would squeeze a November story into a corner; its
 * stance enters from the left edge), as in the charts' defaultRange.
 */
async function rangeActors(
	db: Db,
	issueId: number,
	actors: readonly { id: number; slug: string; first: string; last: string }[],
	shown: readonly string[],
	query: EventQuery
) {
	const chosen = actors.filter((a) => shown.includes(a.slug));
	if (query.from) return { actors: chosen, shown };
	const finer = await Promise.all(chosen.map((a) => firstFinerDate(db, { actorId: a.id, issueId })));
	if (finer.every((f) => f === null)) return { actors: chosen, shown };
	const dated = chosen.flatMap((a, i) => (finer[i] ? [{ ...a, first: finer[i] }] : []));
	return { actors: dated, shown: dated.map((a) => a.slug) };
}

import type { Db } from '../db/client';
import { chartPoints, eventPage, eventsInView, firstFinerDate, periodStats, type SeriesBy } from '../queries/eventPage';
import * as actorQ from '../queries/actors';
import * as issueQ from '../queries/issues';
import * as contextQ from '../queries/context';
import { contextInRange } from '../../domain/context';
import { actorEvidence } from '../read/evidence';
import { packPeriods, packSeries, type CompactSeries } from '../../charts/compact';
import { pickBucket } from '../../domain/aggregate';
import { today } from '../../domain/dates';
import { parseEventQuery } from '../../domain/eventQuery';
import { selectionRange } from '../../domain/selection';
import type { Actor, Issue } from '../../domain/types';
import type { ViewProblem } from '../../domain/view';
import { INLINE_EVENTS } from './issue';
import { error } from '@sveltejs/kit';
import { dayOf, readAsOf } from '../../domain/asof';
import type { StanceEvent } from '../../domain/types';
import { cachedPin } from '../queries/asof';
import { actorThen } from '../queries/asofDelta';
import { AsOfReader } from './asof';
import { chartChanges, NO_CHANGES, type ChartChanges } from './issueChanges';

/**
 * A panel of the actor page is a small chart: it marks at most 12 changes (the most significant),
 * and the page at most about 96 over all its panels (each marked change ships its card's quotes).
 */
const panelMarkers = (panels: number) => Math.min(12, Math.max(4, Math.floor(96 / Math.max(1, panels))));

/** The plot width of one small-multiple panel on the actor page, before the page knows the screen's. */
export const PANEL_CHART_WIDTH = 400;

/** An issue the actor has a series on, with the activity that sets the range. */
interface ActorIssue {
	issueId: number;
	slug: string;
	events: number;
	first: string;
	last: string;
}

/** The live id of an actor by slug, or null; `withDeleted`: of a deleted one too. */
async function actorId(db: Db, slug: string, withDeleted = false): Promise<number | null> {
	const rs = await db.$client.execute({ sql: `select id from actor where slug = ?${withDeleted ? '' : ' and deleted_at is null'}`, args: [slug] });
	return rs.rows[0] ? Number(rs.rows[0][0]) : null;
}

/**
 * The issues an actor's chart covers: its own stances (issue_actor_activity, kept by triggers: one
 * row per issue) or, for a person, what they said (a seek on the speaker index). `withDeleted`:
 * deleted issues too (a page pinned to a moment keeps those deleted since).
 */
async function actorIssues(db: Db, id: number, by: SeriesBy, withDeleted = false): Promise<ActorIssue[]> {
	const live = withDeleted ? '' : ' and i.deleted_at is null';
	const rs =
		by === 'actor'
			? await db.$client.execute({
					sql: `select i.id, i.slug, c.events, c.first, c.last from issue_actor_activity c
						join issue i on i.id = c.issue_id${live} where c.actor_id = ? and c.events > 0`,
					args: [id]
				})
			: await db.$client.execute({
					sql: `select i.id, i.slug, s.n, s.first, s.last from
						(select issue_id, count(*) as n, min(date) as first, max(date) as last from stance_event
							where speaker_id = ? and deleted_at is null group by issue_id) s
						join issue i on i.id = s.issue_id${live}`,
					args: [id]
				});
	return rs.rows.map((r) => ({ issueId: Number(r[0]), slug: String(r[1]), events: Number(r[2]), first: String(r[3]), last: String(r[4]) }));
}

/** One issue's panel: its compact series (aggregated per period when busier than the panel is wide). */
export interface ActorPanel {
	issue: Issue;
	series: CompactSeries;
	/** The actor's change markers, corrected events and narrative on this issue (none for a person); pinned, those of the moment. */
	marks: ChartChanges;
}

/**
 * Everything the actor page shows, bounded whatever the database holds: one compact series per
 * issue (points, or periods when a series has more events in view than the panel has pixels), one
 * page of its statements and actions (filters, sort and page from the URL), and names for both.
 * The chart's range and the table's dates are the same `from`/`to`.
 */
export async function actorModel(db: Db, actor: Actor, url: URL) {
	const at = readAsOf(url.searchParams);
	if (!at.ok) error(400, at.message);
	if (at.asof) return actorModelAsOf(db, actor, url, at.asof);
	const { query, problems } = parseEventQuery(url.searchParams, { sort: 'desc' });
	const id = (await actorId(db, actor.slug))!;
	// A person's chart shows what they said; any other actor's shows its own stance.
	const by: SeriesBy = actor.kind === 'person' ? 'speaker' : 'actor';
	const [issueList, charted, parent, speakers, pin] = await Promise.all([
		issueQ.list(db),
		actorIssues(db, id, by),
		actor.parent ? actorQ.bySlug(db, actor.parent) : null,
		actorQ.speakersFor(db, actor.slug),
		cachedPin(db, { involving: actor.slug })
	]);
	const issueBy = new Map(issueList.map((i) => [i.slug, i]));
	const allActors = by === 'actor' && charted.length ? await actorQ.list(db) : [];
	const onIssues = charted.filter((c) => issueBy.has(c.slug)).sort((a, b) => issueBy.get(a.slug)!.title.localeCompare(issueBy.get(b.slug)!.title));
	const finer = query.from ? [] : await Promise.all(onIssues.map((c) => firstFinerDate(db, { actorId: id, issueId: c.issueId, by })));
	// Dates known only to the year do not stretch the shared axis (as on the issue page): panels
	// whose events are all known to the year only set it when no panel has finer dates.
	const finerSpans = onIssues.flatMap((c, i) => (finer[i] ? [{ slug: c.slug, first: finer[i], last: c.last }] : []));
	const spans = finerSpans.length ? finerSpans : onIssues.map((c) => ({ slug: c.slug, first: c.first, last: c.last }));
	const range = selectionRange({ actors: spans, shown: spans.map((s) => s.slug), from: query.from, to: query.to, today: today() });
	const panels: ActorPanel[] = await Promise.all(
		onIssues.map(async (c) => {
			const issue = issueBy.get(c.slug)!;
			const where = { actorId: id, issueId: c.issueId, from: range.from, to: range.to, by };
			const bucket = pickBucket({ ...range, width: PANEL_CHART_WIDTH, events: await eventsInView(db, where) });
			const series = bucket
				? packPeriods({ actor: actor.slug, bucket, periods: await periodStats(db, { ...where, bucket }) })
				: packSeries({ actor: actor.slug, points: await chartPoints(db, where), range, scale: issue.scale, bucket: null });
			// Changes are the actor's own stance: a person's statements get none. Read on the bounded path.
			const marks =
				by === 'actor'
					? await chartChanges(db, { issue, shown: [{ slug: actor.slug, events: c.events, aggregated: bucket !== null }], range, today: today(), actors: allActors, maxMarkers: panelMarkers(onIssues.length) })
					: NO_CHANGES;
			return { issue, series, marks };
		})
	);
	const table = await eventPage(db, { scope: { involving: id }, query });
	// A quiet actor ships its chart's events whole (tooltips at once); a busy one's are fetched on hover.
	const ids = panels.flatMap((p) => p.series.points.filter((_, i) => i % 4 === 2));
	const inline =
		onIssues.reduce((n, c) => n + c.events, 0) <= INLINE_EVENTS && ids.length
			? await eventPage(db, { scope: { ids }, query: parseEventQuery(new URLSearchParams()).query, knownTotal: ids.length, perPage: INLINE_EVENTS })
			: null;
	// A person speaks for another actor: the stances (and their evidence) are that actor's.
	// Context events of the issues charted, in the shared range.
	const [evidence, context] = await Promise.all([
		actor.kind === 'person' ? null : actorEvidence(db, actor.slug, issueList, today()),
		contextQ.forIssues(db, onIssues.map((c) => c.slug))
	]);
	const self = { slug: actor.slug, name: actor.name };
	return {
		actor,
		parent,
		speakers,
		range,
		query,
		problems: problems as ViewProblem[],
		panels,
		issues: issueList,
		evidence,
		context: contextInRange(context, range.from, range.to),
		table,
		chartEvents: inline ? { events: inline.events, names: inline.names } : null,
		// The table's filters: the actor (and whom a person speaks for), and its speakers (or the person).
		filterActors: parent ? [self, { slug: parent.slug, name: parent.name }] : [self],
		filterSpeakers: by === 'speaker' ? [self] : speakers.map((s) => ({ slug: s.slug, name: s.name })),
		asof: null as string | null,
		pin,
		/** Pinned to a moment, whether the actor has been deleted since (no current version). */
		deletedSince: false,
		tooLarge: null as string | null
	};
}

/**
 * The actor page as the record stood at `asof` (?asof=), bounded like the current page (see
 * pages/asof.ts): one compact series per issue it then had a series on, one page of its
 * statements and actions, details fetched on hover. Names, issue titles, scales and context events
 * as they stood; evidence (read from today's record) is left out.
 */
async function actorModelAsOf(db: Db, current: Actor, url: URL, asof: string) {
	const { query, problems } = parseEventQuery(url.searchParams, { sort: 'desc' });
	const reader = await AsOfReader.at(db, asof);
	// The actor as it stood then (its name, kind and parent); one deleted since is shown, one not in the record then is not.
	const actor = actorThen(reader.delta, current);
	if (!actor) error(404, `The actor "${current.slug}" was not in the record on ${asof}`);
	const id = (await actorId(db, current.slug, true))!;
	// A person's chart shows what they said; any other actor's shows its own stance.
	const by: SeriesBy = actor.kind === 'person' ? 'speaker' : 'actor';
	// Issues, the parent and the speakers as they stood then (deleted since or not).
	const at = { at: reader.delta };
	const [issueList, charted, parent, speakers] = await Promise.all([
		issueQ.list(db, at),
		actorIssues(db, id, by, true),
		actor.parent ? actorQ.bySlug(db, actor.parent, at) : null,
		actorQ.speakersFor(db, actor.slug, at)
	]);
	const issueBy = new Map(issueList.map((i) => [i.slug, i]));
	// Issues with no live event of the actor now whose series the history since touches (all deleted since).
	const gone = reader.issuesTouchedBy(by, actor.slug).filter((slug) => !charted.some((c) => c.slug === slug));
	const all = [...charted, ...(await reader.issueRows(gone)).map((i) => ({ issueId: i.id, slug: i.slug, events: 0, first: '', last: '' }))];
	const ref = (c: { issueId: number; slug: string }) => ({ actorId: id, actor: actor.slug, issueId: c.issueId, issue: c.slug, by });
	const activity = await Promise.all(all.map((c) => reader.activity(ref(c), c.events ? c : null)));
	const onIssues = all
		.flatMap((c, k) => (activity[k] && issueBy.has(c.slug) ? [{ ...c, ...activity[k] }] : []))
		.sort((a, b) => issueBy.get(a.slug)!.title.localeCompare(issueBy.get(b.slug)!.title));
	const finer = query.from ? [] : await Promise.all(onIssues.map((c) => reader.firstFiner(ref(c))));
	const finerSpans = onIssues.flatMap((c, i) => (finer[i] ? [{ slug: c.slug, first: finer[i], last: c.last }] : []));
	const spans = finerSpans.length ? finerSpans : onIssues.map((c) => ({ slug: c.slug, first: c.first, last: c.last }));
	const range = selectionRange({ actors: spans, shown: spans.map((s) => s.slug), from: query.from, to: query.to, today: today() });
	const allActors = by === 'actor' && onIssues.length ? await actorQ.list(db, at) : [];
	const panels: ActorPanel[] = await Promise.all(
		onIssues.map(async (c) => {
			const issue = issueBy.get(c.slug)!;
			const series = await reader.series(ref(c), { range, width: PANEL_CHART_WIDTH, scale: issue.scale });
			// The changes and narrative the record held then, derived as on the current page (none for a person).
			const marks =
				by === 'actor'
					? await chartChanges(db, {
							issue,
							shown: [{ slug: actor.slug, events: c.events, aggregated: series.bucket !== null }],
							range,
							today: dayOf(asof),
							actors: allActors,
							maxMarkers: panelMarkers(onIssues.length),
							asof: reader.delta
						})
					: NO_CHANGES;
			return { issue, series, marks };
		})
	);
	const involves = (e: StanceEvent) => e.actor === actor.slug || e.speaker === actor.slug;
	const table = await reader.table({ scope: { involving: id }, match: involves, query });
	const ids = panels.flatMap((p) => p.series.points.filter((_, i) => i % 4 === 2));
	const inline =
		onIssues.reduce((n, c) => n + c.events, 0) <= INLINE_EVENTS && ids.length
			? await reader.table({ scope: { ids }, match: (e) => ids.includes(e.id), query: parseEventQuery(new URLSearchParams()).query, knownTotal: ids.length, perPage: INLINE_EVENTS })
			: null;
	const context = await contextQ.forIssues(db, onIssues.map((c) => c.slug), asof);
	const self = { slug: actor.slug, name: actor.name };
	return {
		actor,
		parent,
		speakers,
		range,
		query,
		problems: problems as ViewProblem[],
		panels,
		issues: issueList,
		evidence: null,
		context: contextInRange(context, range.from, range.to),
		table,
		chartEvents: inline ? { events: inline.events, names: inline.names } : null,
		filterActors: parent ? [self, { slug: parent.slug, name: parent.name }] : [self],
		filterSpeakers: by === 'speaker' ? [self] : speakers.map((s) => ({ slug: s.slug, name: s.name })),
		asof: asof as string | null,
		pin: asof,
		deletedSince: reader.delta.deletedSince.actors.has(actor.slug),
		tooLarge: null as string | null
	};
}

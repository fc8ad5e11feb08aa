import type { Db } from '../db/client';
import * as actorQueries from '../queries/actors';
import { seriesEvents } from '../queries/eventPage';
import { seriesEventsAt } from '../queries/asofRead';
import type { AsOfDelta } from '../queries/asofDelta';
import { viewVersion } from '../queries/meta';
import { markContext } from '../queries/marks';
import { changeMarkers, markInputs, significantMarkers, changesHref, type ChangeMarker } from '../../charts/markers';
import type { DateRange } from '../../charts/range';
import { detectChanges, type Change } from '../../domain/changes';
import { changeView, type ChangeView } from '../../domain/changeView';
import { addDays, formatDate } from '../../domain/dates';
import { narrateSeries } from '../../domain/narrative';
import { labelFor } from '../../domain/scale';
import { buildSeries } from '../../domain/series';
import type { Actor, Issue, StanceEvent } from '../../domain/types';

/** An actor whose whole series on the issue is at most this long is read whole (markers and narrative). */
export const MARK_WHOLE_EVENTS = 5000;
/** A longer one is read over the range plus this many events before it (markers only). */
export const MARK_EVENTS_BEFORE = 30;

export interface NarrativeView {
	actor: string;
	actorName: string;
	/** The paragraph, or null when the series is too long to read whole (then `note` says so). */
	text: string | null;
	note: string | null;
}

export interface CorrectedView {
	eventId: number;
	actorName: string;
	when: string;
	label: string;
}

export interface ChartChanges {
	changes: ChangeView[];
	markers: ChangeMarker[];
	corrected: CorrectedView[];
	narratives: NarrativeView[];
	/** Names of the actors whose changes are not marked, because their series is drawn aggregated. */
	unmarked: string[];
	/** Changes in range left unmarked because the chart marks at most MAX_CHART_MARKERS. */
	omitted: number;
	/** The changes page with every change of the chart (its issue, actors and range), when some are omitted. */
	moreHref: string | null;
}

/** No markers, corrections or narratives (a person's page). */
export const NO_CHANGES: ChartChanges = { changes: [], markers: [], corrected: [], narratives: [], unmarked: [], omitted: 0, moreHref: null };

/**
 * The change markers, corrected events and narratives of an issue chart's shown actors, read on
 * the bounded path: per actor, its series on this issue whole when short, else the range and a
 * few events before it; never the issue's other actors, never an aggregated actor's events.
 * Pinned to a moment (`asof`), the same derivation over the record as it stood then: the events
 * then (queries/asofRead.ts), the confirmations, rules and corrections then (markContext), the
 * actors' names then; `today` is then the moment's day.
 */
export async function chartChanges(db: Db, args: ChartChangesArgs): Promise<ChartChanges> {
	// Kept until the next write to the issue or to any actor (its data version): the whole-series
	// reads and the change detection behind a chart run once per version, not once per view.
	const { issue, shown, range, today, narrate = true, maxMarkers, asof = null } = args;
	// Pinned: the issue as it stood then is part of the key (its scale and rules then).
	const scope = `${await viewVersion(db, [issue.slug])}|${JSON.stringify([shown, range, today, narrate, maxMarkers ?? null, asof ? [asof.asof, issue] : null])}`;
	let dbKey = dbKeys.get(db);
	if (dbKey === undefined) dbKeys.set(db, (dbKey = nextDbKey++));
	const key = `${dbKey}|${scope}`;
	const byKey = cached;
	const hit = byKey.get(key);
	if (hit) return hit;
	const out = await readChartChanges(db, args);
	byKey.set(key, out);
	cachedItems += itemsOf(out);
	for (const [k, v] of byKey) {
		if (cachedItems <= CACHE_ITEMS && byKey.size <= CACHE_ENTRIES) break;
		byKey.delete(k);
		cachedItems -= itemsOf(v);
	}
	return out;
}

/** What the cache of chart changes may hold: entries, and markers, cards, narratives and rings together. */
const CACHE_ENTRIES = 500;
const CACHE_ITEMS = 20_000;
const cached = new Map<string, ChartChanges>();
// Each database its own keys (tests open many; their counters start alike).
const dbKeys = new WeakMap<object, number>();
let nextDbKey = 0;
let cachedItems = 0;
const itemsOf = (c: ChartChanges) => 1 + c.changes.length + c.markers.length + c.corrected.length + c.narratives.length;

interface ChartChangesArgs {
	issue: Issue;
	/** The shown actors: their total events on the issue, and whether the chart aggregates them. */
	shown: { slug: string; events: number; aggregated: boolean }[];
	range: DateRange;
	today: string;
	/** Every actor (names), when the caller has them already. */
	actors?: Actor[];
	/** False: no narratives wanted, so an aggregated actor's events are not read at all. */
	narrate?: boolean;
	/** At most this many markers (default MAX_CHART_MARKERS; fewer on a small panel). */
	maxMarkers?: number;
	/** Pinned to a moment: the record as it stood then (`issue`, `shown` and `actors` as they stood then too). */
	asof?: AsOfDelta | null;
}

async function readChartChanges(
	db: Db,
	{
		issue,
		shown,
		range,
		today,
		actors,
		narrate = true,
		maxMarkers,
		asof = null
	}: ChartChangesArgs
): Promise<ChartChanges> {
	const allActors = actors ?? (await actorQueries.list(db, asof ? { at: asof } : {}));
	// The one place the two records differ: where a series' events come from.
	const read = (q: Parameters<typeof seriesEvents>[1]) => (asof ? seriesEventsAt(db, asof, q) : seriesEvents(db, q));
	const byActor = new Map(allActors.map((a) => [a.slug, a]));
	const names = { actors: byActor, issues: new Map([[issue.slug, issue]]) };
	const out: ChartChanges = { changes: [], markers: [], corrected: [], narratives: [], unmarked: [], omitted: 0, moreHref: null };
	const loaded = await Promise.all(
		shown.map(async (a) => {
			const whole = a.events <= MARK_WHOLE_EVENTS;
			if ((!whole || !narrate) && a.aggregated) return { a, whole, list: [] as StanceEvent[] };
			if (whole) return { a, whole, list: await read({ actor: a.slug, issue: issue.slug }) };
			const [before, inRange] = await Promise.all([
				read({ actor: a.slug, issue: issue.slug, to: addDays(range.from, -1), order: 'desc', limit: MARK_EVENTS_BEFORE }),
				read({ actor: a.slug, issue: issue.slug, from: range.from, to: range.to })
			]);
			return { a, whole, list: [...before.reverse(), ...inRange] };
		})
	);
	const marks = markInputs(
		await markContext(db, { eventIds: loaded.flatMap((l) => l.list.map((e) => e.id)), issues: [issue.slug], asof })
	);
	const rules = marks.rules.get(issue.slug);
	const corrected = new Set(marks.corrected);
	const actorNames = new Map(allActors.map((a) => [a.slug, a.name]));
	for (const { a, whole, list } of loaded) {
		const name = byActor.get(a.slug)?.name ?? a.slug;
		const series = buildSeries({ events: list })[0];
		if (!series && a.aggregated && !narrate) {
			out.unmarked.push(name);
			continue;
		}
		if (!series) {
			out.narratives.push({ actor: a.slug, actorName: name, text: null, note: whole ? null : 'Too many events to summarise here.' });
			continue;
		}
		const changes = detectChanges({ series, scale: issue.scale, rules, confirmations: marks.confirmations });
		out.narratives.push({
			actor: a.slug,
			actorName: name,
			text: whole ? narrateSeries({ series, issue, actorName: name, names: byActor, today, rules, changes }) : null,
			note: whole ? null : `${a.events.toLocaleString('en')} events: too many to summarise here; the changes page lists them.`
		});
		if (a.aggregated) {
			out.unmarked.push(name);
		} else {
			const markers = changeMarkers({ changes, range, scale: issue.scale, names: actorNames });
			const shownIds = new Set(markers.map((m) => m.eventId));
			out.markers.push(...markers);
			out.changes.push(...changes.filter((c) => shownIds.has(c.to.eventId)).map((c) => changeView(c, names)));
		}
		for (const p of series.points) {
			if (!corrected.has(p.eventId) || p.date > range.to || p.date < range.from) continue;
			out.corrected.push({ eventId: p.eventId, actorName: name, when: formatDate(p.date, p.datePrecision), label: labelFor(issue.scale, p.position) });
		}
	}
	// A chart marks at most MAX_CHART_MARKERS changes (the most significant), and ships cards for those only.
	const { kept, omitted } = significantMarkers(out.markers, maxMarkers);
	const keptIds = new Set(kept.map((m) => m.eventId));
	out.markers = kept;
	out.omitted = omitted;
	// The changes page lists today's record: a pinned chart links none.
	if (omitted && !asof) out.moreHref = changesHref({ issues: [issue.slug], actors: shown.map((a) => a.slug), range });
	out.changes = out.changes.filter((c) => keptIds.has(c.eventId));
	out.changes.sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : x.eventId - y.eventId));
	return out;
}

/**
 * The change an event started as the record stood at a moment (its page pinned with ?asof=): its
 * actor's series on its issue then, read whole, with the issue's rules and the confirmations then,
 * through the same derivation as the live record's. Null when it started none then.
 */
export async function changeStartedAt(db: Db, asof: AsOfDelta, event: StanceEvent, issue: Issue): Promise<Change | null> {
	const list = await seriesEventsAt(db, asof, { actor: event.actor, issue: event.issue });
	const series = buildSeries({ events: list })[0];
	if (!series) return null;
	const marks = markInputs(await markContext(db, { eventIds: list.map((e) => e.id), issues: [issue.slug], asof }));
	return detectChanges({ series, scale: issue.scale, rules: marks.rules.get(issue.slug), confirmations: marks.confirmations }).find((c) => c.to.eventId === event.id) ?? null;
}

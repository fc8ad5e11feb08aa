import type { Db } from '../db/client';
import { readerFor } from '../db/reader';
import { classConfirmation } from '../db/schema';
import { detectChanges, newestFirst, rulesOf, stanceRuns, type Change, type ChangeRules, type ClassConfirmation, type StanceRun } from '../../domain/changes';
import { buildSeries, compareEvents, type Series } from '../../domain/series';
import { periodStart } from '../../domain/dates';
import type { Actor, Issue } from '../../domain/types';
import { wholeSeriesEvents } from './eventPage';
import * as actors from './actors';
import * as events from './events';
import * as issues from './issues';
import { dataVersion, DATA_SCOPE } from './meta';
import { viewMaxEvents } from './view';

/** Which actors and issues a record covers; none named is everything. */
export interface ChangeScope {
	actors?: string[];
	issues?: string[];
}

/** Everything the changes pages, feeds and "who moved" read, derived from the live record. */
export interface ChangeRecord {
	version: string;
	actors: Map<string, Actor>;
	issues: Map<string, Issue>;
	/** The series of the record's scope (every (actor, issue) pair with live events in it). */
	seriesList: Series[];
	rules: Map<string, Partial<ChangeRules>>;
	confirmations: Map<number, ClassConfirmation>;
	/** Every change of the record's scope, newest first. */
	changes: Change[];
	/** Each series' stances and changes (oldest first), as derived: "who moved" reads them instead of deriving them again. */
	derived: Map<Series, { runs: StanceRun[]; changes: Change[] }>;
	/** Slugs of the actors with live events (on any issue), for pickers. */
	activeActors: Set<string>;
	/**
	 * Set when the scope holds more events than VIEW_MAX_EVENTS: nothing was derived and `message`
	 * names the limit and what to ask for instead.
	 */
	tooLarge: { count: number; limit: number; message: string } | null;
}

// Two caches, neither ever stale:
// - records, per scope, keyed by the data version (one lookup): repeated requests and paging
//   between writes cost nothing more;
// - the changes of each (actor, issue) series, keyed by what that series' changes depend on: its
//   live events' count and dates (issue_actor_activity, moved by inserts), its own write counter
//   (series_version, bumped by triggers on every update or delete of its events or their sources
//   and on every class confirmation of them, whoever writes, in whichever process), its issue's
//   scale and rules, and the actors' counter (names and slugs of speakers). After a write only the
//   series it touched is derived again: a vote recorded for Brazil leaves the United States'
//   12,000 changes as they were. Bounded by the events they hold (SERIES_KEPT_EVENTS), least
//   recently used first out.
const records = new Map<string, { version: string; record: Promise<ChangeRecord> }>();
const RECORDS_KEPT = 16;
interface SeriesEntry {
	key: string;
	events: number;
	series: Series;
	runs: StanceRun[];
	/** Oldest first, as detectChanges gives them. */
	changes: Change[];
}
const seriesCache = new Map<string, SeriesEntry>();
let seriesCacheEvents = 0;
let cachedDb: Db | null = null;

/** The most events the per-series cache holds: twice what one view may load. */
const seriesKeptEvents = (maxEvents: number) => 2 * maxEvents;

function forget(pair: string) {
	const had = seriesCache.get(pair);
	if (!had) return;
	seriesCache.delete(pair);
	seriesCacheEvents -= had.events;
}

function keep(pair: string, entry: SeriesEntry, cap: number, needed: ReadonlySet<string>) {
	forget(pair);
	for (const [k, e] of seriesCache) {
		if (seriesCacheEvents + entry.events <= cap) break;
		if (needed.has(k)) continue;
		forget(k);
	}
	seriesCache.set(pair, entry);
	seriesCacheEvents += entry.events;
}

/** A live (actor, issue) pair of a scope, with what its change records depend on in the database. */
interface Pair {
	/** The cache's name for the series: the actor's and issue's ids (slugs can change hands). */
	id: string;
	actor: string;
	issue: string;
	events: number;
	stamp: string;
}

const PAIRS_SQL = (where: string) => `select a.slug, i.slug, c.events, c.first, c.last, coalesce(v.n, 0), c.actor_id, c.issue_id
	from issue_actor_activity c
	join actor a on a.id = c.actor_id and a.deleted_at is null
	join issue i on i.id = c.issue_id and i.deleted_at is null
	left join series_version v on v.issue_id = c.issue_id and v.actor_id = c.actor_id
	where c.events > 0${where} order by a.slug, i.slug`;

/** The live pairs of a scope: one row each from issue_actor_activity (kept by triggers), no event read. */
async function scopePairs(db: Db, scope: ChangeScope): Promise<Pair[]> {
	let where = '';
	const args: string[] = [];
	if (scope.actors?.length) {
		where += ` and a.slug in (${scope.actors.map(() => '?').join(',')})`;
		args.push(...scope.actors);
	}
	if (scope.issues?.length) {
		where += ` and i.slug in (${scope.issues.map(() => '?').join(',')})`;
		args.push(...scope.issues);
	}
	const rows = await readerFor(db).all(PAIRS_SQL(where), args);
	return rows.map((r) => ({ id: `${r[6]}.${r[7]}`, actor: String(r[0]), issue: String(r[1]), events: Number(r[2]), stamp: `${r[2]}.${r[3]}.${r[4]}.${r[5]}` }));
}

async function activeActors(db: Db): Promise<Set<string>> {
	const rows = await readerFor(db).all(
		'select distinct a.slug from issue_actor_activity c join actor a on a.id = c.actor_id and a.deleted_at is null where c.events > 0'
	);
	return new Set(rows.map((r) => String(r[0])));
}

async function actorsCounter(db: Db): Promise<string> {
	const row = await readerFor(db).get('select n from data_version where scope = ?', [DATA_SCOPE.actors]);
	return String(row?.[0] ?? 0);
}

/** One series and its changes, read on the series index as one JSON text (`wholeSeriesEvents`). */
async function deriveSeries(
	db: Db,
	pair: Pair,
	issue: Issue,
	rules: Partial<ChangeRules> | undefined,
	confirmations: ReadonlyMap<number, ClassConfirmation>
): Promise<{ series: Series; runs: StanceRun[]; changes: Change[] }> {
	const list = await wholeSeriesEvents(db, { actor: pair.actor, issue: pair.issue });
	// Read in series order already (date, then recording): sorting 6,000 votes again cost as much
	// as detecting their changes. Checked in one pass; out of order, it is sorted as usual.
	const inOrder = list.every((e, i) => i === 0 || compareEvents(list[i - 1]!, e) < 0);
	const series = inOrder
		? {
				actor: pair.actor,
				issue: pair.issue,
				points: list.map((event) => ({ date: periodStart(event.date, event.datePrecision), datePrecision: event.datePrecision, position: event.position, eventId: event.id, event }))
			}
		: (buildSeries({ events: list })[0] ?? { actor: pair.actor, issue: pair.issue, points: [] });
	return { series, runs: stanceRuns({ series, scale: issue.scale, rules }), changes: detectChanges({ series, scale: issue.scale, rules, confirmations }) };
}

function tooLargeMessage(count: number, limit: number): string {
	return (
		`these changes come from ${count.toLocaleString('en')} events, more than the ${limit.toLocaleString('en')} one request may read ` +
		`(VIEW_MAX_EVENTS): choose a few actors or issues`
	);
}

async function derive(db: Db, version: string, scope: ChangeScope, maxEvents: number): Promise<ChangeRecord> {
	// What a series' cache key is made of is read before what its changes are derived from, so an
	// entry may hold newer data than its key (derived again next time), never older.
	const pairs = await scopePairs(db, scope);
	const [actorsN, actorList, issueList, confirmationRows, active] = await Promise.all([
		actorsCounter(db),
		actors.list(db),
		issues.list(db),
		db.select().from(classConfirmation),
		activeActors(db)
	]);
	const issueMap = new Map(issueList.map((i) => [i.slug, i]));
	const rules = new Map<string, Partial<ChangeRules>>();
	for (const i of issueList) {
		const own = rulesOf(i.rules);
		if (Object.keys(own).length) rules.set(i.slug, own);
	}
	const confirmations = new Map<number, ClassConfirmation>(
		confirmationRows.map((c) => [c.eventId, { eventId: c.eventId, class: c.class, reason: c.reason, at: c.at }])
	);
	const base = {
		version,
		actors: new Map(actorList.map((a) => [a.slug, a])),
		issues: issueMap,
		rules,
		confirmations,
		activeActors: active
	};
	const count = pairs.reduce((n, p) => n + p.events, 0);
	if (count > maxEvents) {
		return { ...base, seriesList: [], changes: [], derived: new Map(), tooLarge: { count, limit: maxEvents, message: tooLargeMessage(count, maxEvents) } };
	}
	const needed = new Set(pairs.map((p) => p.id));
	const cap = Math.max(seriesKeptEvents(maxEvents), count);
	const seriesList: Series[] = [];
	const perSeries: Change[][] = [];
	const derived: ChangeRecord['derived'] = new Map();
	for (const pair of pairs) {
		const issue = issueMap.get(pair.issue);
		if (!issue) continue;
		const r = rules.get(pair.issue);
		const id = pair.id;
		// The events carry the slugs: a renamed issue (or actor: its counter) is derived again.
		const key = `${pair.stamp}|${actorsN}|${pair.issue}|${issue.scale.min}:${issue.scale.max}|${r?.minShare ?? ''}:${r?.walkBackDays ?? ''}`;
		let entry = seriesCache.get(id);
		if (entry?.key === key) {
			// Most recently used last.
			seriesCache.delete(id);
			seriesCache.set(id, entry);
		} else {
			const made = await deriveSeries(db, pair, issue, r, confirmations);
			entry = { key, events: made.series.points.length, ...made };
			keep(id, entry, cap, needed);
		}
		seriesList.push(entry.series);
		perSeries.push(entry.changes);
		derived.set(entry.series, { runs: entry.runs, changes: entry.changes });
	}
	return { ...base, seriesList, changes: perSeries.flat().sort(newestFirst), derived, tooLarge: null };
}

/**
 * The change records of the live data for a scope (the actors and issues a request filters on;
 * none named is everything): every change of its (actor, issue) series, or, past
 * VIEW_MAX_EVENTS, none (`tooLarge`, counted from per-pair totals before anything is read).
 * Cached per scope by data version, and per series by what that series depends on (see above).
 */
export async function record(db: Db, scope: ChangeScope = {}, opts: { maxEvents?: number } = {}): Promise<ChangeRecord> {
	const maxEvents = opts.maxEvents ?? viewMaxEvents();
	if (db !== cachedDb) {
		records.clear();
		seriesCache.clear();
		seriesCacheEvents = 0;
		cachedDb = db;
	}
	const version = await dataVersion(db);
	const used: ChangeScope = { actors: [...new Set(scope.actors ?? [])].sort(), issues: [...new Set(scope.issues ?? [])].sort() };
	const key = `${JSON.stringify(used)}|${maxEvents}`;
	const hit = records.get(key);
	if (hit?.version === version) return hit.record;
	const made = derive(db, version, used, maxEvents);
	records.delete(key);
	if (records.size >= RECORDS_KEPT) records.delete(records.keys().next().value!);
	records.set(key, { version, record: made });
	made.catch(() => {
		if (records.get(key)?.record === made) records.delete(key);
	});
	return made;
}

/** The change an event starts, if any (read from its actor's series on its issue alone). */
export async function startedBy(db: Db, eventId: number): Promise<{ change: Change; record: ChangeRecord } | null> {
	const [ev] = (await events.list(db, { ids: [eventId] })).events;
	if (!ev) return null;
	const rec = await record(db, { actors: [ev.actor], issues: [ev.issue] });
	const change = rec.changes.find((c) => c.to.eventId === eventId);
	return change ? { change, record: rec } : null;
}

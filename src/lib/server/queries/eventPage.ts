/**
 * Reads for pages that must stay small whatever the database holds: the actors of an issue with
 * their activity, compact chart points for a few actors, and one page of an events table. Raw SQL
 * on the indexes, no row mapping beyond what the page shows.
 */
import type { InValue } from '@libsql/client';
import type { Db } from '../db/client';
import { bucketEnd, bucketStart, type AggregatePoint, type Bucket } from '../../domain/aggregate';
import type { ActorActivity } from '../../domain/selection';
import { EVENTS_PER_PAGE, type EventQuery } from '../../domain/eventQuery';
import type { ChartPoint } from '../../charts/stanceLine';
import type { DatePrecision, StanceEvent } from '../../domain/types';
import { eventDetails, type EventDetail } from '../../charts/detail';
import type { Actor } from '../../domain/types';
import * as issues from './issues';
import { readerFor } from '../db/reader';
import { EVENT_COLUMNS, EVENT_FROM, eventOfRow, groupSources, sourcesOfEvents } from './eventRows';

/**
 * Whose series: the events an actor holds (`actor`, the default) or the events a person said
 * (`speaker`, a person's page). Each seeks its own (actor|speaker, issue, date) index.
 */
export type SeriesBy = 'actor' | 'speaker';
const byColumn = (by: SeriesBy | undefined) => (by === 'speaker' ? 'speaker_id' : 'actor_id');

/**
 * `createdBy` (an ISO date-time): only events recorded by then, as a page pinned to a moment reads
 * today's rows (see pages/asof.ts). The condition and its argument, or nothing.
 */
const recorded = (createdBy: string | null | undefined): { sql: string; args: InValue[] } =>
	createdBy ? { sql: ' and created_at <= ?', args: [createdBy] } : { sql: '', args: [] };

const prefix = (bucket: Bucket) => (bucket === 'year' ? 4 : 7);
const POINT_COLUMNS = 'id, date, date_precision, position, position_low, position_high';

/**
 * The statements that read one actor's (or speaker's) series on an issue, their arguments
 * starting with the actor's and the issue's ids. By actor they walk the covering
 * (actor, issue, date, ...) index alone; exported so a test can check their plans.
 */
export const SERIES_SQL = {
	/** [actor, issue, createdBy?]: the first date known to the month or the day. */
	firstFiner: (by?: SeriesBy, rec = '') =>
		`select date from stance_event where ${byColumn(by)} = ? and issue_id = ? and deleted_at is null${rec} and date_precision <> 'year' order by date limit 1`,
	/** [actor, issue, createdBy?, from]: the last point before `from`. */
	pointBefore: (by?: SeriesBy, rec = '') =>
		`select ${POINT_COLUMNS} from stance_event where ${byColumn(by)} = ? and issue_id = ? and deleted_at is null${rec} and date < ? order by date desc, created_at desc, id desc limit 1`,
	/** [actor, issue, createdBy?, from?, to?]: the points in series order. */
	points: (by: SeriesBy | undefined, from: boolean, to: boolean, rec = '') =>
		`select ${POINT_COLUMNS} from stance_event where ${byColumn(by)} = ? and issue_id = ? and deleted_at is null${rec}${from ? ' and date >= ?' : ''}${to ? ' and date <= ?' : ''} order by date, created_at, id`,
	/** [actor, issue, from, to, createdBy?]: events in view. */
	count: (by?: SeriesBy, rec = '') =>
		`select count(*) from stance_event where ${byColumn(by)} = ? and issue_id = ? and date >= ? and date <= ? and deleted_at is null${rec}`,
	/** [actor, issue, createdBy?, to, period start of from]: per period count, sum, min, max, carried-in min and max, changes. */
	periods: (by: SeriesBy | undefined, bucket: Bucket, rec = '') => `with s as (
				select date, position, lag(position) over (order by date, created_at, id) as prev
				from stance_event where ${byColumn(by)} = ? and issue_id = ? and deleted_at is null${rec} and date <= ?
			)
			select substr(date, 1, ${prefix(bucket)}) as p, count(*), sum(position), min(position), max(position), min(prev), max(prev),
				sum(prev is not null and prev <> position)
			from s where date >= ? group by p order by p`,
	/** [actor, issue, createdBy?, period start of from, to]: events per period and position. */
	positionCounts: (by: SeriesBy | undefined, bucket: Bucket, rec = '') => `select substr(date, 1, ${prefix(bucket)}) as p, position, count(*) from stance_event
			where ${byColumn(by)} = ? and issue_id = ? and deleted_at is null${rec} and date >= ? and date <= ?
			group by p, position order by p, position`
};

/** Rows the series cache may hold, all databases together (a period or a point is one row). */
export const SERIES_CACHE_ROWS = 200_000;
const seriesCache = new Map<string, unknown[][]>();
let cachedRows = 0;
// Each database its own keys (tests open many; their counters start alike).
const dbKeys = new WeakMap<object, number>();
let nextDbKey = 0;
// The issue's counter and the actors' (data_version, bumped by triggers in the writing batch).
const ISSUE_VERSION_SQL = 'select group_concat(n) from (select n from data_version where scope in (-1, ?) order by scope)';

/**
 * A read of one actor's series on one issue (through the reader: prepared once, rows as arrays),
 * kept until the next write to that issue or to any actor: a page viewed again, another page of
 * its table or another visitor costs one version lookup per read instead of the walk.
 */
async function seriesRows(db: Db, issueId: number, sql: string, args: InValue[]): Promise<unknown[][]> {
	const reader = readerFor(db);
	const version = (await reader.get(ISSUE_VERSION_SQL, [issueId]))?.[0];
	let dbKey = dbKeys.get(db);
	if (dbKey === undefined) dbKeys.set(db, (dbKey = nextDbKey++));
	const cache = seriesCache;
	const key = `${dbKey}|${issueId}:${version}|${sql}|${args.join('|')}`;
	const hit = cache.get(key);
	if (hit) {
		// Most recently used last: the oldest entries go first when the cache is full.
		cache.delete(key);
		cache.set(key, hit);
		return hit;
	}
	const rows = await reader.all(sql, args as (string | number | null)[]);
	cache.set(key, rows);
	cachedRows += rows.length + 1;
	for (const [k, v] of cache) {
		if (cachedRows <= SERIES_CACHE_ROWS) break;
		cache.delete(k);
		cachedRows -= v.length + 1;
	}
	return rows;
}

/** An actor with events on an issue. */
export interface IssueActor extends ActorActivity {
	id: number;
	color: string;
	/** Dates of its first and last event on the issue. */
	first: string;
	last: string;
}

// issue_actor_activity is kept by triggers: listing 200 actors reads 200 rows, not their events.
const activitySql = (withDeleted: boolean) => `
	select a.id, a.slug, a.name, a.color, c.events, c.first, c.last, f.ordinal
	from issue_actor_activity c
	join actor a on a.id = c.actor_id${withDeleted ? '' : ' and a.deleted_at is null'}
	left join issue_featured_actor f on f.issue_id = c.issue_id and f.actor_id = a.id
	where c.issue_id = ?
	order by a.name`;

/**
 * The actors with live events on an issue (by id), with counts, first and last dates, featured
 * order. `withDeleted`: deleted actors' too (a page pinned to a moment keeps those deleted since).
 */
export async function issueActors(db: Db, issueId: number, { withDeleted = false }: { withDeleted?: boolean } = {}): Promise<IssueActor[]> {
	const rs = await db.$client.execute({ sql: activitySql(withDeleted), args: [issueId] });
	return rs.rows.map((r) => ({
		id: Number(r[0]),
		slug: String(r[1]),
		name: String(r[2]),
		color: String(r[3]),
		events: Number(r[4]),
		first: String(r[5]),
		last: String(r[6]),
		featured: r[7] === null ? null : Number(r[7])
	}));
}

/**
 * The date of an actor's first live event on an issue known to the month or the day, or null.
 * Walks the (actor, issue, date) index in order and stops at the first such event.
 */
export async function firstFinerDate(
	db: Db,
	{ actorId, issueId, by, createdBy }: { actorId: number; issueId: number; by?: SeriesBy; createdBy?: string | null }
): Promise<string | null> {
	const rec = recorded(createdBy);
	const rows = await seriesRows(db, issueId, SERIES_SQL.firstFiner(by, rec.sql), [actorId, issueId, ...rec.args]);
	return rows[0] ? String(rows[0][0]) : null;
}

/** The id of a live issue by slug, or null; `withDeleted`: of a deleted one too. */
export async function issueId(db: Db, slug: string, { withDeleted = false }: { withDeleted?: boolean } = {}): Promise<number | null> {
	const rs = await db.$client.execute({ sql: `select id from issue where slug = ?${withDeleted ? '' : ' and deleted_at is null'}`, args: [slug] });
	return rs.rows[0] ? Number(rs.rows[0][0]) : null;
}

const PRECISIONS: DatePrecision[] = ['day', 'month', 'year'];

/**
 * One actor's points on an issue within [from, to], in series order, preceded by the last point
 * before `from` (the stance the chart carries in from its left edge). Seeks the
 * (actor, issue, date) index.
 */
export async function chartPoints(
	db: Db,
	{ actorId, issueId, from, to, by, createdBy }: { actorId: number; issueId: number; from: string | null; to: string | null; by?: SeriesBy; createdBy?: string | null }
): Promise<ChartPoint[]> {
	const rec = recorded(createdBy);
	const args: InValue[] = [actorId, issueId, ...rec.args];
	if (from) args.push(from);
	if (to) args.push(to);
	const [before, inRange] = await Promise.all([
		from ? seriesRows(db, issueId, SERIES_SQL.pointBefore(by, rec.sql), [actorId, issueId, ...rec.args, from]) : [],
		seriesRows(db, issueId, SERIES_SQL.points(by, !!from, !!to, rec.sql), args)
	]);
	const toPoint = (r: unknown[]): ChartPoint => ({
		eventId: Number(r[0]),
		date: String(r[1]),
		datePrecision: (PRECISIONS.includes(r[2] as DatePrecision) ? r[2] : 'day') as DatePrecision,
		position: Number(r[3]),
		...(r[4] != null && r[5] != null ? { positionLow: Number(r[4]), positionHigh: Number(r[5]) } : {})
	});
	return [...before, ...inRange].map(toPoint);
}

/** Listings stop counting here: "10,000+ events", and pages beyond it are not offered. */
export const LIST_CAP = 10_000;

export interface EventPageScope {
	/** These events only. */
	ids?: readonly number[];
	/** Events on this issue (id). */
	issueId?: number;
	/** Events on any of these issues (ids). */
	issueIds?: readonly number[];
	/** Events of any of these actors (ids). */
	actorIds?: readonly number[];
	/** Events where this actor (id) is the actor or the speaker: two index seeks. */
	involving?: number;
	/** Only events recorded by then (ISO date-time): a page pinned to a moment (see pages/asof.ts). */
	createdBy?: string;
	/** Not these events (changed since the moment a page is pinned to: it has them as they were). */
	except?: readonly number[];
	/**
	 * Pinned to a moment: the actors and issues not in the record then (JSON lists of slugs, see
	 * AsOfDelta.absentJson) are left out instead of today's deleted ones.
	 */
	absent?: { actors: string; issues: string };
}

export interface EventPage {
	/** Events matching, exact up to LIST_CAP (or exactly, when `knownTotal` was given). */
	total: number;
	/** True when `total` stopped at LIST_CAP. */
	capped: boolean;
	/** Pages a reader can reach (offsets stay within LIST_CAP). */
	pages: number;
	/** The page shown, clamped to the pages there are. */
	page: number;
	events: StanceEvent[];
	/** Names and colours of the actors, speakers and targets on this page. */
	names: { slug: string; name: string; color: string }[];
}

/**
 * The WHERE clause (over `stance_event e`, `actor a`, `issue i`) and its arguments of an events
 * table: its scope and the query's filters. Exported so a test can check the plan uses an index.
 */
export function eventPageWhere(scope: EventPageScope, query: EventQuery): { where: string; args: InValue[] } {
	const c: string[] = ['e.deleted_at is null'];
	const args: InValue[] = [];
	if (scope.absent) {
		c.push('a.slug not in (select value from json_each(?))', 'i.slug not in (select value from json_each(?))');
		args.push(scope.absent.actors, scope.absent.issues);
	} else c.push('a.deleted_at is null', 'i.deleted_at is null');
	const inList = (col: string, ids: readonly number[]) => {
		c.push(ids.length ? `${col} in (${ids.map(() => '?').join(',')})` : '0');
		args.push(...ids);
	};
	if (scope.issueId !== undefined) {
		c.push('e.issue_id = ?');
		args.push(scope.issueId);
	}
	if (scope.ids) inList('e.id', scope.ids);
	if (scope.issueIds) inList('e.issue_id', scope.issueIds);
	if (scope.actorIds) inList('e.actor_id', scope.actorIds);
	if (scope.involving !== undefined) {
		c.push('(e.actor_id = ? or e.speaker_id = ?)');
		args.push(scope.involving, scope.involving);
	}
	if (scope.createdBy) {
		c.push('e.created_at <= ?');
		args.push(scope.createdBy);
	}
	if (scope.except?.length) {
		c.push('e.id not in (select value from json_each(?))');
		args.push(JSON.stringify(scope.except));
	}
	if (query.actor) {
		c.push('e.actor_id = (select id from actor where slug = ?)');
		args.push(query.actor);
	}
	if (query.speaker) {
		c.push('e.speaker_id = (select id from actor where slug = ?)');
		args.push(query.speaker);
	}
	if (query.kind) {
		c.push('e.kind = ?');
		args.push(query.kind);
	}
	if (query.from) {
		// An event belongs to the dates when its period (a day, month or year) overlaps them, as on
		// the charts: the index seeks from the start of the year, then the exact test.
		c.push("e.date >= ? and (e.date >= ? or e.date_precision = 'year' or (e.date_precision = 'month' and e.date >= ?))");
		args.push(`${query.from.slice(0, 4)}-01-01`, query.from, `${query.from.slice(0, 7)}-01`);
	}
	if (query.to) {
		c.push('e.date <= ?');
		args.push(query.to);
	}
	return { where: c.join(' and '), args };
}

/**
 * The two statements of an events table: its count (stopping past LIST_CAP) and one page of rows,
 * sorted by date. Exported so a test can read their plans on a real database file.
 */
export function eventPageStatements({
	scope,
	query,
	perPage = EVENTS_PER_PAGE,
	page,
	offset = (page - 1) * perPage
}: {
	scope: EventPageScope;
	query: EventQuery;
	perPage?: number;
	page: number;
	/** Rows skipped: the page's by default; a window of its own for a merged table (pages/asof.ts). */
	offset?: number;
}) {
	const { where, args } = eventPageWhere(scope, query);
	const dir = query.sort === 'desc' ? 'desc' : 'asc';
	return {
		count: { sql: `select count(*) from (select 1 from stance_event e join actor a on a.id = e.actor_id join issue i on i.id = e.issue_id where ${where} limit ${LIST_CAP + 1})`, args },
		rows: {
			sql: `select ${EVENT_COLUMNS} ${EVENT_FROM}
			where ${where}
			order by e.date ${dir}, e.created_at ${dir}, e.id ${dir} limit ${perPage} offset ${offset}`,
			args
		}
	};
}

/**
 * One page of an events table: the scope (issue, actors, or an actor and what it said), the
 * query's filters (actor, speaker, kind, dates), its sort and page. `knownTotal` skips the count
 * when the caller already knows it (an issue's total from its actors' activity).
 */
export async function eventPage(
	db: Db,
	{ scope, query, knownTotal, perPage = EVENTS_PER_PAGE }: { scope: EventPageScope; query: EventQuery; knownTotal?: number; perPage?: number }
): Promise<EventPage> {
	let total: number;
	let capped = false;
	if (knownTotal !== undefined) total = knownTotal;
	else {
		const rs = await db.$client.execute(eventPageStatements({ scope, query, perPage, page: 1 }).count);
		total = Number(rs.rows[0]?.[0] ?? 0);
		if (total > LIST_CAP) {
			total = LIST_CAP;
			capped = true;
		}
	}
	const pages = Math.max(1, Math.ceil(Math.min(total, LIST_CAP) / perPage));
	const page = Math.min(query.page, pages);
	const events = await readEventRows(db, eventPageStatements({ scope, query, perPage, page }).rows);
	return { total, capped, pages, page, events, names: await namesOf(db, events.flatMap((e) => [e.actor, e.speaker, e.target])) };
}

/** Runs the rows statement of an events table (see eventPageStatements) and reads its events with their sources. */
export async function readEventRows(db: Db, statement: { sql: string; args: InValue[] }): Promise<StanceEvent[]> {
	const rs = await db.$client.execute(statement);
	const rows = rs.rows.map((r) => r as unknown as unknown[]);
	const sources = await sourcesOfEvents(db, rows.map((r) => Number(r[0])));
	return rows.map((r) => eventOfRow(r, sources));
}

const SERIES_SCOPE = `e.actor_id = (select id from actor where slug = ? and deleted_at is null)
	and e.issue_id = (select id from issue where slug = ? and deleted_at is null) and e.deleted_at is null`;

/**
 * One actor's live events on one issue (by slugs), whole and with their sources, as
 * `events.list({ actors: [actor], issues: [issue], ... })` gives them (the same events, order and
 * fields), read through the (actor, issue, date) index with prepared statements and no row
 * mapping: what markers and narratives read for a shown actor. `from`/`to` bound the dates;
 * `order: 'desc'` with `limit` gives the latest events before a date.
 */
export async function seriesEvents(
	db: Db,
	{ actor, issue, from, to, order = 'asc', limit }: { actor: string; issue: string; from?: string; to?: string; order?: 'asc' | 'desc'; limit?: number }
): Promise<StanceEvent[]> {
	let where = SERIES_SCOPE;
	const args: (string | number)[] = [actor, issue];
	if (from) {
		where += ' and e.date >= ?';
		args.push(from);
	}
	if (to) {
		where += ' and e.date <= ?';
		args.push(to);
	}
	const dir = order === 'desc' ? 'desc' : 'asc';
	const reader = readerFor(db);
	const rows = await reader.all(
		`select e.id, ?, ?, sp.slug, tg.slug, e.date, e.date_precision, e.position, e.kind, e.summary, e.quote,
			e.quote_language, e.confidence, e.created_at, e.version, e.position_low, e.position_high
		from stance_event e left join actor sp on sp.id = e.speaker_id left join actor tg on tg.id = e.target_id
		where ${where} order by e.date ${dir}, e.created_at ${dir}, e.id ${dir}${limit !== undefined ? ` limit ${Math.max(0, Math.floor(limit))}` : ''}`,
		[actor, issue, ...args]
	);
	if (!rows.length) return [];
	// Sources: with a limit, by the ids read; whole, by the same scope (one walk, no long id list).
	const sourceRows =
		limit !== undefined
			? await reader.all(
					`select event_id, outlet, title, url, published_on from source where event_id in (${rows.map(() => '?').join(',')}) order by event_id, ordinal`,
					rows.map((r) => Number(r[0]))
				)
			: await reader.all(
					`select s.event_id, s.outlet, s.title, s.url, s.published_on from stance_event e join source s on s.event_id = e.id
					where ${where} order by s.event_id, s.ordinal`,
					args
				);
	const sources = groupSources(sourceRows);
	return rows.map((r) => eventOfRow(r, sources));
}

const num = (col: string) => `case when ${col} is null then null else printf('%!.17g', ${col}) end`;
// One JSON text for the whole series and one for its sources: the driver costs about 1 us for
// every value it hands over (17 a row), JSON.parse a fraction of that. Positions go as %!.17g
// text so that every double reads back exactly.
const WHOLE_SERIES_SQL = `select (select json_group_array(json_array(id, ?, ?, sp, tg, date, p, pos, kind, summary, quote, ql, conf, created, version, lo, hi)) from (
		select e.id as id, sp.slug as sp, tg.slug as tg, e.date as date, e.date_precision as p, ${num('e.position')} as pos, e.kind as kind,
			e.summary as summary, e.quote as quote, e.quote_language as ql, e.confidence as conf, e.created_at as created, e.version as version,
			${num('e.position_low')} as lo, ${num('e.position_high')} as hi
		from stance_event e left join actor sp on sp.id = e.speaker_id left join actor tg on tg.id = e.target_id
		where ${SERIES_SCOPE} order by e.date, e.created_at, e.id)),
	(select json_group_array(json_array(event_id, outlet, title, url, published_on)) from (
		select s.event_id, s.outlet, s.title, s.url, s.published_on from stance_event e join source s on s.event_id = e.id
		where ${SERIES_SCOPE} order by s.event_id, s.ordinal))`;

/**
 * The same events as `seriesEvents(db, { actor, issue })` (whole, oldest first, with their
 * sources), read as two JSON texts: several times cheaper for long series (the change records
 * of a UN country's 6,000 votes).
 */
export async function wholeSeriesEvents(db: Db, { actor, issue }: { actor: string; issue: string }): Promise<StanceEvent[]> {
	const row = await readerFor(db).get(WHOLE_SERIES_SQL, [actor, issue, actor, issue, actor, issue]);
	const rows = JSON.parse(String(row?.[0] ?? '[]')) as unknown[][];
	if (!rows.length) return [];
	const sources = groupSources(JSON.parse(String(row?.[1] ?? '[]')) as unknown[][]);
	return rows.map((r) => eventOfRow(r, sources));
}

/** Names and colours of actors by slug (live or not: a table row still names a deleted speaker). */
export async function namesOf(db: Db, slugs: readonly (string | null)[]): Promise<{ slug: string; name: string; color: string }[]> {
	const wanted = [...new Set(slugs.filter((s): s is string => s !== null))];
	if (!wanted.length) return [];
	const rs = await db.$client.execute({ sql: `select slug, name, color from actor where slug in (${wanted.map(() => '?').join(',')})`, args: wanted });
	return rs.rows.map((r) => ({ slug: String(r[0]), name: String(r[1]), color: String(r[2]) }));
}

/** Speakers who said something on an issue, for the table's speaker filter (by name); `withDeleted`: deleted ones too. */
export async function issueSpeakers(db: Db, issueId: number, { withDeleted = false }: { withDeleted?: boolean } = {}): Promise<{ slug: string; name: string }[]> {
	const rs = await db.$client.execute({
		sql: `select a.slug, a.name from actor a where ${withDeleted ? '1' : 'a.deleted_at is null'} and exists
			(select 1 from stance_event e where e.speaker_id = a.id and e.issue_id = ? and e.deleted_at is null) order by a.name`,
		args: [issueId]
	});
	return rs.rows.map((r) => ({ slug: String(r[0]), name: String(r[1]) }));
}

/** One live event as a tooltip shows it: names resolved, sources included. */
export async function eventDetail(db: Db, id: number): Promise<EventDetail | null> {
	const rs = await db.$client.execute({
		sql: `select i.slug from stance_event e join issue i on i.id = e.issue_id
			where e.id = ? and e.deleted_at is null and i.deleted_at is null`,
		args: [id]
	});
	const row = rs.rows[0];
	if (!row) return null;
	const [issue, { events, names }] = await Promise.all([
		issues.bySlug(db, String(row[0])),
		eventPage(db, { scope: { ids: [id] }, query: { actor: null, speaker: null, kind: null, from: null, to: null, sort: 'asc', page: 1 }, knownTotal: 1 })
	]);
	if (!issue || !events[0]) return null;
	const actors = names.map((n) => ({ ...n, kind: 'country', parent: null, role: null, countryCode: null }) as Actor);
	return eventDetails(events, actors, [issue]).get(id) ?? null;
}

/** A period of an aggregated series as SQL gives it (no opening or closing stance). */
export type PeriodStats = Omit<AggregatePoint, 'opening' | 'closing'>;

/** Live events of one actor on one issue within [from, to]: one seek on the (actor, issue, date) index. */
export async function eventsInView(
	db: Db,
	{ actorId, issueId, from, to, by, createdBy }: { actorId: number; issueId: number; from: string; to: string; by?: SeriesBy; createdBy?: string | null }
): Promise<number> {
	const rec = recorded(createdBy);
	const rows = await seriesRows(db, issueId, SERIES_SQL.count(by, rec.sql), [actorId, issueId, from, to, ...rec.args]);
	return Number(rows[0]?.[0] ?? 0);
}

/** The first day of the period a `substr(date, 1, 4 or 7)` key names. */
export const periodDate = (key: unknown, bucket: Bucket): string => (bucket === 'year' ? `${key}-01-01` : `${key}-01`);

/**
 * A period row (key, count, sum, min and max of the positions, min and max of the stance carried
 * in, moves) as the period's figures: its band takes in the stance carried in from before it.
 */
export function periodOfRow(r: readonly unknown[], bucket: Bucket): PeriodStats {
	const date = periodDate(r[0], bucket);
	const count = Number(r[1]);
	const lo = Number(r[3]);
	const hi = Number(r[4]);
	return {
		date,
		end: bucketEnd(date, bucket),
		mean: Number(r[2]) / count,
		min: r[5] === null ? lo : Math.min(lo, Number(r[5])),
		max: r[6] === null ? hi : Math.max(hi, Number(r[6])),
		count,
		changes: Number(r[7])
	};
}

/**
 * One actor's series on an issue aggregated per month or year inside SQLite, so a page of busy
 * actors reads tens of rows, not tens of thousands. The same numbers as `aggregateSeries` (tested
 * against it): each row's band takes in the stance carried in from before it (`lag`), and
 * `changes` counts moves from the previous event.
 */
export async function periodStats(
	db: Db,
	{ actorId, issueId, from, to, bucket, by, createdBy }: { actorId: number; issueId: number; from: string; to: string; bucket: Bucket; by?: SeriesBy; createdBy?: string | null }
): Promise<PeriodStats[]> {
	const rec = recorded(createdBy);
	const rows = await seriesRows(db, issueId, SERIES_SQL.periods(by, bucket, rec.sql), [actorId, issueId, ...rec.args, to, bucketStart(from, bucket)]);
	return rows.map((r) => periodOfRow(r, bucket));
}

/** Events per position per period (for lanes of a busy actor): [period start, position, count]. */
export async function positionCounts(
	db: Db,
	{ actorId, issueId, from, to, bucket, by, createdBy }: { actorId: number; issueId: number; from: string; to: string; bucket: Bucket; by?: SeriesBy; createdBy?: string | null }
): Promise<{ date: string; position: number; count: number }[]> {
	const rec = recorded(createdBy);
	const rows = await seriesRows(db, issueId, SERIES_SQL.positionCounts(by, bucket, rec.sql), [actorId, issueId, ...rec.args, bucketStart(from, bucket), to]);
	return rows.map((r) => ({ date: periodDate(r[0], bucket), position: Number(r[1]), count: Number(r[2]) }));
}

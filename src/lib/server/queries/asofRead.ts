/**
 * The API and exports as of a moment, costing what they return (as the pages in pages/asof.ts):
 * today's rows recorded by then, read with the live reads' SQL and indexes, less the events the
 * history since changed (`AsOfDelta.changedIds`), plus those as they stood then (a few, from the
 * delta). The same events, fields and order as the full reconstruction (tests/unit/server/asofReference.ts, tested against it), without reading
 * the events in scope that were recorded after the moment or deleted before it.
 */
import type { InValue } from '@libsql/client';
import type { Db } from '../db/client';
import { readerFor } from '../db/reader';
import { mergedPage, tableOrder } from '../../domain/recordView';
import type { StanceEvent } from '../../domain/types';
import { actorPresent, eventPresent, issuePresent, presentSql, READ_MEMO_ROWS, type AsOfDelta } from './asofDelta';
import { EVENT_COLUMNS, EVENT_FROM, eventOfRow, eventsWithIds, groupSources, interner, slugScope } from './eventRows';
import { readEventRows } from './eventPage';
import { seriesKey } from '../../domain/asof';
import { toPoint, type ActorRef, type CompactPoint, type CompactSeries, type IssueRef } from './series';

/** Today's rows that stand as they were then: live, recorded by then, not changed since (over `stance_event` as `e`). */
const RECORDED_SQL = 'e.deleted_at is null and e.created_at <= ? and e.id not in (select value from json_each(?))';
function recorded(delta: AsOfDelta): { sql: string; args: InValue[] } {
	// Nothing changed since (a recent moment, or no history): the id test costs a quarter of a walk for nothing.
	if (!delta.changedIds.length) return { sql: 'e.deleted_at is null and e.created_at <= ?', args: [delta.asof] };
	return { sql: RECORDED_SQL, args: [delta.asof, delta.changedJson] };
}

/** The events the history since set back (as they stood then, on an actor and issue in the record then) that pass `match`. */
function thenEvents(delta: AsOfDelta, match: (e: StanceEvent) => boolean): StanceEvent[] {
	return [...delta.events.values()].filter((e): e is StanceEvent => e !== null && eventPresent(delta, e) && match(e));
}

/** What a view or the events API names: actors (slugs, as the actor), issues (slugs), dates (`date` within). */
export interface AsOfFilter {
	actors?: readonly string[];
	issues?: readonly string[];
	from?: string;
	to?: string;
}

function filterSql(delta: AsOfDelta, f: AsOfFilter): { where: string; args: InValue[] } {
	const rec = recorded(delta);
	// The actors and issues in the record then (one deleted since is), as the full reconstruction reads them.
	const present = presentSql(delta, 'a', 'i');
	const c = [rec.sql, present.sql];
	const args: InValue[] = [...rec.args, ...present.args];
	const list = (col: string, slugs: readonly string[]) => {
		c.push(`${col} in (${slugs.map(() => '?').join(',')})`);
		args.push(...slugs);
	};
	if (f.actors?.length) list('a.slug', f.actors);
	if (f.issues?.length) list('i.slug', f.issues);
	if (f.from) {
		c.push('e.date >= ?');
		args.push(f.from);
	}
	if (f.to) {
		c.push('e.date <= ?');
		args.push(f.to);
	}
	return { where: c.join(' and '), args };
}

function matcher(f: AsOfFilter): (e: StanceEvent) => boolean {
	return (e) =>
		(!f.actors?.length || f.actors.includes(e.actor)) &&
		(!f.issues?.length || f.issues.includes(e.issue)) &&
		(!f.from || e.date >= f.from) &&
		(!f.to || e.date <= f.to);
}

/**
 * Every event of a view as the record stood then, whole (words and sources), in series order:
 * what the full reconstruction gives, read as the live view's rows are (one walk of the
 * (actor, issue, date) or (issue, date) index, sources by the same scope). With `sources: false`
 * today's rows come without their sources (see `viewEventsWithoutSources`; `eventsWithIdsAt` reads them whole).
 */
export async function viewEventsAt(db: Db, delta: AsOfDelta, f: AsOfFilter, { sources: withSources = true }: { sources?: boolean } = {}): Promise<StanceEvent[]> {
	const { where, args } = filterSql(delta, f);
	const reader = readerFor(db);
	const [rows, sourceRows] = await Promise.all([
		reader.all(`select ${EVENT_COLUMNS} ${EVENT_FROM} where ${where} order by e.date, e.created_at, e.id`, args as (string | number | null)[]),
		withSources
			? reader.all(
					`select s.event_id, s.outlet, s.title, s.url, s.published_on from stance_event e join actor a on a.id = e.actor_id join issue i on i.id = e.issue_id
			join source s on s.event_id = e.id where ${where} order by s.event_id, s.ordinal`,
					args as (string | number | null)[]
				)
			: []
	]);
	const sources = groupSources(sourceRows);
	const same = interner();
	const events = rows.map((r) => eventOfRow(r, sources, same));
	const then = thenEvents(delta, matcher(f));
	return then.length ? [...events, ...then].sort(tableOrder) : events;
}

/**
 * Events of a view pinned to the moment, by id, whole (words and sources) as they stood then, in
 * the order given: those the history since changed from the delta, the others today's rows. The
 * ids are those `viewEventsAt` gave.
 */
export async function eventsWithIdsAt(db: Db, delta: AsOfDelta, ids: readonly number[]): Promise<StanceEvent[]> {
	const live = await eventsWithIds(
		db,
		ids.filter((id) => !delta.events.has(id))
	);
	const byId = new Map(live.map((e) => [e.id, e]));
	return ids.flatMap((id) => {
		const e = delta.events.has(id) ? delta.events.get(id) : byId.get(id);
		return e ? [e] : [];
	});
}

/**
 * One page of `/api/events?asof=` (series order, `offset` and `limit` as the live one) and the
 * total: the SQL window the page needs, merged with the events set back from the history.
 */
export async function eventsPageAt(db: Db, delta: AsOfDelta, f: AsOfFilter & { offset: number; limit: number }): Promise<{ total: number; events: StanceEvent[] }> {
	const { where, args } = filterSql(delta, f);
	const extra = thenEvents(delta, matcher(f));
	// The rows of the merged list from `offset` on are among the SQL rows from `start` on and the extras.
	const start = Math.max(0, f.offset - extra.length);
	// Without dates the total is the pairs' counts then (countViewEventsAt), not a walk of every matching event.
	const [total, rows] = await Promise.all([
		f.from || f.to
			? db.$client
					.execute({ sql: `select count(*) from stance_event e join actor a on a.id = e.actor_id join issue i on i.id = e.issue_id where ${where}`, args })
					.then((count) => Number(count.rows[0]?.[0] ?? 0) + extra.length)
			: countViewEventsAt(db, delta, f),
		readEventRows(db, {
			sql: `select ${EVENT_COLUMNS} ${EVENT_FROM} where ${where} order by e.date, e.created_at, e.id limit ? offset ?`,
			args: [...args, f.offset + f.limit - start, start]
		})
	]);
	return { total, events: mergedPage({ extra, rows, start, offset: f.offset, limit: f.limit, desc: false }) };
}

// One actor's points on an issue as they stood: the live compact read (queries/series.ts) over the
// rows recorded by then and not changed since, on the covering (actor, issue, date, created_at, id, ...) index.
const real = (col: string) => `iif(${col} is null, '', printf('%!.17g', ${col}))`;
const POINTS_AT_SQL = `select group_concat(printf('%s,%s,%!.17g,%d,%s,%s', date, date_precision, position, id, ${real('position_low')}, ${real('position_high')}), ';') from (
	select date, date_precision, position, id, position_low, position_high from stance_event e
	where actor_id = ? and issue_id = ? and ${RECORDED_SQL} order by date, created_at, id)`;
// With their recording times, to merge the events set back from the history in series order.
const ROWS_AT_SQL = `select date, date_precision, position, id, position_low, position_high, created_at from stance_event e
	where actor_id = ? and issue_id = ? and ${RECORDED_SQL} order by date, created_at, id`;
// Every actor's on an issue: the (issue, date) index, as the live read.
const ISSUE_ROWS_AT_SQL = `select actor_id, date, date_precision, position, id, position_low, position_high, created_at from stance_event e
	where issue_id = ? and ${RECORDED_SQL} order by date, created_at, id`;

type Timed = CompactPoint & { createdAt: string };
const byOrder = (a: Timed, b: Timed) => tableOrder({ date: a.date, createdAt: a.createdAt, id: a.eventId }, { date: b.date, createdAt: b.createdAt, id: b.eventId });
const timedOf = (e: StanceEvent): Timed => ({
	...toPoint(e.date, e.datePrecision, e.position, e.id, e.positionLow ?? null, e.positionHigh ?? null),
	createdAt: e.createdAt ?? ''
});
const untimed = ({ createdAt: _c, ...p }: Timed): CompactPoint => p;

/** One actor's compact points on an issue as the record stood then, in series order (as `actorPoints`). */
export async function actorPointsAt(db: Db, delta: AsOfDelta, issue: IssueRef, actor: ActorRef): Promise<CompactPoint[]> {
	if (!actorPresent(delta, actor.slug) || !issuePresent(delta, issue.slug)) return [];
	const reader = readerFor(db);
	const args = [actor.id, issue.id, delta.asof, delta.changedJson];
	const then = thenEvents(delta, (e) => e.actor === actor.slug && e.issue === issue.slug);
	if (!then.length) {
		const packed = (await reader.get(POINTS_AT_SQL, args))?.[0];
		if (typeof packed !== 'string' || packed === '') return [];
		return packed.split(';').map((p) => {
			const x = p.split(',');
			return toPoint(x[0], x[1], Number(x[2]), Number(x[3]), x[4] === '' ? null : Number(x[4]), x[5] === '' ? null : Number(x[5]));
		});
	}
	const rows = (await reader.all(ROWS_AT_SQL, args)).map((r): Timed => ({ ...toPoint(r[0], r[1], r[2], r[3], r[4], r[5]), createdAt: String(r[6]) }));
	return [...rows, ...then.map(timedOf)].sort(byOrder).map(untimed);
}

/**
 * The actors in the record then with events on an issue then (by name): those with a row recorded
 * by then and not changed since (an index seek each, as `actorsOn`), and those of the events set back.
 */
export async function actorsOnAt(db: Db, delta: AsOfDelta, issue: IssueRef): Promise<ActorRef[]> {
	if (!issuePresent(delta, issue.slug)) return [];
	const present = presentSql(delta, 'a', null);
	const withThen = new Set(thenEvents(delta, (e) => e.issue === issue.slug).map((e) => e.actor));
	const rec = recorded(delta);
	const rows = await readerFor(db).all(
		`select a.id, a.slug, a.name from actor a where ${present.sql} and (a.slug in (select value from json_each(?))
			or exists (select 1 from stance_event e where e.actor_id = a.id and e.issue_id = ? and ${rec.sql})) order by a.name`,
		[...present.args, JSON.stringify([...withThen]), issue.id, ...(rec.args as (string | number)[])]
	);
	return rows.map((r) => ({ id: r[0] as number, slug: r[1] as string, name: r[2] as string }));
}

/** Points a request would return then, counted up to `limit` + 1 (today's rows, deleted too: an upper bound, as `countPoints`), plus those set back. */
export async function countPointsAt(db: Db, delta: AsOfDelta, issue: IssueRef, actors: readonly ActorRef[] | null, limit: number): Promise<number> {
	const reader = readerFor(db);
	const slugs = actors ? new Set(actors.map((a) => a.slug)) : null;
	let n = thenEvents(delta, (e) => e.issue === issue.slug && (!slugs || slugs.has(e.actor))).length;
	if (actors === null) return n + Number((await reader.get('select count(*) from (select 1 from stance_event where issue_id = ? and created_at <= ? limit ?)', [issue.id, delta.asof, limit + 1]))?.[0] ?? 0);
	for (const a of actors) {
		if (n > limit) break;
		n += Number((await reader.get('select count(*) from (select 1 from stance_event where actor_id = ? and issue_id = ? and created_at <= ? limit ?)', [a.id, issue.id, delta.asof, limit + 1 - n]))?.[0] ?? 0);
	}
	return n;
}

/**
 * Compact series of an issue as the record stood then (as `compactSeries`): for the given actors
 * in the order given, or for every actor in the record then with events on it then, by name (one
 * walk of the issue).
 */
export async function compactSeriesAt(db: Db, delta: AsOfDelta, issue: IssueRef, actors: readonly ActorRef[] | null): Promise<CompactSeries[]> {
	if (actors) {
		const out: CompactSeries[] = [];
		for (const a of actors) out.push({ actor: a.slug, points: await actorPointsAt(db, delta, issue, a) });
		return out.filter((s) => s.points.length > 0);
	}
	if (!issuePresent(delta, issue.slug)) return [];
	const reader = readerFor(db);
	const [all, rows] = await Promise.all([reader.all('select id, slug, name from actor'), reader.all(ISSUE_ROWS_AT_SQL, [issue.id, delta.asof, delta.changedJson])]);
	const then = all.filter((a) => actorPresent(delta, a[1] as string));
	const bySlug = new Map(then.map((a) => [a[1] as string, { id: a[0] as number, slug: a[1] as string, name: a[2] as string }]));
	const byId = new Map([...bySlug.values()].map((a) => [a.id, a]));
	const series = new Map<string, { name: string; points: Timed[]; merge: boolean }>();
	const add = (slug: string, p: Timed, merge: boolean) => {
		const a = bySlug.get(slug);
		if (!a) return;
		let s = series.get(slug);
		if (!s) series.set(slug, (s = { name: a.name, points: [], merge: false }));
		s.points.push(p);
		s.merge ||= merge;
	};
	for (const r of rows) {
		const a = byId.get(r[0] as number);
		if (a) add(a.slug, { ...toPoint(r[1], r[2], r[3], r[4], r[5], r[6]), createdAt: String(r[7]) }, false);
	}
	for (const e of thenEvents(delta, (e) => e.issue === issue.slug)) add(e.actor, timedOf(e), true);
	return [...series.entries()]
		.sort(([, a], [, b]) => a.name.localeCompare(b.name))
		.map(([actor, s]) => ({ actor, points: (s.merge ? s.points.sort(byOrder) : s.points).map(untimed) }));
}

/**
 * One actor's events on one issue as the record stood then, whole and with their sources, in
 * series order (as `seriesEvents` reads the live ones for markers and narratives): `from`/`to`
 * bound the dates; `order: 'desc'` with `limit` gives the latest ones before a date. Today's rows
 * recorded by then on the (actor, issue, date) index, merged with those the history since set back.
 */
export async function seriesEventsAt(
	db: Db,
	delta: AsOfDelta,
	{ actor, issue, from, to, order = 'asc', limit }: { actor: string; issue: string; from?: string; to?: string; order?: 'asc' | 'desc'; limit?: number }
): Promise<StanceEvent[]> {
	const f: AsOfFilter = { actors: [actor], issues: [issue], from, to };
	if (limit === undefined) {
		const all = await viewEventsAt(db, delta, f);
		return order === 'desc' ? all.reverse() : all;
	}
	const { where, args } = filterSql(delta, f);
	const dir = order === 'desc' ? 'desc' : 'asc';
	const n = Math.max(0, Math.floor(limit));
	const rows = await readEventRows(db, { sql: `select ${EVENT_COLUMNS} ${EVENT_FROM} where ${where} order by e.date ${dir}, e.created_at ${dir}, e.id ${dir} limit ?`, args: [...args, n] });
	const merged = [...rows, ...thenEvents(delta, matcher(f))].sort(tableOrder);
	if (dir === 'desc') merged.reverse();
	return merged.slice(0, n);
}

/**
 * How many events a view (actors, issues; none named: all) held then, without reading them: today's
 * per-pair counts (issue_actor_activity) for the pairs nothing since touched, and for those the
 * history or an import since touched, their rows recorded by then and not changed since (a count
 * on the (actor, issue) index) plus their events as they stood.
 */
export async function countViewEventsAt(db: Db, delta: AsOfDelta, f: { actors?: readonly string[]; issues?: readonly string[] }): Promise<number> {
	const present = presentSql(delta, 'a', 'i');
	const scope = slugScope(f);
	const where = [present.sql, ...scope.where];
	const args: InValue[] = [...present.args, ...scope.args];
	const reader = readerFor(db);
	const rows = await reader.all(
		`select a.slug, i.slug, c.events from issue_actor_activity c join actor a on a.id = c.actor_id join issue i on i.id = c.issue_id where ${where.join(' and ')}`,
		args as (string | number | null)[]
	);
	let n = 0;
	for (const r of rows) if (!delta.recount.has(seriesKey('actor', String(r[0]), String(r[1])))) n += Number(r[2]);
	for (const key of delta.recount) {
		if (!key.startsWith('a:')) continue;
		const bar = key.lastIndexOf('|');
		const [actor, issue] = [key.slice(2, bar), key.slice(bar + 1)];
		if ((f.actors?.length && !f.actors.includes(actor)) || (f.issues?.length && !f.issues.includes(issue))) continue;
		if (!actorPresent(delta, actor) || !issuePresent(delta, issue)) continue;
		const q = filterSql(delta, { actors: [actor], issues: [issue] });
		// Kept with the delta (until the next write): a cited view opened again counts nothing.
		const memo = `count\u0000${key}\u0000${JSON.stringify(q.args)}`;
		let c = delta.reads.map.get(memo)?.[0]?.[0];
		if (c === undefined) {
			c = (await reader.get(`select count(*) from stance_event e join actor a on a.id = e.actor_id join issue i on i.id = e.issue_id where ${q.where}`, q.args as (string | number | null)[]))?.[0] ?? 0;
			if (delta.reads.rows < READ_MEMO_ROWS) {
				delta.reads.map.set(memo, [[c]]);
				delta.reads.rows += 1;
			}
		}
		n += Number(c) + thenEvents(delta, (e) => e.actor === actor && e.issue === issue).length;
	}
	return n;
}

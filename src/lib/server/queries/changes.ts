import type { Db } from '../db/client';
import { isBusy } from '../db/busy';
import { enqueueWrite } from '../db/queue';
import { readerFor } from '../db/reader';
import { applyConfirmation, seriesChanges, type Change, type ChangeClass, type ChangePoint, type ClassConfirmation, type StanceRun } from '../../domain/changes';
import type { ChangeCard, MoverCard, StanceAt, ViewNames } from '../../domain/changeView';
import type { SeriesPoint } from '../../domain/series';
import type { Actor, DatePrecision, EventKind, Issue, Scale, StanceEvent } from '../../domain/types';
import * as actors from './actors';
import { EVENT_COLUMNS, EVENT_FROM, eventOfRow, slugScope, sourcesOfEvents } from './eventRows';
import * as issues from './issues';
import { dataVersion } from './meta';

// The change records are stored (tables stance_run and change_series, drizzle/0019): one row per
// stance of each (issue, actor) series, each row after a series' first also the change into it.
// The changes page pages through them in SQL and "who moved" reads each series' stance at two dates
// with two seeks, whatever the database holds.
//
// They are derived from the live events (domain/changes.ts, seriesChanges), never written by the
// write path: a series' rows carry a stamp of what they were derived from (its activity row, its
// series_version counter, its issue's scale and change rules). A reader compares the stamps of its
// scope with the live ones (one query over the series, no event read; skipped while the data version
// has not moved since the scope was last found fresh in this process) and derives the stale series
// again before answering, up to REFRESH_EVENTS events a request; past that (a first start on a big
// database, a bulk import) the rest are derived in the background, one series at a time, and the
// reader answers at once from the rows as they stand, saying how many series are being brought up
// to date (`pending`). Whoever writes, in whichever process, the stamps tell: a second process's
// writes are seen, and rows another process derived are used as they are. Names are resolved when
// a page is shown: renaming an actor derives nothing again.

/** Events a request derives again at most before it answers; the rest is left to the background refresh. */
export const REFRESH_EVENTS = 60_000;

/** Which actors and issues a read covers; none named is everything. */
export interface ChangeScope {
	actors?: readonly string[];
	issues?: readonly string[];
}

/** Series of a scope whose stored records are not up to date yet (being derived in the background). */
export interface Pending {
	series: number;
	events: number;
}

/** What a series' records depend on, as one text (compared with change_series.stamp). */
const STAMP = `c.events || '.' || c.first || '.' || c.last || '.' || coalesce(v.n, 0) || '|' || i.scale_min || ':' || i.scale_max
	|| '|' || coalesce(i.change_min_share, '') || ':' || coalesce(i.walk_back_days, '')`;

interface StalePair {
	issueId: number;
	actorId: number;
	/** Live events; 0 for a series whose events are all gone (its rows are removed). */
	events: number;
	stamp: string | null;
	scale: Scale;
	minShare: number | null;
	walkBackDays: number | null;
}

function scopeWhere(scope: ChangeScope): { sql: string; args: string[] } {
	const { where, args } = slugScope(scope);
	return { sql: where.map((c) => ` and ${c}`).join(''), args };
}

/** The live series of a scope whose stamp differs from the stored one, and stored series with no live event left. */
async function stalePairs(db: Db, scope: ChangeScope): Promise<StalePair[]> {
	const where = scopeWhere(scope);
	const rows = await readerFor(db).all(
		`select c.issue_id, c.actor_id, c.events, ${STAMP}, i.scale_min, i.scale_max, i.change_min_share, i.walk_back_days
		from issue_actor_activity c
		join actor a on a.id = c.actor_id and a.deleted_at is null
		join issue i on i.id = c.issue_id and i.deleted_at is null
		left join series_version v on v.issue_id = c.issue_id and v.actor_id = c.actor_id
		left join change_series s on s.issue_id = c.issue_id and s.actor_id = c.actor_id
		where c.events > 0 and s.stamp is not ${STAMP}${where.sql}
		union all
		select s.issue_id, s.actor_id, 0, null, 0, 1, null, null from change_series s
		where not exists (select 1 from issue_actor_activity c where c.issue_id = s.issue_id and c.actor_id = s.actor_id and c.events > 0)`,
		where.args
	);
	return rows.map((r) => ({
		issueId: Number(r[0]),
		actorId: Number(r[1]),
		events: Number(r[2]),
		stamp: r[3] == null ? null : String(r[3]),
		scale: { min: Number(r[4]), max: Number(r[5]), labels: [] },
		minShare: r[6] == null ? null : Number(r[6]),
		walkBackDays: r[7] == null ? null : Number(r[7])
	}));
}

/** A point as the rules read it: only what they need of each event (no summary, quote text or sources). */
type LightPoint = ChangePoint & { event: { speaker: string | null; quote: string | null; kind: EventKind; createdAt: string } };

// Series order (date, then recording); dates of month and year events are already their period's first day.
const LIGHT_SQL = `select id, date, date_precision, position, kind, speaker_id, case when quote is not null and quote <> '' then 1 else 0 end, created_at
	from stance_event where actor_id = ? and issue_id = ? and deleted_at is null order by date, created_at, id`;

/** The stored rows of one series' runs and changes (stance_run's columns, in the insert's order). */
function runRows(pair: StalePair, runs: StanceRun<LightPoint>[], changes: Change<LightPoint>[]): (string | number | null)[][] {
	return runs.map((run, k) => {
		const c = k > 0 ? changes[k - 1]! : null;
		const base = [pair.issueId, pair.actorId, k, run.from, run.anchor.datePrecision, run.anchor.eventId, run.anchor.event.createdAt, run.position];
		if (!c) return [...base, null, null, null, null, null, null, null, null, null, null, null, null];
		return [
			...base,
			c.from.eventId,
			JSON.stringify(c.toPoints.map((p) => p.eventId)),
			c.quoteBefore?.eventId ?? null,
			c.quoteAfter?.eventId ?? null,
			c.delta,
			c.share,
			c.direction,
			c.toward,
			c.class,
			c.ruleClass,
			c.basis,
			c.ruleBasis
		];
	});
}

const RUN_COLUMNS = 20;
const INSERT_ROWS = 500;

const RUN_COLUMN_LIST = `issue_id, actor_id, seq, from_date, date_precision, anchor_id, anchor_created_at, position, from_id, to_ids,
	quote_before_id, quote_after_id, delta, share, direction, toward, class, rule_class, basis, rule_basis`;

/**
 * Derives one series again and stores it in one batch, its stamp set. Only the rows that differ
 * from the stored ones are written (an edit of a country's latest vote rewrites a few of its
 * thousands of rows), and those past the new end deleted. The stamp was read before the events,
 * so stored rows may be newer than their stamp (derived again on the next read), never older.
 */
async function refreshPair(db: Db, pair: StalePair): Promise<void> {
	const statements: { sql: string; args: (string | number | null)[] }[] = [];
	const series = [pair.issueId, pair.actorId];
	if (pair.stamp === null) {
		statements.push({ sql: 'delete from stance_run where issue_id = ? and actor_id = ?', args: series });
		statements.push({ sql: 'delete from change_series where issue_id = ? and actor_id = ?', args: series });
	} else {
		const [rows, stored] = await Promise.all([
			readerFor(db).all(LIGHT_SQL, [pair.actorId, pair.issueId]),
			readerFor(db).all(`select ${RUN_COLUMN_LIST} from stance_run where issue_id = ? and actor_id = ? order by seq`, series)
		]);
		const points: LightPoint[] = rows.map((r) => ({
			eventId: Number(r[0]),
			date: String(r[1]),
			datePrecision: r[2] as DatePrecision,
			position: Number(r[3]),
			event: { kind: r[4] as EventKind, speaker: r[5] == null ? null : String(r[5]), quote: r[6] ? 'q' : null, createdAt: String(r[7]) }
		}));
		const rules = { ...(pair.minShare != null ? { minShare: pair.minShare } : {}), ...(pair.walkBackDays != null ? { walkBackDays: pair.walkBackDays } : {}) };
		const { runs, changes } = seriesChanges<LightPoint>({ series: { actor: '', issue: '', points }, scale: pair.scale, rules });
		// Editors' confirmations matter only on the events that start a change: read those alone.
		if (changes.length) {
			const given = await readerFor(db).all('select event_id, class, reason, at from class_confirmation where event_id in (select value from json_each(?))', [
				JSON.stringify(changes.map((c) => c.to.eventId))
			]);
			const byEvent = new Map(given.map((g) => [Number(g[0]), { eventId: Number(g[0]), class: g[1] as ChangeClass, reason: g[2] as string | null, at: String(g[3]) }]));
			for (const c of changes) applyConfirmation(c, byEvent.get(c.to.eventId));
		}
		const values = runRows(pair, runs, changes);
		// Stored rows come back with the same values (ids and texts as given, reals as the same doubles).
		const changed = values.filter((v, k) => !stored[k] || JSON.stringify(v) !== JSON.stringify(stored[k]));
		if (stored.length > values.length) statements.push({ sql: 'delete from stance_run where issue_id = ? and actor_id = ? and seq >= ?', args: [...series, values.length] });
		for (let k = 0; k < changed.length; k += INSERT_ROWS) {
			const chunk = changed.slice(k, k + INSERT_ROWS);
			statements.push({
				sql: `insert or replace into stance_run (${RUN_COLUMN_LIST}) values ${chunk.map(() => `(${Array(RUN_COLUMNS).fill('?').join(',')})`).join(',')}`,
				args: chunk.flat()
			});
		}
		statements.push({
			sql: 'insert into change_series (issue_id, actor_id, stamp) values (?, ?, ?) on conflict (issue_id, actor_id) do update set stamp = excluded.stamp',
			args: [...series, pair.stamp]
		});
	}
	await enqueueWrite(db.$client, () => db.$client.batch(statements, 'write'));
}

interface State {
	/** Scopes found fresh, by the data version then. */
	freshAt: Map<string, string>;
	/** Series being derived in this process (by pair and stamp): a second reader waits for the first. */
	inflight: Map<string, Promise<void>>;
	background: Promise<void> | null;
}
const states = new WeakMap<Db, State>();
const stateOf = (db: Db): State => {
	let s = states.get(db);
	if (!s) states.set(db, (s = { freshAt: new Map(), inflight: new Map(), background: null }));
	return s;
};
const FRESH_SCOPES_KEPT = 64;

function refreshOnce(db: Db, pair: StalePair): Promise<void> {
	const { inflight } = stateOf(db);
	const key = `${pair.issueId}.${pair.actorId}|${pair.stamp}`;
	let p = inflight.get(key);
	if (!p) {
		p = refreshPair(db, pair).finally(() => inflight.delete(key));
		inflight.set(key, p);
	}
	return p;
}

/**
 * Starts deriving every stale series in the background (one at a time, each its own batch, the
 * event loop free between them), unless it runs already; resolves when none is left or after an
 * error (logged; the next read starts it again).
 */
export function refreshInBackground(db: Db): Promise<void> {
	const state = stateOf(db);
	if (state.background) return state.background;
	const run = (async () => {
		// A few rounds: writes made meanwhile (an import still running) are caught on the next read.
		for (let round = 0; round < 3; round++) {
			const stale = await stalePairs(db, {});
			if (!stale.length) return;
			for (const pair of stale) {
				await refreshOnce(db, pair);
				await new Promise<void>((r) => setImmediate(r));
			}
		}
	})()
		.catch((e) => console.error('Change records: the background refresh stopped:', e))
		.finally(() => {
			state.background = null;
		});
	state.background = run;
	return run;
}

/** How many series of a scope have stored records that are not up to date (or should be removed). */
export async function staleSeries(db: Db, scope: ChangeScope = {}): Promise<number> {
	return (await stalePairs(db, scope)).length;
}

/** The background refresh under way, if any (tests and the CLI wait for it). */
export function backgroundRefresh(db: Db): Promise<void> | null {
	return stateOf(db).background;
}

/**
 * Brings the stored records of a scope up to date before a read: the stale series are derived
 * again in this request up to `budget` events; past that they are left to the background refresh
 * (started here) and returned as `pending`.
 */
export async function ensureFresh(db: Db, scope: ChangeScope = {}, { budget = REFRESH_EVENTS }: { budget?: number } = {}): Promise<Pending | null> {
	const state = stateOf(db);
	const key = JSON.stringify([[...(scope.actors ?? [])].sort(), [...(scope.issues ?? [])].sort()]);
	const version = await dataVersion(db);
	if (state.freshAt.get(key) === version) return null;
	const stale = await stalePairs(db, scope);
	const events = stale.reduce((n, p) => n + p.events, 0);
	if (events > budget) {
		void refreshInBackground(db);
		return { series: stale.length, events };
	}
	try {
		for (const pair of stale) await refreshOnce(db, pair);
	} catch (e) {
		// Another process holds the write lock (a CLI import): answer from the rows as they stand
		// rather than fail a read; the next read tries again.
		if (!isBusy(e)) throw e;
		return { series: stale.length, events };
	}
	state.freshAt.delete(key);
	if (state.freshAt.size >= FRESH_SCOPES_KEPT) state.freshAt.delete(state.freshAt.keys().next().value!);
	state.freshAt.set(key, version);
	return null;
}

/** Names for the views: live actors and issues by slug, and the actors with live events (for pickers). */
export async function changeNames(db: Db): Promise<{ actors: Map<string, Actor>; issues: Map<string, Issue>; activeActors: Set<string> }> {
	const [actorList, issueList, active] = await Promise.all([
		actors.list(db),
		issues.list(db),
		readerFor(db).all('select distinct a.slug from issue_actor_activity c join actor a on a.id = c.actor_id and a.deleted_at is null where c.events > 0')
	]);
	return {
		actors: new Map(actorList.map((a) => [a.slug, a])),
		issues: new Map(issueList.map((i) => [i.slug, i])),
		activeActors: new Set(active.map((r) => String(r[0])))
	};
}

// A stored change row as the pages read it: its series (slugs), the run and the change's columns.
const CHANGE_COLUMNS = `a.slug, i.slug, r.seq, r.from_date, r.date_precision, r.anchor_id, r.position, r.from_id, r.to_ids, r.quote_before_id,
	r.quote_after_id, r.delta, r.share, r.direction, r.toward, r.class, r.rule_class, r.basis, r.rule_basis`;
const LIVE_JOIN = `join actor a on a.id = r.actor_id and a.deleted_at is null join issue i on i.id = r.issue_id and i.deleted_at is null`;

type Row = unknown[];

/** The events a page's changes show (from, to, same-day statements, quotes), whole with their sources, and the editors' words on them. */
async function cardsOf(db: Db, rows: readonly Row[]): Promise<ChangeCard[]> {
	const ids = new Set<number>();
	for (const r of rows) {
		ids.add(Number(r[5]));
		ids.add(Number(r[7]));
		for (const id of JSON.parse(String(r[8])) as number[]) ids.add(id);
		if (r[9] != null) ids.add(Number(r[9]));
		if (r[10] != null) ids.add(Number(r[10]));
	}
	if (!ids.size) return [];
	const list = JSON.stringify([...ids]);
	const [eventRows, sources, given] = await Promise.all([
		readerFor(db).all(`select ${EVENT_COLUMNS} ${EVENT_FROM} where e.id in (select value from json_each(?))`, [list]),
		sourcesOfEvents(db, [...ids]),
		readerFor(db).all('select event_id, class, reason, at from class_confirmation where event_id in (select value from json_each(?))', [
			JSON.stringify(rows.map((r) => Number(r[5])))
		])
	]);
	const points = new Map<number, SeriesPoint>();
	for (const row of eventRows) {
		const e: StanceEvent = eventOfRow(row, sources);
		points.set(e.id, { date: e.date, datePrecision: e.datePrecision, position: e.position, eventId: e.id, event: e });
	}
	const confirmations = new Map(given.map((g) => [Number(g[0]), { eventId: Number(g[0]), class: g[1] as ChangeClass, reason: g[2] as string | null, at: String(g[3]) }]));
	const cards: ChangeCard[] = [];
	for (const r of rows) {
		const to = points.get(Number(r[5]));
		const from = points.get(Number(r[7]));
		// Rows shown while their series is being derived again may name an event gone since.
		if (!to || !from) continue;
		const ruleClass = r[16] as ChangeClass;
		const conf: ClassConfirmation | undefined = confirmations.get(to.eventId);
		cards.push({
			actor: String(r[0]),
			issue: String(r[1]),
			from,
			to,
			toPoints: (JSON.parse(String(r[8])) as number[]).flatMap((id) => points.get(id) ?? []),
			quoteBefore: r[9] == null ? null : (points.get(Number(r[9])) ?? null),
			quoteAfter: r[10] == null ? null : (points.get(Number(r[10])) ?? null),
			delta: Number(r[11]),
			share: Number(r[12]),
			direction: r[13] as Change['direction'],
			toward: r[14] as Change['toward'],
			class: r[15] as ChangeClass,
			ruleClass,
			basis: r[17] as Change['basis'],
			ruleBasis: r[18] as Change['ruleBasis'],
			confirmation: conf ? { ...conf, status: conf.class === ruleClass ? 'confirmed' : 'overridden' } : null
		});
	}
	return cards;
}

export interface ChangeQuery extends ChangeScope {
	classes?: readonly ChangeClass[];
	/** Inclusive dates (YYYY-MM-DD) of the new stance. */
	from?: string | null;
	to?: string | null;
}

/**
 * One page of stored changes, newest first (date of the new stance, then recording order), as
 * filtered: `per` changes from `offset`, their events read for these alone, and how many match.
 */
export async function changesPage(db: Db, q: ChangeQuery, { offset = 0, per = 50 }: { offset?: number; per?: number } = {}): Promise<{ total: number; changes: ChangeCard[] }> {
	const where = scopeWhere(q);
	let sql = where.sql;
	const args: (string | number)[] = [...where.args];
	if (q.classes?.length) {
		sql += ` and r.class in (${q.classes.map(() => '?').join(',')})`;
		args.push(...q.classes);
	}
	if (q.from) {
		sql += ' and r.from_date >= ?';
		args.push(q.from);
	}
	if (q.to) {
		sql += ' and r.from_date <= ?';
		args.push(q.to);
	}
	const reader = readerFor(db);
	const [count, rows] = await Promise.all([
		reader.get(`select count(*) from stance_run r ${LIVE_JOIN} where r.seq > 0${sql}`, args),
		reader.all(`select ${CHANGE_COLUMNS} from stance_run r ${LIVE_JOIN} where r.seq > 0${sql} order by r.from_date desc, r.anchor_created_at desc, r.anchor_id desc limit ? offset ?`, [
			...args,
			per,
			offset
		])
	]);
	return { total: Number(count?.[0] ?? 0), changes: await cardsOf(db, rows) };
}

/** A mover before its changes are read: its series, the stances at the two dates (seq) and the count of changes between. */
export interface MoverRow {
	actor: string;
	issue: string;
	issueId: number;
	actorId: number;
	atStart: (StanceAt & { seq: number }) | null;
	atEnd: StanceAt & { seq: number };
	net: 'changed' | 'returned';
	/** Changes after the first date and on or before the second. */
	changes: number;
}

const stanceAtOf = (seq: unknown, from: unknown, precision: unknown, position: unknown) =>
	seq == null ? null : { seq: Number(seq), from: String(from), anchor: { datePrecision: precision as DatePrecision }, position: Number(position) };

const AT = (d: 'A' | 'B') =>
	// The position as %!.17g text: JSON's own number text would round some doubles.
	`(select json_array(seq, from_date, date_precision, printf('%!.17g', position)) from stance_run r where r.issue_id = p.issue_id and r.actor_id = p.actor_id and r.from_date <= ?
		order by r.from_date desc, r.seq desc limit 1) as at${d}`;

/**
 * Who moved between two dates, from the stored stances: every series of the scope whose stance
 * (the stance that started on or before a date) differs at `to` from `from` (two seeks a series).
 * `from` is exclusive, `to` inclusive, as `whoMoved` (domain/changes.ts).
 */
export async function moverRows(db: Db, scope: ChangeScope, from: string, to: string): Promise<MoverRow[]> {
	const where = scopeWhere(scope);
	const rows = await readerFor(db).all(
		`select p.issue_id, p.actor_id, a.slug, i.slug, ${AT('A')}, ${AT('B')}
		from change_series p join actor a on a.id = p.actor_id and a.deleted_at is null join issue i on i.id = p.issue_id and i.deleted_at is null
		where exists (select 1 from issue_actor_activity c where c.issue_id = p.issue_id and c.actor_id = p.actor_id and c.events > 0)${where.sql}`,
		[from, to, ...where.args]
	);
	const out: MoverRow[] = [];
	for (const r of rows) {
		if (r[5] == null) continue;
		const a = r[4] == null ? null : (JSON.parse(String(r[4])) as unknown[]);
		const b = JSON.parse(String(r[5])) as unknown[];
		const atStart = a && stanceAtOf(a[0], a[1], a[2], a[3]);
		const atEnd = stanceAtOf(b[0], b[1], b[2], b[3])!;
		if (atStart?.seq === atEnd.seq) continue;
		out.push({
			issueId: Number(r[0]),
			actorId: Number(r[1]),
			actor: String(r[2]),
			issue: String(r[3]),
			atStart,
			atEnd,
			net: atStart !== null && atStart.position === atEnd.position ? 'returned' : 'changed',
			// Stances are in date order: the changes between are the runs after the one at the start, up to the one at the end.
			changes: atEnd.seq - (atStart?.seq ?? 0)
		});
	}
	return out;
}

/**
 * Movers with their changes' cards: all of a mover's changes up to `max`, else the first and the
 * latest `max - 1` (the rest counted in `omitted`), read for these movers alone.
 */
export async function moverCards(db: Db, movers: readonly MoverRow[], max: number): Promise<MoverCard[]> {
	const wanted: { m: MoverRow; seqs: number[] }[] = movers.map((m) => {
		const first = (m.atStart?.seq ?? 0) + 1;
		const last = m.atEnd.seq;
		const seqs: number[] = [];
		if (m.changes <= max) for (let s = first; s <= last; s++) seqs.push(s);
		else {
			seqs.push(first);
			for (let s = last - (max - 1) + 1; s <= last; s++) seqs.push(s);
		}
		return { m, seqs };
	});
	const keys = wanted.flatMap(({ m, seqs }) => seqs.map((s) => [m.issueId, m.actorId, s]));
	const rows = keys.length
		? await readerFor(db).all(
				`select ${CHANGE_COLUMNS} from json_each(?) k join stance_run r on r.issue_id = k.value ->> 0 and r.actor_id = k.value ->> 1 and r.seq = k.value ->> 2 ${LIVE_JOIN}
				order by k.key`,
				[JSON.stringify(keys)]
			)
		: [];
	const cards = await cardsOf(db, rows);
	const bySeries = new Map<string, ChangeCard[]>();
	for (const c of cards) {
		const k = `${c.actor}|${c.issue}`;
		bySeries.get(k)?.push(c) ?? bySeries.set(k, [c]);
	}
	return wanted.map(({ m, seqs }) => ({
		actor: m.actor,
		issue: m.issue,
		net: m.net,
		atStart: m.atStart,
		atEnd: m.atEnd,
		changes: bySeries.get(`${m.actor}|${m.issue}`) ?? [],
		omitted: m.changes - seqs.length
	}));
}

/** The change an event starts, if any (its series brought up to date first), and the names to show it with. */
export async function startedBy(db: Db, eventId: number): Promise<{ change: ChangeCard; names: ViewNames } | null> {
	const found = await readerFor(db).get(
		`select a.slug, i.slug from stance_event e join actor a on a.id = e.actor_id and a.deleted_at is null join issue i on i.id = e.issue_id and i.deleted_at is null
		where e.id = ? and e.deleted_at is null`,
		[eventId]
	);
	if (!found) return null;
	await ensureFresh(db, { actors: [String(found[0])], issues: [String(found[1])] }, { budget: Infinity });
	const rows = await readerFor(db).all(`select ${CHANGE_COLUMNS} from stance_run r ${LIVE_JOIN} where r.anchor_id = ? and r.seq > 0 and a.slug = ? and i.slug = ?`, [
		eventId,
		String(found[0]),
		String(found[1])
	]);
	const [change] = await cardsOf(db, rows);
	if (!change) return null;
	const [actor, issue] = await Promise.all([actors.bySlug(db, change.actor), issues.bySlug(db, change.issue)]);
	const speakers = await readerFor(db).all(
		`select slug, name, role, color from actor where slug in (select value from json_each(?))`,
		[JSON.stringify([...new Set([change.from, change.to, change.quoteBefore, change.quoteAfter, ...change.toPoints].flatMap((p) => (p?.event.speaker ? [p.event.speaker] : [])))])]
	);
	const names: ViewNames = {
		actors: new Map<string, { name: string; role: string | null; color: string }>([
			...speakers.map((s) => [String(s[0]), { name: String(s[1]), role: s[2] as string | null, color: String(s[3]) }] as const),
			...(actor ? [[actor.slug, actor] as const] : [])
		]),
		issues: new Map(issue ? [[issue.slug, issue]] : [])
	};
	return { change, names };
}

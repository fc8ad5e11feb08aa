/**
 * The record as of a moment, as a difference from today's: what the history written since the
 * moment says was different then. Bounded pages read today's rows recorded by then with the live
 * pages' SQL and set back only what this names (see pages/asof.ts); the API and exports too (queries/asofRead.ts).
 * Cost: one read of the history written after the moment, whatever came before it.
 */
import type { Db } from '../db/client';
import { absentAt, actorFromRecord, contextFromRecord, deltaSince, eventFromRecord, issueFromRecord, seriesKey, type HistoryRecord } from '../../domain/asof';
import type { ContextEvent } from '../../domain/context';
import { CHANGE_CLASSES, type ChangeClass, type ClassConfirmation } from '../../domain/changes';
import type { Actor, Issue, StanceEvent } from '../../domain/types';
import { dataVersion } from './meta';

export interface AsOfDelta {
	/** The moment (ISO date-time, as `parseAsOf` gives it). */
	asof: string;
	/** Events changed since, by id: as they stood then (sources included), or null when not recorded then or deleted then. */
	events: Map<number, StanceEvent | null>;
	/** Their ids: today's rows of these are left out (they come from `events`). */
	changedIds: number[];
	/** The same as a JSON list, for `id not in (select value from json_each(?))`. */
	changedJson: string;
	/** Series (`seriesKey`) whose events then differ from today's rows recorded by then: rebuilt in memory. */
	rebuilt: Set<string>;
	/** Series whose counts and dates differ from today's activity: the rebuilt ones and those a later import added to. */
	recount: Set<string>;
	/** Series a later import added to (their counts are read again; the others' follow from the history). */
	imported: Set<string>;
	/** Per series (`seriesKey`), how many of today's live events are among the changed ones. */
	changedNow: Map<string, number>;
	/** Actors changed since, by slug: as they stood then, or null when they did not exist then. */
	actors: Map<string, Actor | null>;
	/** Issues changed since, by slug: as they stood then (title, scale and labels), or null. */
	issues: Map<string, Issue | null>;
	/** Context events changed since, by id: as they stood then, or null. */
	context: Map<number, ContextEvent | null>;
	/**
	 * Class confirmations changed since, by the event they are tied to: as they stood then, or null
	 * when none had been given then. Any other confirmation is today's row (given by then).
	 */
	confirmations: Map<number, ClassConfirmation | null>;
	/**
	 * Actors and issues not in the record then, by slug (see `absentAt`): deleted then (restored
	 * since or not), or created since. One deleted since is not among them: it was there then.
	 * Every as-of read leaves these out instead of today's deleted ones.
	 */
	absent: { actors: Set<string>; issues: Set<string> };
	/** The same as JSON lists, for `slug not in (select value from json_each(?))`. */
	absentJson: { actors: string; issues: string };
	/** Actors and issues deleted since (there then, deleted now), by slug: their pinned pages have no current version. */
	deletedSince: { actors: Set<string>; issues: Set<string> };
	/**
	 * Reads made through this delta (pages/asof.ts), by statement and arguments: they cannot change
	 * before the next write, which starts a new delta. Bounded by READ_MEMO_ROWS.
	 */
	reads: { rows: number; map: Map<string, unknown[][]> };
}

/** Rows one delta keeps of the reads made through it. */
export const READ_MEMO_ROWS = 50_000;

/**
 * The history written after a moment (`?`): a range of the change_at_idx index, however long the
 * history before it. `+entity` keeps SQLite off change_entity_idx (these entities are nearly all
 * the history) and the order by `at` lets it walk the range in index order (deltaSince applies
 * the entries by id).
 */
export const DELTA_SQL = `select id, entity, entity_id, action, at, before, after from change where +entity in ('event', 'actor', 'issue', 'context', 'import', 'confirmation') and at > ? order by at, id`;

/** Reads the delta from the history written after `asof` (and the rows of events imported since). */
async function readDelta(db: Db, asof: string): Promise<AsOfDelta> {
	const rs = await db.$client.execute({ sql: DELTA_SQL, args: [asof] });
	const later = rs.rows.map(
		(r): HistoryRecord => ({
			id: Number(r[0]),
			entity: r[1] as HistoryRecord['entity'],
			entityId: Number(r[2]),
			action: r[3] as HistoryRecord['action'],
			at: String(r[4]),
			before: r[5] ? (JSON.parse(String(r[5])) as Record<string, unknown>) : null,
			after: r[6] ? (JSON.parse(String(r[6])) as Record<string, unknown>) : null
		})
	);
	const d = deltaSince({ later });
	const ids = [...d.events.keys()];
	const changedJson = JSON.stringify(ids);
	// When each changed event was first recorded: same-day events keep their order.
	const created = new Map<number, string>();
	if (ids.length) {
		const c = await db.$client.execute({ sql: 'select id, created_at from stance_event where id in (select value from json_each(?))', args: [changedJson] });
		for (const r of c.rows) created.set(Number(r[0]), String(r[1]));
	}
	const events = new Map<number, StanceEvent | null>();
	for (const [id, state] of d.events) {
		const at = created.get(id);
		events.set(id, state && at ? eventFromRecord({ entityId: id, record: state, createdAt: at, updatedAt: at }) : null);
	}
	const recount = new Set(d.series);
	const imported = new Set<string>();
	const changedNow = new Map<string, number>();
	for (const r of d.eventsNow.values()) {
		if (!r) continue;
		const keys = [seriesKey('actor', String(r.actor), String(r.issue)), ...(typeof r.speaker === 'string' && r.speaker ? [seriesKey('speaker', r.speaker, String(r.issue))] : [])];
		for (const k of keys) changedNow.set(k, (changedNow.get(k) ?? 0) + 1);
	}
	// Events a bulk import added since have no history of their own: their series' counts differ
	// (their rows are left out by their recording time). One walk from the import's first id.
	for (const run of d.imports) {
		const r = await db.$client.execute({
			sql: `select distinct a.slug, sp.slug, i.slug from stance_event e join actor a on a.id = e.actor_id join issue i on i.id = e.issue_id
				left join actor sp on sp.id = e.speaker_id
				where e.id > coalesce((select event_offset from import_run where id = ?), 0) and e.import_id = ? and e.created_at > ?`,
			args: [run, run, asof]
		});
		for (const row of r.rows) {
			for (const k of [seriesKey('actor', String(row[0]), String(row[2])), ...(row[1] !== null ? [seriesKey('speaker', String(row[1]), String(row[2]))] : [])]) {
				recount.add(k);
				imported.add(k);
			}
		}
	}
	// Actors and issues deleted now: absent then unless the history since says they were there.
	const deleted = await db.$client.execute(
		"select 'actor', slug from actor where deleted_at is not null union all select 'issue', slug from issue where deleted_at is not null"
	);
	const deletedNow = (kind: string) => deleted.rows.filter((r) => r[0] === kind).map((r) => String(r[1]));
	const absent = { actors: absentAt({ deletedNow: deletedNow('actor'), changed: d.actors }), issues: absentAt({ deletedNow: deletedNow('issue'), changed: d.issues }) };
	const deletedSince = {
		actors: new Set(deletedNow('actor').filter((s) => !absent.actors.has(s))),
		issues: new Set(deletedNow('issue').filter((s) => !absent.issues.has(s)))
	};
	const map = <T>(m: Map<string, Record<string, unknown> | null>, f: (r: Record<string, unknown>) => T) => new Map([...m].map(([k, r]) => [k, r ? f(r) : null]));
	return {
		asof,
		events,
		changedIds: ids,
		changedJson,
		rebuilt: d.series,
		recount,
		imported,
		changedNow,
		actors: map(d.actors, actorFromRecord),
		issues: map(d.issues, issueFromRecord),
		context: new Map([...d.context].map(([id, r]) => [id, r ? contextFromRecord(id, r) : null])),
		confirmations: new Map(
			[...d.confirmations].map(([id, r]) => [
				id,
				r && CHANGE_CLASSES.includes(r.class as ChangeClass) ? { eventId: id, class: r.class as ChangeClass, reason: typeof r.reason === 'string' ? r.reason : null } : null
			])
		),
		absent,
		absentJson: { actors: JSON.stringify([...absent.actors]), issues: JSON.stringify([...absent.issues]) },
		deletedSince,
		reads: { rows: 0, map: new Map() }
	};
}

// Deltas by data version and moment: a cited page viewed again costs one version lookup until the next write.
const cache = new Map<string, AsOfDelta>();
// Each database its own keys (tests open many; their counters start alike).
const dbKeys = new WeakMap<object, number>();
let nextDbKey = 0;
/** A delta this large is not kept (it holds every event changed since). */
const CACHE_MAX_EVENTS = 20_000;

/** The record at `asof` as a difference from today's (see AsOfDelta), kept until the next write. */
export async function deltaAt(db: Db, asof: string): Promise<AsOfDelta> {
	let dbKey = dbKeys.get(db);
	if (dbKey === undefined) dbKeys.set(db, (dbKey = nextDbKey++));
	const key = `${dbKey}|${await dataVersion(db)}|${asof}`;
	const hit = cache.get(key);
	if (hit) return hit;
	const delta = await readDelta(db, asof);
	if (delta.events.size <= CACHE_MAX_EVENTS) {
		if (cache.size >= 50) cache.delete(cache.keys().next().value!);
		cache.set(key, delta);
	}
	return delta;
}

/** Whether an actor (by slug) was in the record then: not deleted then, not created since. */
export const actorPresent = (delta: AsOfDelta, slug: string): boolean => !delta.absent.actors.has(slug);

/** Whether an issue (by slug) was in the record then. */
export const issuePresent = (delta: AsOfDelta, slug: string): boolean => !delta.absent.issues.has(slug);

/** Whether an event as it stood then was shown then: its actor and issue were in the record. */
export const eventPresent = (delta: AsOfDelta, e: { actor: string; issue: string }): boolean => actorPresent(delta, e.actor) && issuePresent(delta, e.issue);

/** SQL over actor `a` and issue `i` (aliases as given) keeping the rows whose actor and issue were in the record then, with its arguments. */
export function presentSql(delta: AsOfDelta, a: string | null, i: string | null): { sql: string; args: string[] } {
	const c: string[] = [];
	const args: string[] = [];
	if (a) {
		c.push(`${a}.slug not in (select value from json_each(?))`);
		args.push(delta.absentJson.actors);
	}
	if (i) {
		c.push(`${i}.slug not in (select value from json_each(?))`);
		args.push(delta.absentJson.issues);
	}
	return { sql: c.join(' and ') || '1', args };
}

/** An actor as it stood then: its state from the history when it changed since, else as it is. */
export function actorThen<T extends Actor>(delta: AsOfDelta, a: T): T | null {
	if (delta.absent.actors.has(a.slug)) return null;
	if (!delta.actors.has(a.slug)) return a;
	const then = delta.actors.get(a.slug);
	return then ? { ...a, name: then.name, color: then.color, kind: then.kind, parent: then.parent, role: then.role, countryCode: then.countryCode } : null;
}

/** An issue as it stood then (title, description, scale and labels, change rules); null when it did not exist then. */
export function issueThen(delta: AsOfDelta, i: Issue): Issue | null {
	if (delta.absent.issues.has(i.slug)) return null;
	if (!delta.issues.has(i.slug)) return i;
	const then = delta.issues.get(i.slug);
	// Its change rules then where the history recorded them (today's otherwise).
	return then ? { ...i, title: then.title, description: then.description, scale: then.scale, ...(then.rules ? { rules: then.rules } : {}) } : null;
}

/**
 * The actors featured on an issue then (slugs, in order), when the history since changed the
 * issue: the featured list its last history entry up to the moment recorded (a delete's or
 * restore's record otherwise). Null when today's featured rows serve: the issue has not changed
 * since, or its history recorded no list. One seek on the (entity, entity_id) index.
 */
export async function featuredThen(db: Db, delta: AsOfDelta, issue: { id: number; slug: string }): Promise<string[] | null> {
	if (!delta.issues.get(issue.slug)) return null;
	const rs = await db.$client.execute({
		sql: `select coalesce(after, before) from change where entity = 'issue' and entity_id = ? and at <= ? order by id desc limit 1`,
		args: [issue.id, delta.asof]
	});
	const raw = rs.rows[0]?.[0];
	const record = raw ? (JSON.parse(String(raw)) as Record<string, unknown>) : null;
	return Array.isArray(record?.featured) ? record.featured.filter((s): s is string => typeof s === 'string') : null;
}

/**
 * Events read with plain SQL, rows as arrays (no ORM mapping: it costs about 40 us an event on
 * wide rows): one column list, one join and one row mapping for every such reader (the events
 * table of the issue page, an actor's series for markers and narratives, the streamed dataset export).
 */
import type { Db } from '../db/client';
import { readerFor } from '../db/reader';
import type { Confidence, DatePrecision, EventKind, Source, StanceEvent } from '../../domain/types';

/** The columns `eventOfRow` reads, in its order; `e` is the event, `a`, `i`, `sp`, `tg` its actor, issue, speaker and target. */
export const EVENT_COLUMNS = `e.id, a.slug, i.slug, sp.slug, tg.slug, e.date, e.date_precision, e.position, e.kind, e.summary, e.quote,
	e.quote_language, e.confidence, e.created_at, e.version, e.position_low, e.position_high`;

/** The joins EVENT_COLUMNS reads from. */
export const EVENT_FROM = `from stance_event e join actor a on a.id = e.actor_id join issue i on i.id = e.issue_id
	left join actor sp on sp.id = e.speaker_id left join actor tg on tg.id = e.target_id`;

/**
 * A row of EVENT_COLUMNS as an event, with its sources. `same` gives one copy of each repeated
 * word (slugs, kinds): SQLite hands out a new string per row, which on a view of tens of
 * thousands of events costs megabytes of copies of the same few slugs.
 */
export function eventOfRow(r: readonly unknown[], sources: ReadonlyMap<number, Source[]>, same: <T>(v: T) => T = (v) => v): StanceEvent {
	return {
		id: Number(r[0]),
		actor: same(String(r[1])),
		issue: same(String(r[2])),
		speaker: same(r[3] as string | null),
		target: same(r[4] as string | null),
		date: String(r[5]),
		datePrecision: same(r[6] as DatePrecision),
		position: Number(r[7]),
		kind: same(r[8] as EventKind),
		summary: String(r[9]),
		quote: r[10] as string | null,
		quoteLanguage: same(r[11] as string | null),
		confidence: same(r[12] as Confidence),
		createdAt: String(r[13]),
		version: Number(r[14]),
		positionLow: r[15] == null ? null : Number(r[15]),
		positionHigh: r[16] == null ? null : Number(r[16]),
		sources: sources.get(Number(r[0])) ?? []
	};
}

/** One copy of each value seen (for `eventOfRow`'s repeated words), for one read. */
export function interner(): <T>(v: T) => T {
	const seen = new Map<unknown, unknown>();
	return <T>(v: T): T => {
		if (typeof v !== 'string') return v;
		const had = seen.get(v);
		if (had !== undefined) return had as T;
		seen.set(v, v);
		return v;
	};
}

/** Sources from rows [event_id, outlet, title, url, published_on] in event and ordinal order, by event id. */
export function groupSources(rows: readonly (readonly unknown[])[]): Map<number, Source[]> {
	const sources = new Map<number, Source[]>();
	for (const r of rows) {
		const id = Number(r[0]);
		let list = sources.get(id);
		if (!list) sources.set(id, (list = []));
		list.push({ outlet: String(r[1]), title: r[2] as string | null, url: r[3] as string | null, publishedOn: r[4] as string | null });
	}
	return sources;
}

/** The sources of the given events, in their order, by event id (one query, the ids as one JSON argument). */
export async function sourcesOfEvents(db: Db, ids: readonly number[]): Promise<Map<number, Source[]>> {
	if (!ids.length) return new Map();
	const rs = await db.$client.execute({
		sql: 'select event_id, outlet, title, url, published_on from source where event_id in (select value from json_each(?)) order by event_id, ordinal',
		args: [JSON.stringify(ids)]
	});
	return groupSources(rs.rows.map((r) => r as unknown as unknown[]));
}

/** A view's actors (as the actor) and issues, by slug; none named: all. */
export interface ViewScope {
	actors?: readonly string[];
	issues?: readonly string[];
}

/**
 * The conditions keeping the rows of the named actors and issues (by slug; none named is all) over
 * actor alias `a` and issue alias `i`, with their arguments: the one scope filter of view reads.
 * @example slugScope({ actors: ['colombia'] }) // { where: ['a.slug in (?)'], args: ['colombia'] }
 */
export function slugScope(f: { actors?: readonly string[]; issues?: readonly string[] }, a = 'a', i = 'i'): { where: string[]; args: string[] } {
	const where: string[] = [];
	const args: string[] = [];
	if (f.actors?.length) {
		where.push(`${a}.slug in (${f.actors.map(() => '?').join(',')})`);
		args.push(...f.actors);
	}
	if (f.issues?.length) {
		where.push(`${i}.slug in (${f.issues.map(() => '?').join(',')})`);
		args.push(...f.issues);
	}
	return { where, args };
}

/**
 * A view's live events (live actors and issues), in series order (date, recording, id), without
 * their sources (`sources` is empty): what a compare model is built from when the events
 * themselves are written out later, a page at a time (`eventsWithIds`). The same events, fields
 * and order as `events.list` gives (without its Drizzle row mapping).
 */
export async function viewEventsWithoutSources(db: Db, f: ViewScope): Promise<StanceEvent[]> {
	const scope = slugScope(f);
	const where = ['e.deleted_at is null and a.deleted_at is null and i.deleted_at is null', ...scope.where];
	const args = scope.args;
	const rows = await readerFor(db).all(`select ${EVENT_COLUMNS} ${EVENT_FROM} where ${where.join(' and ')} order by e.date, e.created_at, e.id`, args);
	const none = new Map<number, Source[]>();
	const same = interner();
	return rows.map((r) => eventOfRow(r, none, same));
}

/**
 * The events with these ids, whole with their sources, in the order given (a primary-key
 * lookup each; the ids as one JSON argument). Deleted or not: the caller names the ones it means.
 */
export async function eventsWithIds(db: Db, ids: readonly number[]): Promise<StanceEvent[]> {
	if (!ids.length) return [];
	const json = JSON.stringify(ids);
	const reader = readerFor(db);
	const [rows, sourceRows] = await Promise.all([
		reader.all(`select ${EVENT_COLUMNS} ${EVENT_FROM} where e.id in (select value from json_each(?))`, [json]),
		reader.all('select event_id, outlet, title, url, published_on from source where event_id in (select value from json_each(?)) order by event_id, ordinal', [json])
	]);
	const sources = groupSources(sourceRows);
	const byId = new Map(rows.map((r) => [Number(r[0]), r]));
	return ids.flatMap((id) => {
		const r = byId.get(id);
		return r ? [eventOfRow(r, sources)] : [];
	});
}

/** How many of these events' sources cite each outlet (the ids as JSON arguments, in chunks). */
export async function outletCounts(db: Db, ids: readonly number[], chunk = 20_000): Promise<Map<string, number>> {
	const counts = new Map<string, number>();
	const reader = readerFor(db);
	for (let i = 0; i < ids.length; i += chunk) {
		const rows = await reader.all('select outlet, count(*) from source where event_id in (select value from json_each(?)) group by outlet', [JSON.stringify(ids.slice(i, i + chunk))]);
		for (const [outlet, n] of rows) counts.set(String(outlet), (counts.get(String(outlet)) ?? 0) + Number(n));
	}
	return counts;
}

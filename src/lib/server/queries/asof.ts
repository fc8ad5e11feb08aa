import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { change } from '../db/schema';
import { normalAt, pinOf, recordsAsOf, type HistoryRecord, type ViewScope } from '../../domain/asof';
import { deltaAt, eventPresent, presentSql, type AsOfDelta } from './asofDelta';
import type { Entity, StanceEvent } from '../../domain/types';
import { dataVersion } from './meta';

type Filter = { actors?: readonly string[]; issues?: readonly string[]; involving?: string };

const rowSql = (text: boolean) => `select e.id, a.slug, i.slug, sp.slug, ${text ? 'tg.slug' : 'null'}, e.date, e.date_precision, e.position, e.position_low, e.position_high,
		e.kind, ${text ? 'e.summary, e.quote, e.quote_language, e.confidence' : "'', null, null, 'medium'"}, e.created_at, e.deleted_at
	from stance_event e join actor a on a.id = e.actor_id join issue i on i.id = e.issue_id
	left join actor sp on sp.id = e.speaker_id ${text ? 'left join actor tg on tg.id = e.target_id' : ''}`;

/**
 * Today's rows in scope, deleted ones too, without sources, of the actors and issues in the record
 * at the delta's moment (deleted since or not): raw arrays through the (actor, issue,
 * date) or (issue, date) index. Without `text`, the words (summary, quote, language, confidence,
 * target) are left out: `withDetails` reads them for the rows a page shows.
 */
async function rowsInScope(db: Db, f: Filter, text: boolean, delta: AsOfDelta): Promise<{ event: StanceEvent; deleted: boolean }[]> {
	const present = presentSql(delta, 'a', 'i');
	let sql = `${rowSql(text)} where ${present.sql}`;
	const args: string[] = [...present.args];
	const list = (col: string, table: 'actor' | 'issue', slugs: readonly string[]) => {
		sql += ` and ${col} in (select id from ${table} where slug in (${slugs.map(() => '?').join(',')}))`;
		args.push(...slugs);
	};
	if (f.actors?.length) list('e.actor_id', 'actor', f.actors);
	if (f.issues?.length) list('e.issue_id', 'issue', f.issues);
	if (f.involving) {
		sql += ' and (e.actor_id = (select id from actor where slug = ?) or e.speaker_id = (select id from actor where slug = ?))';
		args.push(f.involving, f.involving);
	}
	const rs = await db.$client.execute({ sql, args });
	return rs.rows.map((row) => {
		const r = row as unknown as unknown[];
		const event: StanceEvent = {
			id: Number(r[0]),
			actor: String(r[1]),
			issue: String(r[2]),
			speaker: r[3] as string | null,
			target: r[4] as string | null,
			date: String(r[5]),
			datePrecision: r[6] as StanceEvent['datePrecision'],
			position: Number(r[7]),
			...(r[8] != null && r[9] != null ? { positionLow: Number(r[8]), positionHigh: Number(r[9]) } : {}),
			kind: r[10] as StanceEvent['kind'],
			summary: String(r[11]),
			quote: r[12] as string | null,
			quoteLanguage: r[13] as string | null,
			confidence: r[14] as StanceEvent['confidence'],
			createdAt: String(r[15]),
			sources: []
		};
		return { event, deleted: r[16] !== null };
	});
}

/**
 * The events of some actors and issues as the record stood at `asof` (an ISO date-time from
 * `parseAsOf`), rebuilt whole: the reference the bounded reads (pages/asof.ts, queries/asofRead.ts)
 * are tested against. Today's rows (deleted ones too) recorded by then, with every record changed since
 * set back to its state at `asof` from the history, on the actors and issues in the record then
 * (one deleted since is; one deleted then and restored since is not). Cost: one read of the events in scope plus
 * the history written after `asof`, however long the history before it. Events set back from the
 * history carry their sources as they then were; the others come without sources unless
 * `sources` is set (see `withSources`: pages load them for the rows they show).
 */
export async function eventsAsOf(db: Db, filter: Filter, asof: string, { details = true }: { details?: boolean } = {}): Promise<StanceEvent[]> {
	const delta = await deltaAt(db, asof);
	const rows = await rowsInScope(db, filter, details, delta);
	const out: StanceEvent[] = [];
	// An event set back from the history shows when its actor and issue were in the record then.
	const wanted = (e: StanceEvent) =>
		eventPresent(delta, e) &&
		(!filter.actors?.length || filter.actors.includes(e.actor)) &&
		(!filter.issues?.length || filter.issues.includes(e.issue)) &&
		(!filter.involving || e.actor === filter.involving || e.speaker === filter.involving);
	const asIs: StanceEvent[] = [];
	const seen = new Set<number>();
	for (const { event: e, deleted } of rows) {
		seen.add(e.id);
		if (delta.events.has(e.id)) {
			const then = delta.events.get(e.id);
			if (then && wanted(then)) out.push(then);
			continue;
		}
		if (normalAt(e.createdAt) > asof) continue;
		if (!deleted) {
			out.push(e);
			asIs.push(e);
		}
	}
	// An event moved since (to another actor or issue) is not among today's rows in scope.
	for (const [id, then] of delta.events) if (then && !seen.has(id) && wanted(then)) out.push(then);
	if (details) await withDetails(db, asIs, { text: false });
	// An event set back may have had another date then: series order again.
	return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0) || (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0) || a.id - b.id);
}

/**
 * Fills in (in place) today's sources, and with `text` the words, of events read without them
 * (`eventsAsOf` with `details: false`); events set back from the history already have theirs.
 * One statement or two per 5,000 events.
 */
export async function withDetails(db: Db, list: readonly StanceEvent[], { text = true }: { text?: boolean } = {}): Promise<void> {
	const byId = new Map(list.filter((e) => e.sources.length === 0).map((e) => [e.id, e]));
	const ids = [...byId.keys()];
	for (let k = 0; k < ids.length; k += 5000) {
		if (text) {
			const words = await db.$client.execute({
				sql: 'select e.id, e.summary, e.quote, e.quote_language, e.confidence, tg.slug from stance_event e left join actor tg on tg.id = e.target_id where e.id in (select value from json_each(?))',
				args: [JSON.stringify(ids.slice(k, k + 5000))]
			});
			for (const r of words.rows) {
				const e = byId.get(Number(r[0]))!;
				Object.assign(e, { summary: String(r[1]), quote: r[2] as string | null, quoteLanguage: r[3] as string | null, confidence: r[4] as StanceEvent['confidence'], target: r[5] as string | null });
			}
		}
		const rs = await db.$client.execute({
			sql: 'select event_id, outlet, title, url, published_on from source where event_id in (select value from json_each(?)) order by event_id, ordinal',
			args: [JSON.stringify(ids.slice(k, k + 5000))]
		});
		for (const r of rs.rows) {
			byId.get(Number(r[0]))!.sources.push({ outlet: String(r[1]), title: r[2] as string | null, url: r[3] as string | null, publishedOn: r[4] as string | null });
		}
	}
}

/** History entries read per citation, newest first (see pinOf): a bounded read whatever the history holds. */
export const PIN_WINDOW = 1000;

const side = (col: 'before' | 'after') =>
	['slug', 'actor', 'issue', 'speaker'].map((k) => `json_extract(${col}, '$.${k}')`).join(', ');

/**
 * The moment a "Cite this chart" link pins a view to: the time of the newest history entry that
 * changes what it shows (see pinOf), reading at most PIN_WINDOW entries, newest first, by the
 * primary key. With no history at all (a database loaded without it), the current time.
 */
export async function pinFor(db: Db, scope: ViewScope): Promise<string> {
	const rs = await db.$client.execute({
		sql: `select entity, at, ${side('before')}, ${side('after')} from change where entity in ('event', 'actor', 'issue', 'context', 'import') order by id desc limit ?`,
		args: [PIN_WINDOW]
	});
	const keys = (r: unknown[], k: number) =>
		r[k] === null && r[k + 1] === null && r[k + 2] === null ? null : { slug: r[k], actor: r[k + 1], issue: r[k + 2], speaker: r[k + 3] };
	const recent = rs.rows.map((row) => {
		const r = row as unknown as unknown[];
		return { entity: r[0] as Entity, at: String(r[1]), before: keys(r, 2), after: keys(r, 6) };
	});
	// Events written without history (loaded straight into the database) are in the record from
	// their creation: the pin is never before the newest event's.
	const newest = await db.$client.execute('select created_at from stance_event order by id desc limit 1');
	const created = newest.rows[0] ? normalAt(String(newest.rows[0][0])) : null;
	const pin = pinOf({ recent, scope });
	if (pin && created) return pin > created ? pin : created;
	return pin ?? created ?? new Date().toISOString();
}

/**
 * An actor or issue as it stood at `asof`, from its history; null when it did not exist then or
 * was deleted. A record created without history (by a bulk import) is as it is now when it
 * existed by then.
 */
export async function recordAt(db: Db, entity: 'actor' | 'issue', id: number, createdAt: string, asof: string): Promise<Record<string, unknown> | null | 'current'> {
	const rows = await db
		.select({ id: change.id, entity: change.entity, entityId: change.entityId, action: change.action, at: change.at, before: change.before, after: change.after })
		.from(change)
		.where(and(eq(change.entity, entity), eq(change.entityId, id)))
		.orderBy(asc(change.id));
	if (!rows.length) return normalAt(createdAt) <= normalAt(asof) ? 'current' : null;
	const history = rows.map(
		(h): HistoryRecord => ({
			...h,
			before: h.before ? (JSON.parse(h.before) as Record<string, unknown>) : null,
			after: h.after ? (JSON.parse(h.after) as Record<string, unknown>) : null
		})
	);
	return recordsAsOf({ history, entity, asof }).get(id)?.record ?? null;
}


// Pins by data version and scope: a page view costs one version lookup until the next write.
const pins = new Map<string, string>();

/** `pinFor`, kept until the next write (keyed by the data version): pages ask for it on every view. */
export async function cachedPin(db: Db, scope: ViewScope): Promise<string> {
	const key = `${await dataVersion(db)}|${scope.actors?.join(',') ?? '*'}|${scope.issues?.join(',') ?? '*'}|${scope.involving ?? ''}`;
	const hit = pins.get(key);
	if (hit) return hit;
	const pin = await pinFor(db, scope);
	if (pins.size > 1000) pins.clear();
	pins.set(key, pin);
	return pin;
}

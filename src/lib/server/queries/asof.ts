import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { change } from '../db/schema';
import { normalAt, pinOf, recordsAsOf, type HistoryRecord, type ViewScope } from '../../domain/asof';
import type { Entity } from '../../domain/types';
import { dataVersion } from './meta';

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
		sql: `select entity, at, ${side('before')}, ${side('after')} from change where entity in ('event', 'actor', 'issue', 'context', 'import', 'confirmation') order by id desc limit ?`,
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

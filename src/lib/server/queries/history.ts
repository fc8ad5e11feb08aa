import { and, asc, desc, eq, ne } from 'drizzle-orm';
import type { Db } from '../db/client';
import { change, user } from '../db/schema';
import type { ChangeAction, Entity, WriteChannel } from '../../domain/types';

export interface HistoryEntry {
	id: number;
	action: ChangeAction;
	at: string;
	via: WriteChannel;
	/** Email of who made the change; null for imports and the demo seed. */
	by: string | null;
	tokenId: number | null;
	before: Record<string, unknown> | null;
	after: Record<string, unknown> | null;
}

/** Every change of one record, oldest first. */
export async function forRecord(db: Db, entity: Entity, entityId: number): Promise<HistoryEntry[]> {
	const rows = await db
		.select({
			id: change.id,
			action: change.action,
			at: change.at,
			via: change.via,
			by: user.email,
			tokenId: change.tokenId,
			before: change.before,
			after: change.after
		})
		.from(change)
		.leftJoin(user, eq(change.userId, user.id))
		.where(and(eq(change.entity, entity), eq(change.entityId, entityId)))
		.orderBy(asc(change.id));
	const entries = rows.map((r) => ({
		...r,
		before: r.before ? (JSON.parse(r.before) as Record<string, unknown>) : null,
		after: r.after ? (JSON.parse(r.after) as Record<string, unknown>) : null
	}));
	if (entity !== 'event') return entries;
	// A bulk import keeps one record for all its events: an event it created shows that record.
	const made = await db.$client.execute({
		sql: `SELECT c.id, c.at, c.via, u.email, c.token_id, i.id, i.file FROM stance_event e JOIN import_run i ON i.id = e.import_id
			JOIN change c ON c.entity = 'import' AND c.entity_id = i.id LEFT JOIN user u ON u.id = c.user_id WHERE e.id = ?`,
		args: [entityId]
	});
	const m = made.rows[0];
	if (!m) return entries;
	const by = `${m[3] === null ? 'an import' : String(m[3])} (import #${Number(m[5])} of ${String(m[6])})`;
	return [
		{ id: -Number(m[0]), action: 'create' as const, at: String(m[1]), via: String(m[2]) as WriteChannel, by, tokenId: m[4] === null ? null : Number(m[4]), before: null, after: null },
		...entries
	];
}

export interface RecentChange extends HistoryEntry {
	entity: Entity;
	entityId: number;
}

/** The latest changes to any record, newest first, leaving out the demo seed. */
export async function recent(db: Db, limit = 20): Promise<RecentChange[]> {
	const rows = await db
		.select({
			id: change.id,
			entity: change.entity,
			entityId: change.entityId,
			action: change.action,
			at: change.at,
			via: change.via,
			by: user.email,
			tokenId: change.tokenId,
			before: change.before,
			after: change.after
		})
		.from(change)
		.leftJoin(user, eq(change.userId, user.id))
		.where(ne(change.via, 'seed'))
		.orderBy(desc(change.id))
		.limit(limit);
	return rows.map((r) => ({
		...r,
		before: r.before ? (JSON.parse(r.before) as Record<string, unknown>) : null,
		after: r.after ? (JSON.parse(r.after) as Record<string, unknown>) : null
	}));
}

/** The fields that differ between two versions of a record. */
export function changedFields(before: Record<string, unknown> | null, after: Record<string, unknown> | null): string[] {
	const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
	return [...keys].filter((k) => JSON.stringify(before?.[k] ?? null) !== JSON.stringify(after?.[k] ?? null));
}

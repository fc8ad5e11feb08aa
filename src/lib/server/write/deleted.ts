/** Soft delete and restore of actors and issues (their events are hidden and shown with them). */
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { enqueueWrite } from '../db/queue';
import { actor, issue } from '../db/schema';
import { NotFoundError, type Author } from './errors';
import { checkVersion } from './input';
import { asInput, loadKnown, rowOf } from './known';
import { STAMP, historyRow, runBatch } from './statements';

/** Soft-deletes or restores an actor or an issue; `version`, when given, must be current. */
export async function setDeleted(
	db: Db,
	entity: 'actor' | 'issue',
	slug: string,
	deleted: boolean,
	version: number | undefined,
	by: Author
): Promise<{ slug: string; version: number }> {
	const table = entity === 'actor' ? actor : issue;
	return enqueueWrite(db.$client, async () => {
		const known = await loadKnown(db);
		const cur = entity === 'actor' ? known.actors.get(slug) : known.issues.get(slug);
		const row = await rowOf(db, table, slug);
		if (!cur || !row || cur.deleted === deleted) throw new NotFoundError(`${deleted ? '' : 'deleted '}${entity} "${slug}"`);
		const record = asInput(cur);
		if (version !== undefined) checkVersion(version, row.version, record);
		await runBatch(db, [
			db
				.update(table)
				.set({ deletedAt: deleted ? STAMP : null, version: sql`${table.version} + 1`, updatedAt: STAMP })
				.where(eq(table.id, row.id)),
			historyRow(db, by, entity, row.id, deleted ? 'delete' : 'restore', deleted ? record : null, deleted ? null : record)
		]);
		return { slug, version: row.version + 1 };
	});
}

/** Soft delete and restore of actors and issues (their events are hidden and shown with them). */
import type { Db } from '../db/client';
import { enqueueWrite } from '../db/queue';
import { actor, issue } from '../db/schema';
import { NotFoundError, type Author } from './errors';
import { checkVersion } from './input';
import { asInput, loadKnown, rowOf } from './known';
import { RETRIES, recordAtVersion, runAtVersion } from './guarded';
import { STAMP, historyRow } from './statements';

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
		for (let attempt = 0; ; attempt++) {
			const known = await loadKnown(db);
			const cur = entity === 'actor' ? known.actors.get(slug) : known.issues.get(slug);
			const row = await rowOf(db, table, slug);
			if (!cur || !row || cur.deleted === deleted) throw new NotFoundError(`${deleted ? '' : 'deleted '}${entity} "${slug}"`);
			const record = asInput(cur);
			if (version !== undefined) checkVersion(version, row.version, record);
			const batch = [
				...recordAtVersion(db, table, row.id, row.version, { deletedAt: deleted ? STAMP : null }),
				historyRow(db, by, entity, row.id, deleted ? 'delete' : 'restore', deleted ? record : null, deleted ? null : record)
			];
			if ((await runAtVersion(db, entity, slug, batch, version !== undefined || attempt >= RETRIES)) === 'ok') return { slug, version: row.version + 1 };
		}
	});
}

/** Soft delete and restore of actors and issues (their events are hidden and shown with them). */
import type { Db } from '../db/client';
import { enqueueWrite } from '../db/queue';
import { actor, issue } from '../db/schema';
import { NotFoundError, type Author } from './errors';
import { checkVersion } from './input';
import { asInput, loadKnown, rowOf } from './known';
import { RETRIES, currentRecord, recordAtVersion, runGuarded, untilWritten } from './guarded';
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
	const what = `${deleted ? '' : 'deleted '}${entity} "${slug}"`;
	return enqueueWrite(db.$client, async () => {
		return untilWritten(async (attempt) => {
			const known = await loadKnown(db);
			const cur = entity === 'actor' ? known.actors.get(slug) : known.issues.get(slug);
			const row = await rowOf(db, table, slug);
			if (!cur || !row || cur.deleted === deleted) throw new NotFoundError(what);
			const record = asInput(cur);
			if (version !== undefined) checkVersion(version, row.version, record);
			const batch = [
				...recordAtVersion(db, table, row.id, row.version, { deletedAt: deleted ? STAMP : null }),
				historyRow(db, by, entity, row.id, deleted ? 'delete' : 'restore', deleted ? record : null, deleted ? null : record)
			];
			const r = await runGuarded(db, { what, reread: () => currentRecord(db, entity, slug), batch, versionGiven: version !== undefined || attempt >= RETRIES });
			return r === 'ok' ? { slug, version: row.version + 1 } : r;
		});
	});
}

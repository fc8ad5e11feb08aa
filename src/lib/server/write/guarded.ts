/** Writing at the version read: the conditional UPDATE decides, in the database, whichever process writes. */
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { actor, contextEvent, issue, stanceEvent } from '../db/schema';
import { ConflictError, NotFoundError } from './errors';
import { asInput, loadKnown, rowOf } from './known';
import { GuardError, STAMP, changedOrAbort, runBatch, type Statement } from './statements';

/** The UPDATE that decides: it applies only at the version read; the guard after it aborts the batch otherwise. */
export function recordAtVersion(db: Db, table: typeof actor | typeof issue | typeof stanceEvent | typeof contextEvent, id: number, version: number, set: Record<string, unknown>): Statement[] {
	return [
		db
			.update(table)
			.set({ ...set, version: sql`${table.version} + 1`, updatedAt: STAMP })
			.where(and(eq(table.id, id), eq(table.version, version))),
		changedOrAbort(db)
	];
}

/**
 * Runs an actor's or issue's batch. When another writer (another process, say) changed the record since it was
 * read, nothing was written: throws a ConflictError with the record as it now is, or, when the
 * caller named no version, returns 'retry' so it reads again.
 */
export async function runAtVersion(db: Db, entity: 'actor' | 'issue', slug: string, batch: Statement[], versionGiven: boolean): Promise<'ok' | 'retry'> {
	try {
		await runBatch(db, batch);
		return 'ok';
	} catch (e) {
		if (!(e instanceof GuardError) || e.reason !== 'stale_version') throw e;
		if (!versionGiven) return 'retry';
		const known = await loadKnown(db);
		const cur = entity === 'actor' ? known.actors.get(slug) : known.issues.get(slug);
		const row = await rowOf(db, entity === 'actor' ? actor : issue, slug);
		if (!cur || !row) throw new NotFoundError(`${entity} "${slug}"`);
		throw new ConflictError({ ...asInput(cur), version: row.version }, row.version);
	}
}

/** How often a write that named no version reads again after losing a race, before reporting a conflict. */
export const RETRIES = 3;

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

/** How often a write that named no version reads again after losing a race, before reporting a conflict. */
export const RETRIES = 3;

/**
 * Runs a batch built on the version of a record read: when another writer (another process, say)
 * got there first, nothing was written, and `reread` gives the record as it now is: a
 * ConflictError carrying it when the caller named a version (`versionGiven`), else 'retry' to
 * read again. `id` (an event's or a context event's) heads the conflict's record; an actor's or
 * an issue's input names its slug itself. Every writer of a single record shares it.
 */
export async function runGuarded(
	db: Db,
	{ id, what, batch, versionGiven, reread }: { id?: number; what: string; batch: Statement[]; versionGiven: boolean; reread: () => Promise<{ input: object; version: number } | null> }
): Promise<'ok' | 'retry'> {
	try {
		await runBatch(db, batch);
		return 'ok';
	} catch (e) {
		if (!(e instanceof GuardError) || e.reason !== 'stale_version') throw e;
		const now = await reread();
		if (!now) throw new NotFoundError(what);
		if (versionGiven) throw new ConflictError({ ...(id === undefined ? {} : { id }), ...now.input, version: now.version }, now.version);
		return 'retry';
	}
}

/** An actor or issue as it now is, for a conflict: its input and its row's version (null when gone). */
export async function currentRecord(db: Db, entity: 'actor' | 'issue', slug: string): Promise<{ input: object; version: number } | null> {
	const known = await loadKnown(db);
	const cur = entity === 'actor' ? known.actors.get(slug) : known.issues.get(slug);
	const row = await rowOf(db, entity === 'actor' ? actor : issue, slug);
	return cur && row ? { input: asInput(cur), version: row.version } : null;
}

/**
 * Reads and writes again until a write lands: `attempt` reads the record, builds its batch and
 * runs it (its number counts the losses so far: after RETRIES it should report the conflict).
 */
export async function untilWritten<R>(attempt: (n: number) => Promise<R | 'retry'>): Promise<R> {
	for (let n = 0; ; n++) {
		const r = await attempt(n);
		if (r !== 'retry') return r;
	}
}

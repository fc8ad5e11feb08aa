/** The context event writer: create, update (at the version read), soft delete and restore. */
import type { Db } from '../db/client';
import { enqueueWrite } from '../db/queue';
import { contextEvent } from '../db/schema';
import { today } from '../../domain/dates';
import { contextEventInputSchema } from '../../schemas/dataset';
import { NotFoundError, ValidationError, type Author } from './errors';
import { checkVersion, parseOne, refuseIf } from './input';
import { checkerNow, currentContext, loadKnown } from './known';
import { RETRIES, recordAtVersion, runGuarded, untilWritten } from './guarded';
import { STAMP, contextRecord, contextValues, historyRow, insertContext, runBatch } from './statements';

type Written = { id: number; version: number };

/** Records a new context event on an issue. @returns its id and version. */
export async function createContextEvent(db: Db, input: unknown, by: Author, now = today()): Promise<Written> {
	const c = parseOne(contextEventInputSchema, input);
	return enqueueWrite(db.$client, async () => {
		refuseIf((await checkerNow(db, now)).context(c));
		const [inserted] = (await runBatch(db, insertContext(db, c, by))) as [{ id: number }[]];
		return { id: inserted[0]!.id, version: 1 };
	});
}

/**
 * Changes a context event: `patch` holds the fields to change (`source` whole) and the `version`
 * they were read at. @throws ConflictError when it changed since; ValidationError; NotFoundError.
 */
export async function updateContextEvent(db: Db, id: number, patch: Record<string, unknown>, by: Author, now = today()): Promise<Written> {
	return enqueueWrite(db.$client, async () => {
		const cur = await currentContext(db, id);
		if (!cur || cur.deleted) throw new NotFoundError(`context event ${id}`);
		const { version, ...fields } = patch;
		checkVersion(version as number | undefined, cur.version, { id, ...cur.input });
		const c = parseOne(contextEventInputSchema, { ...cur.input, ...fields });
		refuseIf((await checkerNow(db, now)).context(c));
		await runGuarded(db, {
			id,
			what: `context event ${id}`,
			reread: () => currentContext(db, id),
			versionGiven: true,
			batch: [...recordAtVersion(db, contextEvent, id, cur.version, contextValues(c)), historyRow(db, by, 'context', id, 'update', contextRecord(cur.input), contextRecord(c))]
		});
		return { id, version: cur.version + 1 };
	});
}

/** Soft-deletes a context event (charts and the API stop showing it); `version`, when given, must be current. */
export async function deleteContextEvent(db: Db, id: number, version: number | undefined, by: Author): Promise<Written> {
	return enqueueWrite(db.$client, async () => {
		return untilWritten(async (attempt) => {
			const cur = await currentContext(db, id);
			if (!cur || cur.deleted) throw new NotFoundError(`context event ${id}`);
			if (version !== undefined) checkVersion(version, cur.version, { id, ...cur.input });
			const batch = [...recordAtVersion(db, contextEvent, id, cur.version, { deletedAt: STAMP }), historyRow(db, by, 'context', id, 'delete', contextRecord(cur.input), null)];
			const r = await runGuarded(db, { id, what: `context event ${id}`, reread: () => currentContext(db, id), batch, versionGiven: version !== undefined || attempt >= RETRIES });
			return r === 'ok' ? { id, version: cur.version + 1 } : r;
		});
	});
}

/** Brings back a deleted context event (its issue must be live). */
export async function restoreContextEvent(db: Db, id: number, by: Author): Promise<Written> {
	return enqueueWrite(db.$client, async () => {
		return untilWritten(async (attempt) => {
			const cur = await currentContext(db, id);
			if (!cur || !cur.deleted) throw new NotFoundError(`deleted context event ${id}`);
			const known = await loadKnown(db);
			if (known.issues.get(cur.input.issue)?.deleted) throw new ValidationError([{ path: 'id', message: 'restore its issue first' }]);
			const batch = [...recordAtVersion(db, contextEvent, id, cur.version, { deletedAt: null }), historyRow(db, by, 'context', id, 'restore', null, contextRecord(cur.input))];
			const r = await runGuarded(db, { id, what: `context event ${id}`, reread: () => currentContext(db, id), batch, versionGiven: attempt >= RETRIES });
			return r === 'ok' ? { id, version: cur.version + 1 } : r;
		});
	});
}

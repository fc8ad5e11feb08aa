/** The event writer: create, update (at the version read), soft delete and restore. */
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { enqueueWrite } from '../db/queue';
import { source, stanceEvent } from '../db/schema';
import { checkReason } from '../../domain/corrections';
import { today } from '../../domain/dates';
import { createChecker } from '../../domain/rules';
import { eventInputSchema } from '../../schemas/dataset';
import { ConflictError, NotFoundError, ValidationError, type Author } from './errors';
import { checkVersion, parseOne, refuseIf } from './input';
import { currentEvent, loadKnown, lookupsOf } from './known';
import { RETRIES, recordAtVersion } from './guarded';
import { GuardError, STAMP, eventRecord, eventValues, historyRow, insertEvent, runBatch, sourceRows, type Statement } from './statements';

type Written = { id: number; version: number };

async function eventChecker(db: Db, now: string) {
	return createChecker(lookupsOf(await loadKnown(db)), now);
}

/**
 * Runs a batch built on the version read; when another writer (another process, say) got there
 * first, nothing was written: a ConflictError with the record as it now is, or, for writes that
 * named no version, 'retry' to read again and try once more.
 */
async function guarded(db: Db, id: number, batch: Statement[], versionGiven: boolean): Promise<'ok' | 'retry'> {
	try {
		await runBatch(db, batch);
		return 'ok';
	} catch (e) {
		if (!(e instanceof GuardError) || e.reason !== 'stale_version') throw e;
		const now = await currentEvent(db, id);
		if (!now) throw new NotFoundError(`event ${id}`);
		if (versionGiven) throw new ConflictError({ id, ...now.input, version: now.version }, now.version);
		return 'retry';
	}
}

/** Records a new event. @returns its id and version. */
export async function createEvent(db: Db, input: unknown, by: Author, now = today()): Promise<Written> {
	const e = parseOne(eventInputSchema, input);
	return enqueueWrite(db.$client, async () => {
		refuseIf((await eventChecker(db, now)).event(e));
		const [inserted] = (await runBatch(db, insertEvent(db, e, by))) as [{ id: number }[]];
		return { id: inserted[0]!.id, version: 1 };
	});
}

/**
 * Changes an event: `patch` holds the fields to change and the `version` they were read at.
 * @throws ConflictError when the event changed since; ValidationError; NotFoundError.
 */
export async function updateEvent(db: Db, id: number, patch: Record<string, unknown>, by: Author, now = today()): Promise<Written> {
	return enqueueWrite(db.$client, async () => {
		const cur = await currentEvent(db, id);
		if (!cur || cur.deleted) throw new NotFoundError(`event ${id}`);
		const { version, reason: given, ...fields } = patch;
		checkVersion(version as number | undefined, cur.version, { id, ...cur.input });
		const { reason, problems } = checkReason({ createdAt: cur.createdAt, now: new Date().toISOString(), reason: given });
		refuseIf(problems);
		const e = parseOne(eventInputSchema, { ...cur.input, ...fields });
		refuseIf((await eventChecker(db, now)).event(e));
		await guarded(
			db,
			id,
			[
				...recordAtVersion(db, stanceEvent, id, cur.version, eventValues(e)),
				db.delete(source).where(eq(source.eventId, id)),
				db.insert(source).values(sourceRows(id, e)),
				historyRow(db, by, 'event', id, 'update', eventRecord(cur.input), eventRecord(e), reason)
			],
			true
		);
		return { id, version: cur.version + 1 };
	});
}

/**
 * Soft-deletes an event (charts and the API stop showing it); `version`, when given, must be current.
 * An event public for more than a day needs a `reason` (a correction, listed publicly).
 */
export async function deleteEvent(db: Db, id: number, version: number | undefined, by: Author, given: string | null = null): Promise<Written> {
	return enqueueWrite(db.$client, async () => {
		for (let attempt = 0; ; attempt++) {
			const cur = await currentEvent(db, id);
			if (!cur || cur.deleted) throw new NotFoundError(`event ${id}`);
			if (version !== undefined) checkVersion(version, cur.version, { id, ...cur.input });
			const { reason, problems } = checkReason({ createdAt: cur.createdAt, now: new Date().toISOString(), reason: given });
			refuseIf(problems);
			const batch = [...recordAtVersion(db, stanceEvent, id, cur.version, { deletedAt: STAMP }), historyRow(db, by, 'event', id, 'delete', eventRecord(cur.input), null, reason)];
			if ((await guarded(db, id, batch, version !== undefined || attempt >= RETRIES)) === 'ok') return { id, version: cur.version + 1 };
		}
	});
}

/** Brings back a deleted event. */
export async function restoreEvent(db: Db, id: number, by: Author): Promise<Written> {
	return enqueueWrite(db.$client, async () => {
		for (let attempt = 0; ; attempt++) {
			const cur = await currentEvent(db, id);
			if (!cur || !cur.deleted) throw new NotFoundError(`deleted event ${id}`);
			const known = await loadKnown(db);
			if (known.actors.get(cur.input.actor)?.deleted || known.issues.get(cur.input.issue)?.deleted) {
				throw new ValidationError([{ path: 'id', message: 'restore its actor and issue first' }]);
			}
			const batch = [...recordAtVersion(db, stanceEvent, id, cur.version, { deletedAt: null }), historyRow(db, by, 'event', id, 'restore', null, eventRecord(cur.input))];
			if ((await guarded(db, id, batch, attempt >= RETRIES)) === 'ok') return { id, version: cur.version + 1 };
		}
	});
}

/** The event writer: create, update (at the version read), soft delete and restore. */
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { enqueueWrite } from '../db/queue';
import { source, stanceEvent } from '../db/schema';
import { today } from '../../domain/dates';
import { createChecker } from '../../domain/rules';
import { eventInputSchema } from '../../schemas/dataset';
import { NotFoundError, ValidationError, type Author } from './errors';
import { checkVersion, parseOne, refuseIf } from './input';
import { currentEvent, loadKnown, lookupsOf } from './known';
import { STAMP, eventRecord, eventValues, historyRow, insertEvent, runBatch, sourceRows } from './statements';

type Written = { id: number; version: number };

async function eventChecker(db: Db, now: string) {
	return createChecker(lookupsOf(await loadKnown(db)), now);
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
		const { version, ...fields } = patch;
		checkVersion(version as number | undefined, cur.version, { id, ...cur.input });
		const e = parseOne(eventInputSchema, { ...cur.input, ...fields });
		refuseIf((await eventChecker(db, now)).event(e));
		await runBatch(db, [
			db
				.update(stanceEvent)
				.set({ ...eventValues(e), version: sql`${stanceEvent.version} + 1`, updatedAt: STAMP })
				.where(and(eq(stanceEvent.id, id), eq(stanceEvent.version, cur.version))),
			db.delete(source).where(eq(source.eventId, id)),
			db.insert(source).values(sourceRows(id, e)),
			historyRow(db, by, 'event', id, 'update', eventRecord(cur.input), eventRecord(e))
		]);
		return { id, version: cur.version + 1 };
	});
}

/** Soft-deletes an event (charts and the API stop showing it); `version`, when given, must be current. */
export async function deleteEvent(db: Db, id: number, version: number | undefined, by: Author): Promise<Written> {
	return enqueueWrite(db.$client, async () => {
		const cur = await currentEvent(db, id);
		if (!cur || cur.deleted) throw new NotFoundError(`event ${id}`);
		if (version !== undefined) checkVersion(version, cur.version, { id, ...cur.input });
		await runBatch(db, [
			db
				.update(stanceEvent)
				.set({ deletedAt: STAMP, version: sql`${stanceEvent.version} + 1`, updatedAt: STAMP })
				.where(eq(stanceEvent.id, id)),
			historyRow(db, by, 'event', id, 'delete', eventRecord(cur.input), null)
		]);
		return { id, version: cur.version + 1 };
	});
}

/** Brings back a deleted event. */
export async function restoreEvent(db: Db, id: number, by: Author): Promise<Written> {
	return enqueueWrite(db.$client, async () => {
		const cur = await currentEvent(db, id);
		if (!cur || !cur.deleted) throw new NotFoundError(`deleted event ${id}`);
		const known = await loadKnown(db);
		if (known.actors.get(cur.input.actor)?.deleted || known.issues.get(cur.input.issue)?.deleted) {
			throw new ValidationError([{ path: 'id', message: 'restore its actor and issue first' }]);
		}
		await runBatch(db, [
			db
				.update(stanceEvent)
				.set({ deletedAt: null, version: sql`${stanceEvent.version} + 1`, updatedAt: STAMP })
				.where(eq(stanceEvent.id, id)),
			historyRow(db, by, 'event', id, 'restore', null, eventRecord(cur.input))
		]);
		return { id, version: cur.version + 1 };
	});
}

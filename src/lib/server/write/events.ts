/** The event writer: create, update (at the version read), soft delete and restore. */
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { enqueueWrite } from '../db/queue';
import { source, stanceEvent } from '../db/schema';
import { checkReason } from '../../domain/corrections';
import { today } from '../../domain/dates';
import { eventInputSchema, toProblems } from '../../schemas/dataset';
import { NotFoundError, ValidationError, type Author } from './errors';
import { checkVersion, parseOne, refuseIf } from './input';
import { checkerNow, currentEvent, loadKnown } from './known';
import { RETRIES, recordAtVersion, runGuarded, untilWritten } from './guarded';
import { STAMP, eventRecord, eventValues, historyRow, insertEvent, runBatch, sourceRows } from './statements';

type Written = { id: number; version: number };

/** Records a new event. @returns its id and version. */
export async function createEvent(db: Db, input: unknown, by: Author, now = today()): Promise<Written> {
	const e = parseOne(eventInputSchema, input);
	return enqueueWrite(db.$client, async () => {
		refuseIf((await checkerNow(db, now)).event(e));
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
		// Every problem at once: a missing reason beside the fields' problems, not one after the other.
		const { reason, problems: reasonProblems } = checkReason({ createdAt: cur.createdAt, now: new Date().toISOString(), reason: given });
		const parsed = eventInputSchema.safeParse({ ...cur.input, ...fields });
		if (!parsed.success) throw new ValidationError([...toProblems(parsed.error), ...reasonProblems]);
		const e = parsed.data;
		refuseIf([...(await checkerNow(db, now)).event(e), ...reasonProblems]);
		await runGuarded(db, {
			id,
			what: `event ${id}`,
			reread: () => currentEvent(db, id),
			versionGiven: true,
			batch: [
				...recordAtVersion(db, stanceEvent, id, cur.version, eventValues(e)),
				db.delete(source).where(eq(source.eventId, id)),
				db.insert(source).values(sourceRows(id, e)),
				historyRow(db, by, 'event', id, 'update', eventRecord(cur.input), eventRecord(e), reason)
			]
		});
		return { id, version: cur.version + 1 };
	});
}

/**
 * Soft-deletes an event (charts and the API stop showing it); `version`, when given, must be current.
 * An event public for more than a day needs a `reason` (a correction, listed publicly).
 */
export async function deleteEvent(db: Db, id: number, version: number | undefined, by: Author, given: string | null = null): Promise<Written> {
	return enqueueWrite(db.$client, async () => {
		return untilWritten(async (attempt) => {
			const cur = await currentEvent(db, id);
			if (!cur || cur.deleted) throw new NotFoundError(`event ${id}`);
			if (version !== undefined) checkVersion(version, cur.version, { id, ...cur.input });
			const { reason, problems } = checkReason({ createdAt: cur.createdAt, now: new Date().toISOString(), reason: given });
			refuseIf(problems);
			const batch = [...recordAtVersion(db, stanceEvent, id, cur.version, { deletedAt: STAMP }), historyRow(db, by, 'event', id, 'delete', eventRecord(cur.input), null, reason)];
			const r = await runGuarded(db, { id, what: `event ${id}`, reread: () => currentEvent(db, id), batch, versionGiven: version !== undefined || attempt >= RETRIES });
			return r === 'ok' ? { id, version: cur.version + 1 } : r;
		});
	});
}

/**
 * Brings back a deleted event. Like an edit or a delete, bringing back an event that was public for
 * more than a day corrects the public record: it needs a `reason`, listed publicly.
 */
export async function restoreEvent(db: Db, id: number, by: Author, given: string | null = null): Promise<Written> {
	return enqueueWrite(db.$client, async () => {
		return untilWritten(async (attempt) => {
			const cur = await currentEvent(db, id);
			if (!cur || !cur.deleted) throw new NotFoundError(`deleted event ${id}`);
			const { reason, problems } = checkReason({ createdAt: cur.createdAt, now: new Date().toISOString(), reason: given });
			refuseIf(problems);
			const known = await loadKnown(db);
			if (known.actors.get(cur.input.actor)?.deleted || known.issues.get(cur.input.issue)?.deleted) {
				throw new ValidationError([{ path: 'id', message: 'restore its actor and issue first' }]);
			}
			const batch = [...recordAtVersion(db, stanceEvent, id, cur.version, { deletedAt: null }), historyRow(db, by, 'event', id, 'restore', null, eventRecord(cur.input), reason)];
			const r = await runGuarded(db, { id, what: `event ${id}`, reread: () => currentEvent(db, id), batch, versionGiven: attempt >= RETRIES });
			return r === 'ok' ? { id, version: cur.version + 1 } : r;
		});
	});
}

/** An editor's confirmation or override of a change's class: one per event that starts a change. */
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { enqueueWrite } from '../db/queue';
import { classConfirmation, stanceEvent } from '../db/schema';
import { CHANGE_CLASSES, type ChangeClass } from '../../domain/changes';
import { checkReason } from '../../domain/corrections';
import { NotFoundError, ValidationError, type Author } from './errors';
import { historyRow, runBatch, STAMP } from './statements';

/**
 * Confirms the rules' class of the change an event starts (`class` equal to `ruleClass`), or
 * overrides it (then `reason` is required). Recorded in the history.
 * @throws ValidationError naming `class` or `reason`; NotFoundError when the event starts no change.
 */
export async function confirmClass(
	db: Db,
	eventId: number,
	input: { class: unknown; reason: unknown },
	ruleClass: ChangeClass | null,
	by: Author
): Promise<{ eventId: number; status: 'confirmed' | 'overridden' }> {
	if (ruleClass === null) throw new NotFoundError(`a change starting at event ${eventId}`);
	if (!CHANGE_CLASSES.includes(input.class as ChangeClass)) {
		throw new ValidationError([{ path: 'class', message: 'must be shift, reversal or clarification' }]);
	}
	const cls = input.class as ChangeClass;
	const { reason, problems } = checkReason({ createdAt: '9999-01-01T00:00:00.000Z', now: '1970-01-01T00:00:00.000Z', reason: input.reason });
	if (problems.length) throw new ValidationError(problems);
	if (cls !== ruleClass && !reason) {
		throw new ValidationError([{ path: 'reason', message: `is required to override the rules' class (${ruleClass})` }]);
	}
	return enqueueWrite(db.$client, async () => {
		const [ev] = await db.select({ id: stanceEvent.id, deletedAt: stanceEvent.deletedAt }).from(stanceEvent).where(eq(stanceEvent.id, eventId));
		if (!ev || ev.deletedAt) throw new NotFoundError(`event ${eventId}`);
		const [cur] = await db.select().from(classConfirmation).where(eq(classConfirmation.eventId, eventId));
		const after = { class: cls, reason, ruleClass };
		await runBatch(db, [
			db
				.insert(classConfirmation)
				.values({ eventId, class: cls, reason, userId: by.userId })
				.onConflictDoUpdate({ target: classConfirmation.eventId, set: { class: cls, reason, userId: by.userId, at: STAMP } }),
			historyRow(db, by, 'confirmation', eventId, cur ? 'update' : 'create', cur ? { class: cur.class, reason: cur.reason } : null, after, reason)
		]);
		return { eventId, status: cls === ruleClass ? 'confirmed' : 'overridden' };
	});
}

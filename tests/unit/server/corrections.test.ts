import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { sql } from 'drizzle-orm';
import { checkReason, isCorrection } from '../../../src/lib/domain/corrections';
import * as changeQ from '../../../src/lib/server/queries/changes';
import * as corrections from '../../../src/lib/server/queries/corrections';
import { confirmClass, createEvent, deleteEvent, restoreEvent, updateEvent, ValidationError, writeDataset, type Author } from '../../../src/lib/server/write';
import { actorInput, dataset, eventInput, issueInput } from '../../fixtures/factories';
import { openTestDb, type TestDb } from './testDb';

const editor: Author = { userId: null, via: 'api' };
let t: TestDb;

beforeAll(async () => {
	t = await openTestDb();
	await writeDataset(t.db, dataset({ actors: [actorInput()], issues: [issueInput()] }), { now: '2025-12-01' });
});
afterAll(() => t.close());

/** An event recorded two days ago: past the grace period. */
async function oldEvent(overrides = {}) {
	const { id } = await createEvent(t.db, eventInput(overrides), editor, '2025-12-01');
	await t.db.run(sql`update stance_event set created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-2 days') where id = ${id}`);
	return id;
}

describe('checkReason', () => {
	it('needs a reason only after the grace period', () => {
		expect(isCorrection('2025-11-01T10:00:00.000Z', '2025-11-02T09:59:59.000Z')).toBe(false);
		expect(isCorrection('2025-11-01T10:00:00.000Z', '2025-11-02T10:00:01.000Z')).toBe(true);
		expect(checkReason({ createdAt: '2025-11-01T10:00:00.000Z', now: '2025-11-03T00:00:00.000Z', reason: '  ' }).problems[0]!.path).toBe('reason');
		expect(checkReason({ createdAt: '2025-11-01T10:00:00.000Z', now: '2025-11-01T12:00:00.000Z', reason: '' })).toEqual({ reason: null, problems: [] });
		expect(checkReason({ createdAt: '2025-11-01T10:00:00.000Z', now: '2025-11-03T00:00:00.000Z', reason: ' Wrong date ' })).toEqual({ reason: 'Wrong date', problems: [] });
		expect(checkReason({ createdAt: 'x', now: 'y', reason: 'a\u0000b' }).problems[0]!.message).toContain('control');
	});
});

describe('corrections through the write path', () => {
	it('refuses to change an event public for more than a day without a reason, and writes nothing', async () => {
		const id = await oldEvent();
		const err = await updateEvent(t.db, id, { version: 1, position: 2 }, editor).catch((e) => e);
		expect(err).toBeInstanceOf(ValidationError);
		expect((err as ValidationError).problems.map((p) => p.path)).toEqual(['reason']);
		expect(await corrections.forEvent(t.db, id)).toEqual([]);
		const del = await deleteEvent(t.db, id, 1, editor).catch((e) => e);
		expect(del).toBeInstanceOf(ValidationError);
	});

	it('names a missing reason together with the fields\' problems, in one refusal', async () => {
		const id = await oldEvent({ summary: 'Two problems at once' });
		const schema = await updateEvent(t.db, id, { version: 1, summary: '' }, editor).catch((e) => e);
		expect((schema as ValidationError).problems.map((p) => p.path).sort()).toEqual(['reason', 'summary']);
		const rule = await updateEvent(t.db, id, { version: 1, position: 9 }, editor).catch((e) => e);
		expect((rule as ValidationError).problems.map((p) => p.path).sort()).toEqual(['position', 'reason']);
		expect(await corrections.forEvent(t.db, id)).toEqual([]);
	});

	it('records a correction with its reason and lists it publicly with what changed', async () => {
		const id = await oldEvent({ summary: 'Corrected later' });
		await updateEvent(t.db, id, { version: 1, position: -1, reason: 'The minister was misquoted.' }, editor);
		const list = await corrections.forEvent(t.db, id);
		expect(list).toHaveLength(1);
		expect(list[0]).toMatchObject({ action: 'update', reason: 'The minister was misquoted.', fields: ['Position'], summary: 'Corrected later' });
		expect(Object.keys(list[0]!)).not.toContain('by');
		await deleteEvent(t.db, id, 2, editor, 'Duplicate of another event.');
		const all = await corrections.list(t.db, { limit: 10, offset: 0 });
		expect(all.corrections[0]).toMatchObject({ eventId: id, action: 'delete', reason: 'Duplicate of another event.' });
	});

	it('refuses to restore an event public for more than a day without a reason, and lists the restore with its reason', async () => {
		const id = await oldEvent({ summary: 'Withdrawn, then restored' });
		await deleteEvent(t.db, id, 1, editor, 'Looked like a duplicate.');
		const err = await restoreEvent(t.db, id, editor).catch((e) => e);
		expect(err).toBeInstanceOf(ValidationError);
		expect((err as ValidationError).problems.map((p) => p.path)).toEqual(['reason']);
		expect(await restoreEvent(t.db, id, editor, '   ').catch((e) => e)).toBeInstanceOf(ValidationError);
		expect((await corrections.forEvent(t.db, id)).map((c) => c.action)).toEqual(['delete']);
		await restoreEvent(t.db, id, editor, 'It was not a duplicate: two separate statements.');
		const list = await corrections.forEvent(t.db, id);
		expect(list.map((c) => [c.action, c.reason])).toEqual([
			['delete', 'Looked like a duplicate.'],
			['restore', 'It was not a duplicate: two separate statements.']
		]);
	});

	it('restores a fresh event without a reason', async () => {
		const { id } = await createEvent(t.db, eventInput({ summary: 'Fresh, deleted, restored' }), editor, '2025-12-01');
		await deleteEvent(t.db, id, 1, editor);
		await restoreEvent(t.db, id, editor);
		expect(await corrections.forEvent(t.db, id)).toEqual([]);
	});

	it('lets a fresh event be edited without a reason, and does not list it as a correction', async () => {
		const { id } = await createEvent(t.db, eventInput({ summary: 'Fresh' }), editor, '2025-12-01');
		await updateEvent(t.db, id, { version: 1, position: 0 }, editor);
		expect(await corrections.forEvent(t.db, id)).toEqual([]);
	});
});

describe('class confirmations', () => {
	it('confirms the rules’ class, refuses an override without a reason, and shows an override in the change records', async () => {
		await createEvent(t.db, eventInput({ actor: 'testland', date: '2025-01-01', position: 1, summary: 'c1' }), editor, '2025-12-01');
		const { id } = await createEvent(t.db, eventInput({ date: '2025-02-01', position: -2, summary: 'c2' }), editor, '2025-12-01');
		const started = await changeQ.startedBy(t.db, id);
		expect(started!.change.ruleClass).toBe('reversal');
		await expect(confirmClass(t.db, id, { class: 'shift', reason: '' }, 'reversal', editor)).rejects.toThrow(/reason/);
		expect((await confirmClass(t.db, id, { class: 'reversal', reason: '' }, 'reversal', editor)).status).toBe('confirmed');
		expect((await changeQ.startedBy(t.db, id))!.change.confirmation).toMatchObject({ status: 'confirmed', class: 'reversal' });
		await confirmClass(t.db, id, { class: 'clarification', reason: 'The ministry said the statement was misreported.' }, 'reversal', editor);
		const after = (await changeQ.startedBy(t.db, id))!.change;
		expect(after).toMatchObject({ class: 'clarification', ruleClass: 'reversal', basis: 'editor', confirmation: { status: 'overridden' } });
		await expect(confirmClass(t.db, id, { class: 'flip', reason: '' }, 'reversal', editor)).rejects.toThrow(/class/);
	});
});

import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import * as history from '../../../src/lib/server/queries/history';
import { createEvent, SEED_AUTHOR, updateEvent, writeDataset } from '../../../src/lib/server/write';
import { actorInput, dataset, eventInput, issueInput } from '../../fixtures/factories';
import { openTestDb, type TestDb } from './testDb';

let t: TestDb;
let id: number;

beforeAll(async () => {
	t = await openTestDb();
	// The seed's records stay out of "recent changes"; an import's and a form's are in.
	await writeDataset(t.db, dataset({ actors: [actorInput()], issues: [issueInput()], events: [eventInput()] }), { now: '2025-12-01', by: SEED_AUTHOR });
	await writeDataset(t.db, dataset({ events: [eventInput({ summary: 'Imported.' })] }), { now: '2025-12-01' });
	({ id } = await createEvent(t.db, eventInput({ summary: 'From the form.' }), { userId: null, via: 'form' }, '2025-12-01'));
	await updateEvent(t.db, id, { summary: 'From the form, corrected.', version: 1 }, { userId: null, via: 'api' }, '2025-12-01');
});
afterAll(() => t?.close());

describe('history.recent', () => {
	it('lists changes newest first, leaving out the demo seed', async () => {
		const recent = await history.recent(t.db);
		expect(recent.map((c) => [c.entity, c.action, c.via])).toEqual([
			['event', 'update', 'api'],
			['event', 'create', 'form'],
			['event', 'create', 'import']
		]);
		expect(recent[0]).toMatchObject({ entityId: id, before: { summary: 'From the form.' }, after: { summary: 'From the form, corrected.' } });
	});

	it('takes a limit', async () => {
		expect(await history.recent(t.db, 1)).toHaveLength(1);
	});
});

describe('history.forRecord', () => {
	it("gives one event's changes, oldest first", async () => {
		expect((await history.forRecord(t.db, 'event', id)).map((c) => c.action)).toEqual(['create', 'update']);
	});
});

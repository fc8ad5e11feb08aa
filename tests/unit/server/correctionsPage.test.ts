import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { CORRECTIONS_PER_PAGE, correctionsModel } from '../../../src/lib/server/pages/corrections';
import { createEvent, updateEvent, writeDataset, type Author } from '../../../src/lib/server/write';
import { actorInput, dataset, eventInput, issueInput } from '../../fixtures/factories';
import { openTestDb, type TestDb } from './testDb';

const editor: Author = { userId: null, via: 'api' };
const CORRECTED = CORRECTIONS_PER_PAGE + 3;
let t: TestDb;

beforeAll(async () => {
	t = await openTestDb();
	await writeDataset(t.db, dataset({ actors: [actorInput()], issues: [issueInput()] }), { now: '2025-12-01' });
	// Enough corrections for two pages: events public for two days, each corrected with a reason.
	for (let k = 0; k < CORRECTED; k++) {
		const { id } = await createEvent(t.db, eventInput({ summary: `Event ${k}` }), editor, '2025-12-01');
		await t.db.run(sql`update stance_event set created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-2 days') where id = ${id}`);
		await updateEvent(t.db, id, { version: 1, summary: `Event ${k}, corrected`, reason: `Reason ${k}` }, editor);
	}
});
afterAll(() => t.close());

const open = (query: string) => correctionsModel(t.db, new URL(`http://x/corrections?${query}`));

describe('the corrections page, as its link asks', () => {
	it('pages the corrections, newest first', async () => {
		const first = await open('');
		expect(first).toMatchObject({ problems: [], page: 1, pages: 2, total: CORRECTED });
		expect(first.corrections).toHaveLength(CORRECTIONS_PER_PAGE);
		expect(first.corrections[0]!.reason).toBe(`Reason ${CORRECTED - 1}`);
		expect((await open('page=2')).corrections).toHaveLength(3);
	});

	it('names a page number that is not one and shows page 1; never a 500 for a huge one', async () => {
		for (const bad of ['-1', 'abc', '0', '1.5', '99999999999999999999']) {
			const r = await open(`page=${bad}`);
			expect(r.problems.map((p) => p.parameter), bad).toEqual(['page']);
			expect(r.page, bad).toBe(1);
			expect(r.corrections, bad).toHaveLength(CORRECTIONS_PER_PAGE);
		}
	});

	it('says a huge page number is past the limit, once', async () => {
		expect((await open('page=99999999999999999999')).problems).toEqual([{ parameter: 'page', message: 'must be at most 1000000' }]);
	});

	it('shows the last page for a page past the end', async () => {
		const r = await open('page=999');
		expect(r).toMatchObject({ problems: [], page: 2, pages: 2 });
		expect(r.corrections).toHaveLength(3);
	});
});

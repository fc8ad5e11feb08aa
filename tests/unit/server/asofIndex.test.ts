/**
 * The record as of a moment reads only the history written after it: the delta's read
 * (DELTA_SQL) seeks the change_at_idx index instead of scanning the whole history.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELTA_SQL } from '../../../src/lib/server/queries/asofDelta';
import { openTestDb, type TestDb } from './testDb';

let t: TestDb;
beforeAll(async () => {
	t = await openTestDb();
});
afterAll(() => t.close());

describe('the history read of an as-of view', () => {
	it('searches change by its `at` index (a range after the moment), not a scan of the table', async () => {
		const rs = await t.db.$client.execute({ sql: `explain query plan ${DELTA_SQL}`, args: ['2025-11-12T00:00:00.000Z'] });
		const plan = rs.rows.map((r) => String(r[3]));
		expect(plan.join('\n')).toMatch(/SEARCH change USING INDEX change_at_idx \(at>\?\)/);
		expect(plan.some((d) => /^SCAN change\b/.test(d))).toBe(false);
	});
});

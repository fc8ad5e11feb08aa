import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as changesQ from '../../../src/lib/server/queries/changes';
import * as issues from '../../../src/lib/server/queries/issues';
import { createEvent, updateIssue, ValidationError, writeDataset, type Author } from '../../../src/lib/server/write';
import { actorInput, dataset, eventInput, issueInput } from '../../fixtures/factories';
import { openTestDb, tableCounts, type TestDb } from './testDb';

const NOW = '2025-12-01';
const by: Author = { userId: null, via: 'api' };
let t: TestDb;

beforeAll(async () => {
	t = await openTestDb();
	await writeDataset(t.db, dataset({ actors: [actorInput()], issues: [issueInput()] }), NOW);
	// A walk-back: Maintain, Halt three days later, back to Maintain three days after that (same speaker).
	for (const [date, position] of [['2025-06-01', 1], ['2025-06-04', -2], ['2025-06-07', 1]] as const) {
		await createEvent(t.db, eventInput({ date, position }), by, NOW);
	}
});
afterAll(() => t?.close());

const version = async () => (await issues.versionOf(t.db, 'test-issue'))!;
const classes = async () => {
	await changesQ.ensureFresh(t.db);
	return (await changesQ.changesPage(t.db, { issues: ['test-issue'] })).changes.map((c) => `${c.to.date} ${c.class}`);
};

describe('per-issue thresholds (change rules) through the write path', () => {
	it('starts with the defaults (null) and the default classes', async () => {
		expect((await issues.bySlug(t.db, 'test-issue'))?.rules).toEqual({ minShare: null, walkBackDays: null, staleAfterDays: null });
		expect(await classes()).toEqual(['2025-06-07 clarification', '2025-06-04 reversal']);
	});

	it('re-classes a change when the walk-back window is narrowed, and back when it is cleared', async () => {
		await updateIssue(t.db, 'test-issue', { version: await version(), rules: { walkBackDays: 2 } }, by);
		// Three days is past a two-day window: the move back is a reversal across the midpoint now.
		expect(await classes()).toEqual(['2025-06-07 reversal', '2025-06-04 reversal']);
		await updateIssue(t.db, 'test-issue', { version: await version(), rules: { walkBackDays: null } }, by);
		expect(await classes()).toEqual(['2025-06-07 clarification', '2025-06-04 reversal']);
	});

	it('sets one rule without touching the others, and keeps each step in the history', async () => {
		await updateIssue(t.db, 'test-issue', { version: await version(), rules: { staleAfterDays: 30 } }, by);
		await updateIssue(t.db, 'test-issue', { version: await version(), rules: { minShare: 0.8 } }, by);
		expect((await issues.bySlug(t.db, 'test-issue'))?.rules).toEqual({ minShare: 0.8, walkBackDays: null, staleAfterDays: 30 });
		// A move of 75 % of the scale is under the 80 % threshold: no change at all.
		expect(await classes()).toEqual([]);
		const rows = await t.db.$client.execute("select before, after from change where entity = 'issue' order by id desc limit 2");
		const [last, prev] = rows.rows.map((r) => ({ before: JSON.parse(String(r[0])), after: JSON.parse(String(r[1])) }));
		expect(prev!.before.rules.staleAfterDays).toBeNull();
		expect(prev!.after.rules.staleAfterDays).toBe(30);
		expect(last!.before.rules).toEqual({ minShare: null, walkBackDays: null, staleAfterDays: 30 });
		expect(last!.after.rules).toEqual({ minShare: 0.8, walkBackDays: null, staleAfterDays: 30 });
	});

	it('refuses bad rules naming the field, and writes nothing', async () => {
		const before = { counts: await tableCounts(t.db), version: await version() };
		for (const [rules, path] of [
			[{ minShare: 1.5 }, 'rules.minShare'],
			[{ walkBackDays: 2.5 }, 'rules.walkBackDays'],
			[{ staleAfterDays: 0 }, 'rules.staleAfterDays'],
			[{ staleAfterDays: 'a year' }, 'rules.staleAfterDays']
		] as const) {
			const e = await updateIssue(t.db, 'test-issue', { version: before.version, rules }, by).then(
				() => expect.fail('accepted'),
				(x: unknown) => x
			);
			expect(e).toBeInstanceOf(ValidationError);
			expect((e as ValidationError).problems.map((p) => p.path)).toEqual([path]);
		}
		expect({ counts: await tableCounts(t.db), version: await version() }).toEqual(before);
	});
});

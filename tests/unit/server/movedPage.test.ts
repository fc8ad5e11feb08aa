import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANGES_PER_MOVER, movedModel } from '../../../src/lib/server/pages/moved';
import { SEED_AUTHOR, writeDataset } from '../../../src/lib/server/write';
import { loadDemo } from '../../fixtures/demo';
import { openTestDb, type TestDb } from './testDb';

const MOVERS = 23;
const ISSUE = 'paging-test';
const BUSY_ISSUE = 'busy-test';
let t: TestDb;

beforeAll(async () => {
	t = await openTestDb();
	const data = loadDemo();
	const [model] = data.issues;
	data.issues.push({ ...model!, slug: ISSUE, title: 'Paging test' });
	for (let k = 1; k <= MOVERS; k++) {
		const slug = `mover-${String(k).padStart(2, '0')}`;
		data.actors.push({ ...data.actors[0]!, slug, name: `Mover ${String(k).padStart(2, '0')}`, countryCode: null } as (typeof data.actors)[number]);
		for (const [date, position] of [['2025-10-01', -2], ['2025-11-20', 2]] as const) {
			data.events.push({ ...data.events[0]!, actor: slug, issue: ISSUE, date, datePrecision: 'day', position, speaker: null, quote: `Quote of ${slug} on ${date}`, summary: `${slug} says ${position}` });
		}
	}
	// One actor that changes stance ten times inside the dates, on an issue of its own.
	data.issues.push({ ...model!, slug: BUSY_ISSUE, title: 'Busy test' });
	data.actors.push({ ...data.actors[0]!, slug: 'busy-mover', name: 'Busy mover', countryCode: null } as (typeof data.actors)[number]);
	for (let d = 0; d <= 10; d++) {
		const date = `2025-11-${String(d + 2).padStart(2, '0')}`;
		data.events.push({ ...data.events[0]!, actor: 'busy-mover', issue: BUSY_ISSUE, date, datePrecision: 'day', position: d % 2 ? 2 : -2, speaker: null, quote: `Busy on ${date}`, summary: `busy ${d}` });
	}
	await writeDataset(t.db, data, { now: '2025-12-01', by: SEED_AUTHOR });
});
afterAll(() => t.close());

const open = (query: string) => movedModel(t.db, new URL(`http://x/changes/between?from=2025-11-01&to=2025-11-30&issues=${ISSUE}&${query}`));

describe('who moved between two dates, a page at a time', () => {
	it('shows at most `per` movers a page, and the pages together show every mover once, in name order', async () => {
		const first = await open('per=10');
		expect(first.problems).toEqual([]);
		expect(first.result).toMatchObject({ total: MOVERS, page: 1, pages: 3, per: 10 });
		expect(first.result!.movers).toHaveLength(10);
		// The shown movers come with their changes and the words behind them.
		expect(first.result!.movers[0]!.changes.at(-1)!.after.quote).toBe('Quote of mover-01 on 2025-11-20');
		const seen: string[] = [];
		for (let p = 1; p <= 3; p++) seen.push(...(await open(`per=10&page=${p}`)).result!.movers.map((m) => m.actor));
		expect(seen).toEqual(Array.from({ length: MOVERS }, (_, k) => `mover-${String(k + 1).padStart(2, '0')}`));
		expect((await open('per=10&page=3')).result!.movers).toHaveLength(3);
	});

	it('pages 50 by default, keeps a page past the end on the last one, and refuses a page size out of 10..200 naming it', async () => {
		expect((await open('')).result).toMatchObject({ per: 50, pages: 1, total: MOVERS });
		expect((await open('')).result!.movers).toHaveLength(MOVERS);
		expect((await open('per=10&page=99')).result).toMatchObject({ page: 3 });
		for (const per of ['9', '201', 'x']) {
			const bad = await open(`per=${per}`);
			expect(bad.result).toBeNull();
			expect(bad.problems.map((p) => p.parameter)).toContain('per');
		}
	});

	it('shows a busy mover\'s first change and latest ones, and counts the rest', async () => {
		const r = await movedModel(t.db, new URL(`http://x/changes/between?from=2025-11-01&to=2025-11-30&issues=${BUSY_ISSUE}`));
		const [m] = r.result!.movers;
		expect(m!.actor).toBe('busy-mover');
		expect(m!.changes).toHaveLength(CHANGES_PER_MOVER);
		expect(m!.moreChanges).toBe(10 - CHANGES_PER_MOVER);
		expect(m!.changes[0]!.after.quote).toBe('Busy on 2025-11-03');
		expect(m!.changes.at(-1)!.after.quote).toBe('Busy on 2025-11-12');
		expect(m!.changes.at(-2)!.after.quote).toBe('Busy on 2025-11-11');
	});
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportContext } from '../../../src/lib/server/export';
import { countViewEvents, DEFAULT_VIEW_MAX_EVENTS, loadView, viewMaxEvents } from '../../../src/lib/server/queries/view';
import { writeDataset } from '../../../src/lib/server/write';
import { loadDemo } from '../../fixtures/demo';
import { openTestDb, type TestDb } from './testDb';

// Never die on a request: a view (compare page, embed, exports) counts what it would load, from
// issue_actor_activity, and past VIEW_MAX_EVENTS loads nothing and says why.

let t: TestDb;
beforeAll(async () => {
	t = await openTestDb();
	await writeDataset(t.db, loadDemo(), '2026-01-01');
});
afterAll(() => t.close());

const params = (q: string) => new URLSearchParams(q);

describe('viewMaxEvents', () => {
	it('reads a positive integer, else the default', () => {
		expect(viewMaxEvents('10')).toBe(10);
		expect(viewMaxEvents(undefined)).toBe(DEFAULT_VIEW_MAX_EVENTS);
		expect(viewMaxEvents('0')).toBe(DEFAULT_VIEW_MAX_EVENTS);
		expect(viewMaxEvents('lots')).toBe(DEFAULT_VIEW_MAX_EVENTS);
	});
});

describe('loadView with a limit', () => {
	it('counts the events a view would load without loading them', async () => {
		const all = await loadView(t.db, params('issues=boat-strikes-legality'), { maxEvents: 1000 });
		expect(await countViewEvents(t.db, { issues: ['boat-strikes-legality'] })).toBe(all.events.length);
		const two = await loadView(t.db, params('actors=colombia,united-states'), { maxEvents: 1000 });
		expect(await countViewEvents(t.db, { actors: ['colombia', 'united-states'] })).toBe(two.events.length);
	});

	it('refuses a view past the limit, naming the limit and what to do, and loads nothing', async () => {
		const v = await loadView(t.db, params('issues=boat-strikes-legality'), { maxEvents: 10 });
		expect(v.tooLarge).toMatchObject({ count: 13, limit: 10 });
		expect(v.tooLarge?.message).toContain('VIEW_MAX_EVENTS');
		expect(v.tooLarge?.message).toContain('the 10 one view may load');
		expect(v.tooLarge?.message).toContain('fewer actors or issues');
		expect(v.tooLarge?.message).toContain('/api/series?bucket=month');
		expect(v.events).toEqual([]);
		expect(v.shownActors).toEqual([]);
	});

	it('under the limit, loads the same view as without one', async () => {
		const limited = await loadView(t.db, params('actors=colombia&issues=intelligence-sharing-us'), { maxEvents: 10 });
		const free = await loadView(t.db, params('actors=colombia&issues=intelligence-sharing-us'), { maxEvents: 1_000_000 });
		expect(limited.tooLarge).toBeNull();
		expect(limited.events.length).toBe(5);
		expect(limited).toEqual(free);
	});

	it('an export past the limit answers 413 with the message; under it, the export is built', async () => {
		process.env.VIEW_MAX_EVENTS = '10';
		try {
			const big = await exportContext(t.db, new URL('http://x.test/export/data.csv?issues=boat-strikes-legality'));
			expect(big.ok).toBe(false);
			if (big.ok) return;
			expect(big.response.status).toBe(413);
			const body = await big.response.json();
			expect(body.error).toContain('VIEW_MAX_EVENTS');
			expect(body.details).toEqual({ count: 13, limit: 10 });
			const small = await exportContext(t.db, new URL('http://x.test/export/data.csv?actors=colombia&issues=intelligence-sharing-us'));
			expect(small.ok).toBe(true);
		} finally {
			delete process.env.VIEW_MAX_EVENTS;
		}
	});
});

describe('the changes pages past the limit', () => {
	it('are not refused: every change is listed and who moved reads every actor, whatever VIEW_MAX_EVENTS says', async () => {
		process.env.VIEW_MAX_EVENTS = '10';
		try {
			const { changesPage, ensureFresh, moverRows } = await import('../../../src/lib/server/queries/changes');
			expect(await ensureFresh(t.db)).toBeNull();
			const all = await changesPage(t.db, {}, { per: 1000 });
			// From the 35 events of every issue, more than the limit.
			expect(all.total).toBeGreaterThan(0);
			expect(all.changes).toHaveLength(all.total);
			expect(new Set(all.changes.map((c) => c.issue)).size).toBeGreaterThan(1);
			expect((await moverRows(t.db, {}, '2025-01-01', '2026-01-01')).map((m) => m.actor)).toContain('colombia');
		} finally {
			delete process.env.VIEW_MAX_EVENTS;
		}
	});
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { record } from '../../../src/lib/server/queries/changes';
import { countViewEvents } from '../../../src/lib/server/queries/view';
import { deleteEvent, writeDataset } from '../../../src/lib/server/write';
import { loadDemo } from '../../fixtures/demo';
import { openTestDb, type TestDb } from './testDb';

// A scoped change record (the changes page past VIEW_MAX_EVENTS, with actors or issues named) reads
// its events per (actor, issue) pair on the series index; it must derive exactly the changes the
// whole record has for that scope.

let t: TestDb;
const BY = { userId: null, via: 'api' as const };
beforeAll(async () => {
	t = await openTestDb();
	await writeDataset(t.db, loadDemo(), '2026-01-01');
});
afterAll(() => t.close());

const key = (c: { actor: string; issue: string; to: { eventId: number }; class: string }) => `${c.actor}|${c.issue}|${c.to.eventId}|${c.class}`;

describe('a scoped change record', () => {
	it('has the whole record’s changes for its actors and issues, with their events and sources', async () => {
		// A limit just under the whole record's size makes record() read only the scope (read
		// first: once the whole record is derived for a data version, every scope is served from it).
		const total = await countViewEvents(t.db, {});
		const scopes: { actors?: string[]; issues?: string[] }[] = [{ actors: ['colombia'] }, { issues: ['intelligence-sharing-us'] }, { actors: ['colombia', 'united-states'], issues: ['intelligence-sharing-us', 'boat-strikes-legality'] }];
		const scoped: Awaited<ReturnType<typeof record>>[] = [];
		for (const scope of scopes) scoped.push(await record(t.db, scope, { maxEvents: total - 1 }));
		const whole = await record(t.db);
		expect(whole.tooLarge).toBeNull();
		scopes.forEach((scope, i) => {
			const r = scoped[i]!;
			expect(r.tooLarge).toBeNull();
			const within = (c: { actor: string; issue: string }) => (!scope.actors || scope.actors.includes(c.actor)) && (!scope.issues || scope.issues.includes(c.issue));
			const inScope = whole.changes.filter(within);
			expect(inScope.length).toBeGreaterThan(0);
			// Only the scope was read.
			expect(r.seriesList.every(within)).toBe(true);
			expect(r.seriesList.length).toBeLessThan(whole.seriesList.length);
			expect(r.changes.map(key)).toEqual(inScope.map(key));
			const events = (rec: typeof whole) => rec.seriesList.filter(within).flatMap((s) => s.points.map((p) => p.event));
			expect(events(r)).toEqual(events(whole));
		});
	});

	it('leaves out a deleted event', async () => {
		const total = await countViewEvents(t.db, {});
		const scoped = await record(t.db, { actors: ['colombia'] }, { maxEvents: total - 1 });
		const victim = scoped.seriesList.find((s) => s.issue === 'intelligence-sharing-us')!.points.at(-1)!.event;
		await deleteEvent(t.db, victim.id, undefined, BY);
		const after = await record(t.db, { actors: ['colombia'] }, { maxEvents: total - 2 });
		expect(after.seriesList.flatMap((s) => s.points.map((p) => p.eventId))).not.toContain(victim.id);
	});
});

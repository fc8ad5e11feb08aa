/**
 * The total of a paged /api/events listing without dates comes from the per-pair counts
 * (issue_actor_activity, kept by triggers) instead of a walk of every matching event: it must be
 * the count the listing itself gives, through deleted events, actors and issues.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as events from '../../../src/lib/server/queries/events';
import { createEvent, deleteEvent, setDeleted, type Author } from '../../../src/lib/server/write';
import { openDemoDb, type TestDb } from './testDb';

const editor: Author = { userId: null, via: 'api' };
let t: TestDb;

beforeAll(async () => {
	t = await openDemoDb();
});
afterAll(() => t.close());

/** Every filter without dates over the demo's actors and issues (each alone, every pair, none). */
async function filters(): Promise<{ actor?: string; issue?: string }[]> {
	const rows = (await t.db.$client.execute('select a.slug, i.slug from issue_actor_activity c join actor a on a.id = c.actor_id join issue i on i.id = c.issue_id')).rows;
	const actors = [...new Set(rows.map((r) => String(r[0])))];
	const issues = [...new Set(rows.map((r) => String(r[1])))];
	return [{}, ...actors.map((actor) => ({ actor })), ...issues.map((issue) => ({ issue })), ...rows.map((r) => ({ actor: String(r[0]), issue: String(r[1]) }))];
}

async function expectCountsAgree() {
	for (const f of await filters()) {
		// The listing counting its matches (no total given): the reference.
		const counted = await events.list(t.db, { ...f, limit: 1 });
		expect(await events.liveCount(t.db, f), JSON.stringify(f)).toBe(counted.total);
		// Given the total, the listing reads its page alone: the same page.
		const given = await events.list(t.db, { ...f, limit: 1, total: counted.total });
		expect(given).toEqual(counted);
	}
}

describe('events.liveCount', () => {
	it('is the listing\'s own count for every actor, issue and pair of the demo', async () => {
		await expectCountsAgree();
	});

	it('stays so through a created and a deleted event, a deleted actor and a deleted issue', async () => {
		const { id } = await createEvent(t.db, { actor: 'colombia', issue: 'intelligence-sharing-us', date: '2025-11-20', position: 1, kind: 'statement', summary: 'Later', sources: [{ outlet: 'Wire' }] }, editor);
		const [other] = (await events.list(t.db, { actor: 'united-states', limit: 1 })).events;
		await deleteEvent(t.db, other!.id, undefined, editor);
		await setDeleted(t.db, 'actor', 'france', true, undefined, editor);
		await setDeleted(t.db, 'issue', 'caribbean-military-buildup', true, undefined, editor);
		expect((await events.list(t.db, { limit: 1000 })).events.map((e) => e.id)).toContain(id);
		await expectCountsAgree();
	});
});

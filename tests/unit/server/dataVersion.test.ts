import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../../src/lib/server/db/client';
import { dataVersion, viewVersion } from '../../../src/lib/server/queries/meta';
import * as write from '../../../src/lib/server/write';
import { actorInput, dataset, eventInput, issueInput } from '../../fixtures/factories';
import { openTestDb, type TestDb } from './testDb';

const by: write.Author = { userId: null, via: 'api' };
const NOW = '2025-12-01';
let t: TestDb;

beforeAll(async () => {
	t = await openTestDb();
	await write.writeDataset(
		t.db,
		dataset({
			actors: [actorInput({ slug: 'aland' }), actorInput({ slug: 'bland', name: 'Bland' })],
			issues: [issueInput({ slug: 'issue-a', title: 'A' }), issueInput({ slug: 'issue-b', title: 'B' })],
			events: [eventInput({ actor: 'aland', issue: 'issue-a' }), eventInput({ actor: 'bland', issue: 'issue-b' })]
		}),
		NOW
	);
});
afterAll(() => t?.close());

/** The three versions a test watches: everything, a view of issue A, a view of issue B. */
async function versions() {
	return { all: await dataVersion(t.db), a: await viewVersion(t.db, ['issue-a']), b: await viewVersion(t.db, ['issue-b']) };
}

async function eventIdOn(issue: string): Promise<number> {
	const rs = await t.db.$client.execute({ sql: 'select e.id from stance_event e join issue i on i.id = e.issue_id where i.slug = ? order by e.id desc limit 1', args: [issue] });
	return Number(rs.rows[0]![0]);
}

describe('dataVersion and viewVersion', () => {
	it('moves on every event write (create, update, delete, restore) for that issue only', async () => {
		let before = await versions();
		const { id } = await write.createEvent(t.db, eventInput({ actor: 'aland', issue: 'issue-a', date: '2025-01-02' }), by, NOW);
		let after = await versions();
		expect(after.all).not.toBe(before.all);
		expect(after.a).not.toBe(before.a);
		expect(after.b).toBe(before.b);

		for (const step of [
			() => write.updateEvent(t.db, id, { version: 1, position: 2 }, by, NOW),
			() => write.deleteEvent(t.db, id, undefined, by),
			() => write.restoreEvent(t.db, id, by)
		]) {
			before = after;
			await step();
			after = await versions();
			expect(after.all).not.toBe(before.all);
			expect(after.a).not.toBe(before.a);
			expect(after.b).toBe(before.b);
		}
	});

	it('moves for both issues when an event moves from one issue to another', async () => {
		const id = await eventIdOn('issue-a');
		const before = await versions();
		const cur = await t.db.$client.execute({ sql: 'select version from stance_event where id = ?', args: [id] });
		await write.updateEvent(t.db, id, { version: Number(cur.rows[0]![0]), issue: 'issue-b' }, by, NOW);
		const after = await versions();
		expect(after.a).not.toBe(before.a);
		expect(after.b).not.toBe(before.b);
	});

	it('moves every view when an actor changes, is deleted or restored', async () => {
		let before = await versions();
		await write.updateActor(t.db, 'bland', { version: 1, name: 'Bland Renamed' }, by);
		let after = await versions();
		expect([after.all !== before.all, after.a !== before.a, after.b !== before.b]).toEqual([true, true, true]);
		for (const deleted of [true, false]) {
			before = after;
			await write.setDeleted(t.db, 'actor', 'bland', deleted, undefined, by);
			after = await versions();
			expect([after.all !== before.all, after.a !== before.a, after.b !== before.b]).toEqual([true, true, true]);
		}
	});

	it("moves an issue's views when the issue or its scale changes, and only those", async () => {
		const before = await versions();
		await write.updateIssue(t.db, 'issue-b', { version: 1, title: 'B renamed' }, by);
		const after = await versions();
		expect(after.b).not.toBe(before.b);
		expect(after.a).toBe(before.a);
		expect(after.all).not.toBe(before.all);
	});

	it('counts a new issue: a view naming it before it existed differs from one after', async () => {
		const early = await viewVersion(t.db, ['issue-c']);
		await write.createIssue(t.db, issueInput({ slug: 'issue-c', title: 'C' }), by);
		expect(await viewVersion(t.db, ['issue-c'])).not.toBe(early);
	});

	it('sees a write made by another connection (another process or an importer) at once', async () => {
		const other = createDb({ url: `file:${t.dir}/test.db` });
		try {
			const before = await versions();
			const issueId = Number((await other.$client.execute("select id from issue where slug = 'issue-a'")).rows[0]![0]);
			const actorId = Number((await other.$client.execute("select id from actor where slug = 'aland'")).rows[0]![0]);
			// A raw insert, as a bulk importer sends it: no write-path code runs.
			await other.$client.execute({
				sql: "insert into stance_event (actor_id, issue_id, date, position, kind, summary) values (?, ?, '2024-05-05', 1, 'statement', 'raw')",
				args: [actorId, issueId]
			});
			const after = await versions();
			expect(after.all).not.toBe(before.all);
			expect(after.a).not.toBe(before.a);
			expect(after.b).toBe(before.b);
		} finally {
			other.$client.close();
		}
	});

	it('leaves every version alone when a write is refused', async () => {
		const before = await versions();
		await expect(write.createEvent(t.db, eventInput({ actor: 'nobody', issue: 'issue-a' }), by, NOW)).rejects.toThrow();
		expect(await versions()).toEqual(before);
	});
});

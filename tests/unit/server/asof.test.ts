import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { sql } from 'drizzle-orm';
import { loadView } from '../../../src/lib/server/queries/view';
import { createEvent, deleteEvent, restoreEvent, updateEvent, type Author } from '../../../src/lib/server/write';
import { openDemoDb, type TestDb } from './testDb';

const editor: Author = { userId: null, via: 'api' };
let t: TestDb;

beforeAll(async () => {
	t = await openDemoDb();
});
afterAll(() => t.close());

/** The time of the latest write: what a "Cite this chart" link pins. */
async function latestWrite(): Promise<string> {
	const [row] = await t.db.all<{ at: string }>(sql`select at from change order by id desc limit 1`);
	return row!.at;
}
const tick = () => new Promise((r) => setTimeout(r, 5));

const VIEW = 'actors=colombia&issues=intelligence-sharing-us';
async function positionsAt(asof?: string) {
	const params = new URLSearchParams(asof ? `${VIEW}&asof=${asof}` : VIEW);
	const v = await loadView(t.db, params);
	return { problems: v.problems, search: v.search, positions: v.events.map((e) => [e.id, e.position] as const) };
}

describe('loadView with ?asof=', () => {
	it('shows the record as it stood: through an update, a delete and a restore, while the current view moves on', async () => {
		const before = await positionsAt();
		const pinned = await latestWrite();
		await tick();
		const sanchez = before.positions.find(([, p]) => p === 1)!;
		await updateEvent(t.db, sanchez[0], { version: 1, position: 2 }, editor);
		await tick();
		const afterUpdate = await latestWrite();
		expect((await positionsAt()).positions).toContainEqual([sanchez[0], 2]);
		expect((await positionsAt(pinned)).positions).toEqual(before.positions);
		await tick();
		await deleteEvent(t.db, sanchez[0], 2, editor);
		await tick();
		const afterDelete = await latestWrite();
		await tick();
		await restoreEvent(t.db, sanchez[0], editor);
		await tick();
		const { id: added } = await createEvent(t.db, { actor: 'colombia', issue: 'intelligence-sharing-us', date: '2025-11-20', position: 0, kind: 'statement', summary: 'Later', sources: [{ outlet: 'X' }] }, editor, '2025-12-01');
		expect((await positionsAt(pinned)).positions).toEqual(before.positions);
		expect((await positionsAt(afterUpdate)).positions).toContainEqual([sanchez[0], 2]);
		expect((await positionsAt(afterDelete)).positions.map(([id]) => id)).not.toContain(sanchez[0]);
		const now = (await positionsAt()).positions;
		expect(now).toContainEqual([sanchez[0], 2]);
		expect(now.map(([id]) => id)).toContain(added);
	});

	it('keeps asof in the view’s canonical link, and refuses a bad one naming the parameter', async () => {
		expect((await positionsAt('2025-12-01T10:00:00Z')).search).toContain('asof=2025-12-01T10:00:00Z');
		expect((await positionsAt('yesterday')).problems).toContainEqual({ parameter: 'asof', message: expect.stringContaining('must be a date') });
	});

	it('refuses asof given twice with different values (pages read the first, the API the last), and takes the same value twice', async () => {
		const twice = await loadView(t.db, new URLSearchParams(`${VIEW}&asof=2025-12-01&asof=2026-01-01`));
		expect(twice.problems).toContainEqual({ parameter: 'asof', message: expect.stringContaining('given 2 times with different values') });
		expect(twice.asof).toBeNull();
		expect((await loadView(t.db, new URLSearchParams(`${VIEW}&asof=2025-12-01&asof=2025-12-01`))).problems).toEqual([]);
	});
});

import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { issueModel } from '../../../src/lib/server/pages/issue';
import { pinFor } from '../../../src/lib/server/queries/asof';
import { eventsAsOf } from './asofReference';
import { loadView } from '../../../src/lib/server/queries/view';
import * as issues from '../../../src/lib/server/queries/issues';
import { deleteEvent, restoreEvent, updateEvent, type Author } from '../../../src/lib/server/write';
import { openDemoDb, type TestDb } from './testDb';

const editor: Author = { userId: null, via: 'api' };
const ISSUE = 'intelligence-sharing-us';
let t: TestDb;

beforeAll(async () => {
	t = await openDemoDb();
});
afterAll(() => t.close());

const tick = () => new Promise((r) => setTimeout(r, 5));
const page = async (asof?: string) => issueModel(t.db, (await issues.bySlug(t.db, ISSUE))!, new URL(`http://x/issues/${ISSUE}?actors=colombia${asof ? `&asof=${asof}` : ''}`));
/** Colombia's chart points on the issue page: [event id, position]. */
const points = (m: Awaited<ReturnType<typeof page>>) => {
	const p = m.series.find((s) => s.actor === 'colombia')!.points;
	return Array.from({ length: p.length / 4 }, (_, k) => [p[k * 4 + 2], p[k * 4 + 1]]);
};

describe('the issue page and actor events as of a moment', () => {
	it('go through an update, a delete and a restore, while the pin of the current view moves with them', async () => {
		const start = await page();
		expect(start.asof).toBeNull();
		const pinned = start.pin;
		const sanchez = start.table.events.find((e) => e.actor === 'colombia' && e.speaker === 'pedro-sanchez')!;
		await tick();
		// An edit of another actor's event leaves the pin of Colombia's view where it was.
		const us = start.table.events.find((e) => e.actor !== 'colombia')!;
		await updateEvent(t.db, us.id, { version: us.version ?? 1, summary: `${us.summary} (edited)` }, editor);
		expect(await pinFor(t.db, { actors: ['colombia'], issues: [ISSUE] })).toBe(pinned);
		expect(await pinFor(t.db, { issues: [ISSUE] })).not.toBe(pinned);
		await tick();
		await updateEvent(t.db, sanchez.id, { version: sanchez.version ?? 1, position: 2 }, editor);
		const afterUpdate = await pinFor(t.db, { actors: ['colombia'], issues: [ISSUE] });
		expect(afterUpdate > pinned).toBe(true);
		await tick();
		await deleteEvent(t.db, sanchez.id, (sanchez.version ?? 1) + 1, editor);
		const afterDelete = await pinFor(t.db, { involving: 'colombia' });
		await tick();
		await restoreEvent(t.db, sanchez.id, editor);

		// Pinned before the edits: the old position, on the chart and in the table.
		const then = await page(pinned);
		expect(then.asof).toBe(pinned);
		expect(points(then)).toEqual(points(start));
		expect(then.table.events.find((e) => e.id === sanchez.id)).toMatchObject({ position: sanchez.position, sources: sanchez.sources });
		// After the update, the new position; after the delete, no such event; now, back again.
		expect(points(await page(afterUpdate))).toContainEqual([sanchez.id, 2]);
		expect(points(await page(afterDelete)).map(([id]) => id)).not.toContain(sanchez.id);
		expect((await eventsAsOf(t.db, { involving: 'colombia' }, afterDelete)).map((e) => e.id)).not.toContain(sanchez.id);
		expect(points(await page())).toContainEqual([sanchez.id, 2]);
	});

	it('a view as of a moment (compare, exports) refuses past VIEW_MAX_EVENTS, naming the limit, without reading the events', async () => {
		const r = await loadView(t.db, new URLSearchParams(`issues=${ISSUE}&asof=${new Date().toISOString()}`), { maxEvents: 2 });
		expect(r.tooLarge).toMatchObject({ limit: 2, message: expect.stringContaining('VIEW_MAX_EVENTS') });
		expect(r.events).toEqual([]);
	});

	it('a bad asof is a 400 naming the parameter', async () => {
		await expect(page('last-tuesday')).rejects.toMatchObject({ status: 400, body: { message: expect.stringContaining('parameter "asof"') } });
	});
});

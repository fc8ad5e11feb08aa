import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toApiEvent } from '../../../src/lib/server/api';
import * as events from '../../../src/lib/server/queries/events';
import * as seriesQ from '../../../src/lib/server/queries/series';
import { eventDetail } from '../../../src/lib/server/queries/eventPage';
import { createEvent, updateEvent, ValidationError, writeDataset, type Author } from '../../../src/lib/server/write';
import { actorInput, dataset, eventInput, issueInput } from '../../fixtures/factories';
import { openTestDb, tableCounts, type TestDb } from './testDb';

const editor: Author = { userId: null, via: 'api' };
const NOW = '2025-12-01';
let t: TestDb;

beforeAll(async () => {
	t = await openTestDb();
	await writeDataset(t.db, dataset({ actors: [actorInput()], issues: [issueInput()] }), { now: NOW });
});
afterAll(() => t.close());

/** Expects the write to be refused naming `path`, with nothing written. */
async function expectRefused(write: () => Promise<unknown>, path: string) {
	const before = await tableCounts(t.db);
	const error = await write().then(
		() => expect.fail('the write was accepted'),
		(e: unknown) => e
	);
	expect(error).toBeInstanceOf(ValidationError);
	expect((error as ValidationError).problems.map((p) => p.path)).toContain(path);
	expect(await tableCounts(t.db)).toEqual(before);
}

describe('an event with an uncertainty interval', () => {
	it('is stored, and the API and the compact series return it', async () => {
		const { id } = await createEvent(t.db, eventInput({ positionLow: 0.5, positionHigh: 1.5 }), editor, NOW);
		const api = toApiEvent((await events.byId(t.db, id))!);
		expect(api).toMatchObject({ position: 1, positionLow: 0.5, positionHigh: 1.5 });
		const ref = (await seriesQ.issueRef(t.db, 'test-issue'))!;
		const points = (await seriesQ.compactSeries(t.db, ref, null)).flatMap((s) => s.points);
		expect(points.find((p) => p.eventId === id)).toMatchObject({ position: 1, positionLow: 0.5, positionHigh: 1.5 });
	});

	it("is written next to the position in the tooltip's detail (fetched on hover)", async () => {
		const { id } = await createEvent(t.db, eventInput({ position: 0.42, positionLow: 0.31, positionHigh: 0.55 }), editor, NOW);
		expect((await eventDetail(t.db, id))!.positionText).toBe('+0.42, interval +0.31 to +0.55');
	});

	it('comes back as null bounds when the event has none', async () => {
		const { id } = await createEvent(t.db, eventInput(), editor, NOW);
		expect(toApiEvent((await events.byId(t.db, id))!)).toMatchObject({ positionLow: null, positionHigh: null });
		const ref = (await seriesQ.issueRef(t.db, 'test-issue'))!;
		const point = (await seriesQ.compactSeries(t.db, ref, null)).flatMap((s) => s.points).find((p) => p.eventId === id);
		expect(point).toMatchObject({ positionLow: null, positionHigh: null });
	});

	it('is refused on create when one bound is missing, out of order or off the scale', async () => {
		await expectRefused(() => createEvent(t.db, eventInput({ positionLow: 0.5 }), editor, NOW), 'positionHigh');
		await expectRefused(() => createEvent(t.db, eventInput({ positionLow: 1.2, positionHigh: 1.5 }), editor, NOW), 'positionLow');
		await expectRefused(() => createEvent(t.db, eventInput({ positionLow: 0, positionHigh: 0.5 }), editor, NOW), 'positionHigh');
		await expectRefused(() => createEvent(t.db, eventInput({ positionLow: -3, positionHigh: 1.5 }), editor, NOW), 'positionLow');
		await expectRefused(() => createEvent(t.db, eventInput({ positionLow: 'low', positionHigh: 1.5 }), editor, NOW), 'positionLow');
	});

	it('is added, kept, checked against a moved position and removed on update', async () => {
		const { id } = await createEvent(t.db, eventInput(), editor, NOW);
		await updateEvent(t.db, id, { version: 1, positionLow: 0, positionHigh: 2 }, editor, NOW);
		expect(await events.byId(t.db, id)).toMatchObject({ position: 1, positionLow: 0, positionHigh: 2, version: 2 });
		// Changing only the position keeps the interval, and the interval must still hold it.
		await updateEvent(t.db, id, { version: 2, position: 1.5 }, editor, NOW);
		expect(await events.byId(t.db, id)).toMatchObject({ position: 1.5, positionLow: 0, positionHigh: 2 });
		await expectRefused(() => updateEvent(t.db, id, { version: 3, position: -1 }, editor, NOW), 'positionLow');
		await updateEvent(t.db, id, { version: 3, positionLow: null, positionHigh: null }, editor, NOW);
		expect(await events.byId(t.db, id)).toMatchObject({ position: 1.5, positionLow: null, positionHigh: null });
	});
});

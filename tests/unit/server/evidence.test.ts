import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evidenceOfRun, stanceEvidence } from '../../../src/lib/domain/evidence';
import { buildSeries } from '../../../src/lib/domain/series';
import { currentRun } from '../../../src/lib/server/queries/evidence';
import * as events from '../../../src/lib/server/queries/events';
import * as issues from '../../../src/lib/server/queries/issues';
import { createEvent, deleteEvent, writeDataset, type Author } from '../../../src/lib/server/write';
import { actorInput, dataset, eventInput, issueInput } from '../../fixtures/factories';
import { loadDemo } from '../../fixtures/demo';
import { openTestDb, type TestDb } from './testDb';

const NOW = '2025-12-01';
const by: Author = { userId: null, via: 'api' };
let t: TestDb;

async function idOf(table: 'actor' | 'issue', slug: string): Promise<number> {
	const rs = await t.db.$client.execute({ sql: `select id from ${table} where slug = ?`, args: [slug] });
	return Number(rs.rows[0]![0]);
}

beforeAll(async () => {
	t = await openTestDb();
	await writeDataset(t.db, loadDemo(), NOW);
	await writeDataset(t.db, dataset({ actors: [actorInput()], issues: [issueInput()] }), NOW);
	const add = (o: Parameters<typeof eventInput>[0]) => createEvent(t.db, eventInput(o), by, NOW);
	// Testland: Expand, then Maintain known only to November, stated exactly on 11 November, restated
	// the same day and once more citing the same source in other case and spacing; a deleted Halt last.
	await add({ date: '2024-01-10', position: 2, sources: [{ outlet: 'Old news' }] });
	await add({ date: '2025-11-01', datePrecision: 'month', position: 1, sources: [{ outlet: 'Radio', url: 'https://example.org/a' }] });
	await add({ date: '2025-11-11', position: 1, sources: [{ outlet: 'Paper' }, { outlet: 'Radio', url: 'https://example.org/a' }] });
	await add({ date: '2025-11-11', position: 1, sources: [{ outlet: ' radio ', url: 'HTTPS://example.org/a' }] });
	const gone = await add({ date: '2025-11-20', position: -2 });
	await deleteEvent(t.db, gone.id, undefined, by);
});
afterAll(() => t?.close());

describe('currentRun (bounded SQL) gives the same evidence as the whole series', () => {
	it('for every series of the demo and the test actor, on two dates', async () => {
		const { events: all } = await events.list(t.db);
		const scales = new Map((await issues.list(t.db)).map((i) => [i.slug, i.scale]));
		const seriesList = buildSeries({ events: all });
		expect(seriesList.length).toBeGreaterThan(5);
		for (const series of seriesList) {
			const scale = scales.get(series.issue)!;
			const run = await currentRun(t.db, await idOf('actor', series.actor), await idOf('issue', series.issue));
			for (const today of ['2025-12-01', '2027-06-01']) {
				expect(evidenceOfRun({ run, scale, today }), `${series.actor} on ${series.issue}`).toEqual(stanceEvidence({ series, scale, today }));
			}
		}
	});

	it('dates a stance first known to a month by its exact day, counts its events and distinct sources, skips deleted events', async () => {
		const run = await currentRun(t.db, await idOf('actor', 'testland'), await idOf('issue', 'test-issue'));
		const ev = evidenceOfRun({ run, scale: (await issues.bySlug(t.db, 'test-issue'))!.scale, today: NOW });
		expect(ev).toMatchObject({ kind: 'stance', position: 1, since: '2025-11-11', sincePrecision: 'day', events: 3, sources: 2, stale: false });
		expect(ev.kind === 'stance' && ev.lastStated.date).toBe('2025-11-11');
	});

	it('finds no known position for a pair without live events', async () => {
		expect(await currentRun(t.db, await idOf('actor', 'testland'), await idOf('issue', 'intelligence-sharing-us'))).toBeNull();
	});

	it('with a minimum move, small moves restate the stance', async () => {
		// Expand (2) and Maintain (1) are 25 % of the scale apart: under a 30 % minimum they are one stance.
		const run = await currentRun(t.db, await idOf('actor', 'testland'), await idOf('issue', 'test-issue'), 0.3 * 4);
		expect(run).toMatchObject({ events: 4 });
		expect(run!.head[0]!.date).toBe('2024-01-10');
	});
});

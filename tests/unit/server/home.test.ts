import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestChanges } from '../../../src/lib/domain/changes';
import { buildSeries, latest } from '../../../src/lib/domain/series';
import * as events from '../../../src/lib/server/queries/events';
import * as issues from '../../../src/lib/server/queries/issues';
import { homeData } from '../../../src/lib/server/read/home';
import * as write from '../../../src/lib/server/write';
import { loadDemo } from '../../fixtures/demo';
import { eventInput } from '../../fixtures/factories';
import { openTestDb, type TestDb } from './testDb';

const NOW = '2025-12-01';
const by: write.Author = { userId: null, via: 'api' };
let t: TestDb;

beforeAll(async () => {
	t = await openTestDb();
	await write.writeDataset(t.db, loadDemo(), NOW);
});
afterAll(() => t?.close());

/** What the home page showed when it loaded every event: the reference the index walks must match. */
async function reference() {
	const [issueList, { events: all }] = await Promise.all([issues.list(t.db), events.list(t.db)]);
	const seriesList = buildSeries({ events: all });
	const scales = new Map(issueList.map((i) => [i.slug, i.scale]));
	return {
		stances: new Map(
			issueList.map((i) => [
				i.slug,
				seriesList
					.filter((s) => s.issue === i.slug)
					.map((s) => ({ actor: s.actor, point: latest(s)! }))
					.sort((a, b) => b.point.date.localeCompare(a.point.date) || b.point.eventId - a.point.eventId)
			])
		),
		changes: latestChanges({ seriesList, scales, limit: 12 })
	};
}

describe('homeData', () => {
	it('shows each issue’s newest stances and counts its actors, as reading every event did', async () => {
		const home = await homeData(t.db);
		const ref = await reference();
		for (const issue of home.issues) {
			const want = ref.stances.get(issue.slug)!;
			expect(issue.actorCount, issue.slug).toBe(want.length);
			expect(issue.stances.map((s) => [s.actor, s.point.eventId, s.point.position]), issue.slug).toEqual(
				want.slice(0, 8).map((s) => [s.actor, s.point.eventId, s.point.position])
			);
		}
	});

	it('lists the latest changes, newest first, with the class the full series gives them', async () => {
		const home = await homeData(t.db);
		const ref = await reference();
		expect(home.changes.length).toBeGreaterThan(0);
		expect(home.changes.map((c) => [c.actor, c.issue, c.to.eventId, c.class, c.from.position, c.to.position])).toEqual(
			ref.changes.map((c) => [c.actor, c.issue, c.to.eventId, c.class, c.from.position, c.to.position])
		);
	});

	it('shows a new change at once after a write, and drops it when the event is deleted', async () => {
		const { id } = await write.createEvent(t.db, eventInput({ actor: 'colombia', issue: 'intelligence-sharing-us', date: '2025-11-30', position: -2, kind: 'statement', summary: 'Halted again', sources: [{ outlet: 'X' }] }), by, NOW);
		let home = await homeData(t.db);
		expect(home.changes[0]).toMatchObject({ actor: 'colombia', issue: 'intelligence-sharing-us', to: { eventId: id, position: -2 } });
		const issue = home.issues.find((i) => i.slug === 'intelligence-sharing-us')!;
		expect(issue.stances[0]).toMatchObject({ actor: 'colombia', point: { eventId: id, position: -2 } });
		await write.deleteEvent(t.db, id, undefined, by);
		home = await homeData(t.db);
		expect(home.changes.map((c) => c.to.eventId)).not.toContain(id);
		expect(home.issues.find((i) => i.slug === 'intelligence-sharing-us')!.stances.map((s) => s.point.eventId)).not.toContain(id);
	});

	it('names only the actors it shows', async () => {
		const home = await homeData(t.db);
		const named = new Set([...home.changes.map((c) => c.actor), ...home.issues.flatMap((i) => i.stances.map((s) => s.actor))]);
		expect(new Set(home.actors.map((a) => a.slug))).toEqual(named);
	});
});

describe('latestOnIssue', () => {
	it('gives every actor’s current stance on the issue, as the full series’ last point', async () => {
		const { latestOnIssue } = await import('../../../src/lib/server/queries/home');
		const { issueRef } = await import('../../../src/lib/server/queries/series');
		const ref = (await issueRef(t.db, 'boat-strikes-legality'))!;
		const got = await latestOnIssue(t.db, ref.id);
		const want = (await reference()).stances.get('boat-strikes-legality')!;
		expect(got.map((s) => s.eventId).sort()).toEqual(want.map((s) => s.point.eventId).sort());
		expect(got.map((s) => s.date)).toEqual([...got.map((s) => s.date)].sort().reverse());
	});
});

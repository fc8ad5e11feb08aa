import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { periodStart } from '../../../src/lib/domain/dates';
import * as actors from '../../../src/lib/server/queries/actors';
import * as events from '../../../src/lib/server/queries/events';
import * as issues from '../../../src/lib/server/queries/issues';
import * as seriesQ from '../../../src/lib/server/queries/series';
import { writeDataset } from '../../../src/lib/server/write';
import { actorInput, dataset, eventInput, issueInput, scale } from '../../fixtures/factories';
import { loadDemo } from '../../fixtures/demo';
import { openTestDb, type TestDb } from './testDb';

const NOW = '2025-12-01';
const demo = loadDemo();
let t: TestDb;

beforeAll(async () => {
	t = await openTestDb();
	await writeDataset(t.db, demo, NOW);
	// A few records of our own, written after the demo, in a land of their own.
	await writeDataset(
		t.db,
		dataset({
			actors: [actorInput({ slug: 'fixture-land', name: 'Fixture Land' })],
			issues: [
				issueInput({
					slug: 'shuffled-scale',
					title: 'Shuffled scale',
					scale: scale({ labels: [{ value: 2, label: 'Top' }, { value: -2, label: 'Bottom' }, { value: 0, label: 'Middle' }] })
				})
			],
			events: [
				eventInput({
					actor: 'fixture-land',
					issue: 'shuffled-scale',
					date: '2025-07-19',
					datePrecision: 'month',
					position: -2,
					summary: 'Month-only event',
					sources: [{ outlet: 'Zeta' }, { outlet: 'Alpha', url: 'https://example.org/a' }, { outlet: 'Mu', publishedOn: '2025-07-20' }]
				})
			]
		}),
		NOW
	);
});
afterAll(() => t?.close());

describe('actors.list', () => {
	it('lists every actor by name, with the slug of the actor each speaks for', async () => {
		const list = await actors.list(t.db);
		expect(list).toHaveLength(demo.actors.length + 1);
		const names = list.map((a) => a.name);
		expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
		const bySlug = new Map(list.map((a) => [a.slug, a]));
		for (const a of demo.actors) expect(bySlug.get(a.slug)?.parent, a.slug).toBe(a.parent);
		expect(bySlug.get('gustavo-petro')?.parent).toBe('colombia');
		expect(bySlug.get('colombia')?.parent).toBeNull();
	});
});

describe('actors.bySlug', () => {
	it('keeps accents intact', async () => {
		expect((await actors.bySlug(t.db, 'pedro-sanchez'))?.name).toBe('Pedro Arnulfo Sánchez');
		expect((await actors.bySlug(t.db, 'volker-turk'))?.name).toBe('Volker Türk');
		expect((await actors.bySlug(t.db, 'jean-noel-barrot'))?.name).toBe('Jean-Noël Barrot');
	});
	it('is null for an unknown slug', async () => {
		expect(await actors.bySlug(t.db, 'atlantis')).toBeNull();
	});
});

describe('actors.speakersFor', () => {
	it('lists the people who speak for Colombia, by name', async () => {
		const speakers = await actors.speakersFor(t.db, 'colombia');
		expect(speakers.map((a) => a.slug)).toEqual(['armando-benedetti', 'gustavo-petro', 'pedro-sanchez']);
		expect(speakers.every((a) => a.parent === 'colombia')).toBe(true);
	});
	it('is empty for an actor nobody speaks for', async () => {
		expect(await actors.speakersFor(t.db, 'gustavo-petro')).toEqual([]);
	});
});

describe('issues.bySlug', () => {
	it('returns the scale with its labels in value order', async () => {
		const got = await issues.bySlug(t.db, 'shuffled-scale');
		expect(got?.scale.labels.map((l) => l.label)).toEqual(['Bottom', 'Middle', 'Top']);
		const demoIssue = await issues.bySlug(t.db, 'intelligence-sharing-us');
		expect(demoIssue?.scale).toEqual(demo.issues.find((i) => i.slug === 'intelligence-sharing-us')!.scale);
	});
	it('is null for an unknown slug', async () => {
		expect(await issues.bySlug(t.db, 'nope')).toBeNull();
	});
});

describe('issues.list', () => {
	it('lists every issue by title, each with only its own labels', async () => {
		const list = await issues.list(t.db);
		expect(list).toHaveLength(demo.issues.length + 1);
		expect(list.map((i) => i.title)).toEqual([...list.map((i) => i.title)].sort((a, b) => a.localeCompare(b)));
		for (const i of list) expect(i.scale.labels.length, i.slug).toBe(i.slug === 'shuffled-scale' ? 3 : 5);
	});
});

describe('events.list', () => {
	it('lists every event in date order, then recording order', async () => {
		const { events: all, total } = await events.list(t.db);
		expect(total).toBe(demo.events.length + 1);
		expect(all).toHaveLength(total);
		const dates = all.map((e) => e.date);
		expect(dates).toEqual([...dates].sort());
		const nov13 = all.filter((e) => e.issue === 'intelligence-sharing-us' && e.date === '2025-11-13').map((e) => e.speaker);
		expect(nov13).toEqual(['pedro-sanchez', 'armando-benedetti']);
	});

	it('filters by actor', async () => {
		const { events: list, total } = await events.list(t.db, { actor: 'colombia' });
		expect(total).toBe(demo.events.filter((e) => e.actor === 'colombia').length);
		expect(list.every((e) => e.actor === 'colombia')).toBe(true);
	});

	it('filters by issue', async () => {
		const { events: list } = await events.list(t.db, { issue: 'boat-strikes-legality' });
		expect(list).toHaveLength(demo.events.filter((e) => e.issue === 'boat-strikes-legality').length);
		expect(list.every((e) => e.issue === 'boat-strikes-legality')).toBe(true);
	});

	it('filters by a date range with both ends included', async () => {
		const { events: list } = await events.list(t.db, { from: '2025-11-11', to: '2025-11-13' });
		const expected = demo.events.filter((e) => e.date >= '2025-11-11' && e.date <= '2025-11-13');
		expect(list).toHaveLength(expected.length);
		const dates = new Set(list.map((e) => e.date));
		expect(dates.has('2025-11-11')).toBe(true);
		expect(dates.has('2025-11-13')).toBe(true);
	});

	it('combines filters', async () => {
		const { events: list } = await events.list(t.db, { actor: 'colombia', issue: 'intelligence-sharing-us', from: '2025-11-12' });
		expect(list.map((e) => [e.date, e.position])).toEqual([
			['2025-11-13', 1],
			['2025-11-13', 1]
		]);
	});

	it('pages with limit and offset, still counting every match', async () => {
		const { events: all } = await events.list(t.db);
		const page = await events.list(t.db, { limit: 5, offset: 10 });
		expect(page.total).toBe(all.length);
		expect(page.events.map((e) => e.id)).toEqual(all.slice(10, 15).map((e) => e.id));
		const filtered = await events.list(t.db, { actor: 'colombia', limit: 2 });
		expect(filtered.events).toHaveLength(2);
		expect(filtered.total).toBe(demo.events.filter((e) => e.actor === 'colombia').length);
		const past = await events.list(t.db, { offset: all.length });
		expect(past.events).toEqual([]);
		expect(past.total).toBe(all.length);
	});

	it('returns sources in the order they were given', async () => {
		const { events: list } = await events.list(t.db, { actor: 'fixture-land' });
		expect(list[0]!.sources).toEqual([
			{ outlet: 'Zeta', title: null, url: null, publishedOn: null },
			{ outlet: 'Alpha', title: null, url: 'https://example.org/a', publishedOn: null },
			{ outlet: 'Mu', title: null, url: null, publishedOn: '2025-07-20' }
		]);
		const two = demo.events.find((e) => e.sources.length === 2)!;
		const { events: same } = await events.list(t.db, { actor: two.actor, issue: two.issue, from: two.date, to: two.date });
		const match = same.find((e) => e.summary === two.summary)!;
		expect(match.sources.map((s) => s.outlet)).toEqual(two.sources.map((s) => s.outlet));
	});

	it('stores a month-precision date at the start of its period', async () => {
		const { events: list } = await events.list(t.db, { actor: 'fixture-land' });
		expect(list[0]).toMatchObject({ date: '2025-07-01', datePrecision: 'month', summary: 'Month-only event' });
		expect(periodStart('2025-07-19', 'month')).toBe(list[0]!.date);
	});

	it('keeps quotes character for character', async () => {
		const quoted = demo.events.filter((e) => e.quote?.includes('’'));
		expect(quoted.length).toBeGreaterThan(0);
		const { events: all } = await events.list(t.db);
		const stored = new Set(all.map((e) => e.quote));
		for (const e of quoted) expect(stored.has(e.quote)).toBe(true);
	});
});

describe('events.byId', () => {
	it('finds one event with its sources, or null', async () => {
		const { events: all } = await events.list(t.db, { actor: 'fixture-land' });
		const one = await events.byId(t.db, all[0]!.id);
		expect(one?.sources).toHaveLength(3);
		expect(await events.byId(t.db, 999_999)).toBeNull();
	});
});

describe('series.forIssue', () => {
	it("shows Colombia's sharing, its halt, then its walk-back on 13 November", async () => {
		const result = await seriesQ.forIssue(t.db, { issue: 'intelligence-sharing-us', actors: ['colombia'] });
		if (!result.ok) return expect.fail(result.error);
		expect(result.series).toHaveLength(1);
		const pts = result.series[0]!.points;
		expect(pts[0]).toMatchObject({ position: 1, datePrecision: 'year' });
		const firstPositive = pts.findIndex((p, i) => i > 0 && p.position > 0);
		expect(firstPositive).toBeGreaterThan(0);
		const before = pts[firstPositive - 1]!;
		expect(before.position).toBeLessThan(0);
		expect(before.date <= '2025-11-12').toBe(true);
		expect(pts[firstPositive]!.date).toBe('2025-11-13');
		expect(pts.at(-1)!.position).toBe(1);
		expect(result.issue.slug).toBe('intelligence-sharing-us');
	});

	it('keeps the actors in the order asked', async () => {
		const result = await seriesQ.forIssue(t.db, { issue: 'intelligence-sharing-us', actors: ['united-states', 'colombia'] });
		if (!result.ok) return expect.fail(result.error);
		expect(result.series.map((s) => s.actor)).toEqual(['united-states', 'colombia']);
	});

	it('gives every actor with events on the issue, by name, when none are asked for', async () => {
		const result = await seriesQ.forIssue(t.db, { issue: 'intelligence-sharing-us' });
		if (!result.ok) return expect.fail(result.error);
		const expected = [...new Set(demo.events.filter((e) => e.issue === 'intelligence-sharing-us').map((e) => e.actor))];
		const names = new Map(demo.actors.map((a) => [a.slug, a.name]));
		expected.sort((a, b) => names.get(a)!.localeCompare(names.get(b)!));
		expect(result.series.map((s) => s.actor)).toEqual(expected);
	});

	it('names an unknown issue', async () => {
		const result = await seriesQ.forIssue(t.db, { issue: 'no-such-issue', actors: ['colombia'] });
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.error).toContain('"no-such-issue"');
	});

	it('names every unknown actor', async () => {
		const result = await seriesQ.forIssue(t.db, { issue: 'intelligence-sharing-us', actors: ['colombia', 'atlantis', 'lemuria'] });
		expect(result.ok).toBe(false);
		if (!result.ok) {
			expect(result.error).toContain('"atlantis"');
			expect(result.error).toContain('"lemuria"');
			expect(result.error).not.toContain('"colombia"');
		}
	});
});

describe('events.list over many events', () => {
	it('keeps every event\'s sources, in order, when listing more than one chunk of ids', async () => {
		const t2 = await openTestDb();
		try {
			const many = Array.from({ length: 620 }, (_, i) => ({
				actor: 'many',
				issue: 'lots',
				date: `2024-${String((i % 12) + 1).padStart(2, '0')}-01`,
				position: (i % 3) - 1,
				kind: 'statement',
				summary: `Event ${i}`,
				sources: [{ outlet: `First ${i}` }, { outlet: `Second ${i}` }]
			}));
			await writeDataset(t2.db, {
				format: 'stance-tracker/v1',
				actors: [{ slug: 'many', name: 'Many', kind: 'country' }],
				issues: [{ slug: 'lots', title: 'Lots', scale: { min: -1, max: 1, labels: [{ value: -1, label: 'No' }, { value: 1, label: 'Yes' }] } }],
				events: many
			}, '2026-01-01');
			const all = await events.list(t2.db, { issue: 'lots' });
			expect(all.events).toHaveLength(620);
			for (const e of all.events) {
				const n = e.summary.slice('Event '.length);
				expect(e.sources.map((s) => s.outlet)).toEqual([`First ${n}`, `Second ${n}`]);
			}
			const page = await events.list(t2.db, { issue: 'lots', limit: 10, offset: 600 });
			expect(page.total).toBe(620);
			expect(page.events.every((e) => e.sources.length === 2)).toBe(true);
		} finally {
			t2.close();
		}
	});
});

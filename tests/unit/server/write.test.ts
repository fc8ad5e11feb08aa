import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { eq } from 'drizzle-orm';
import { actor, issue } from '../../../src/lib/server/db/schema';
import * as actors from '../../../src/lib/server/queries/actors';
import * as events from '../../../src/lib/server/queries/events';
import * as issues from '../../../src/lib/server/queries/issues';
import { ValidationError, writeDataset } from '../../../src/lib/server/write';
import { fallbackActorColor } from '../../../src/lib/domain/colors';
import { actorInput, dataset, eventInput, issueInput, scale } from '../../fixtures/factories';
import { loadDemo } from '../../fixtures/demo';
import { openTestDb, tableCounts, type TestDb } from './testDb';

const NOW = '2025-12-01';
let t: TestDb;

beforeAll(async () => {
	t = await openTestDb();
	await writeDataset(t.db, loadDemo(), NOW);
});
afterAll(() => t?.close());

/** Expects the write to be refused with a problem at `path`, and the database to be unchanged. */
async function expectRefused(input: unknown, path: string): Promise<ValidationError> {
	const before = await tableCounts(t.db);
	const error = await writeDataset(t.db, input, NOW).then(
		() => expect.fail('the write was accepted'),
		(e: unknown) => e
	);
	expect(error).toBeInstanceOf(ValidationError);
	const problems = (error as ValidationError).problems;
	expect(problems.map((p) => p.path)).toContain(path);
	expect(await tableCounts(t.db)).toEqual(before);
	return error as ValidationError;
}

describe('writeDataset', () => {
	it('writes the whole demo dataset', async () => {
		const demo = loadDemo();
		expect(await tableCounts(t.db)).toEqual({
			actors: demo.actors.length,
			issues: demo.issues.length,
			labels: demo.issues.reduce((n, i) => n + i.scale.labels.length, 0),
			events: demo.events.length,
			sources: demo.events.reduce((n, e) => n + e.sources.length, 0)
		});
		expect(demo.actors.length).toBe(16);
		expect(demo.issues.length).toBe(6);
		expect(demo.events.length).toBe(35);
	});

	it('reports what it wrote', async () => {
		const summary = await writeDataset(
			t.db,
			dataset({ actors: [actorInput({ slug: 'summary-land' })], events: [eventInput({ actor: 'summary-land', issue: 'intelligence-sharing-us' })] }),
			NOW
		);
		expect(summary).toEqual({ actors: 1, issues: 0, events: 1, context: 0 });
	});

	it('refuses an event whose actor is unknown', async () => {
		const error = await expectRefused(dataset({ events: [eventInput({ actor: 'atlantis', issue: 'intelligence-sharing-us' })] }), 'events[0].actor');
		expect(error.problems.find((p) => p.path === 'events[0].actor')?.message).toContain('"atlantis"');
		expect(error.message).toContain('events[0].actor');
	});

	it('refuses an unknown speaker, target or issue', async () => {
		const input = dataset({ events: [eventInput({ actor: 'colombia', issue: 'no-such-issue', speaker: 'nobody', target: 'nowhere' })] });
		const error = await expectRefused(input, 'events[0].issue');
		expect(error.problems.map((p) => p.path).sort()).toEqual(['events[0].issue', 'events[0].speaker', 'events[0].target']);
	});

	it('refuses a position off the scale', async () => {
		const error = await expectRefused(dataset({ events: [eventInput({ actor: 'colombia', issue: 'intelligence-sharing-us', position: 3 })] }), 'events[0].position');
		expect(error.problems[0]!.message).toContain('-2 to 2');
	});

	it('checks positions against a scale given in the same file', async () => {
		const input = dataset({
			issues: [issueInput({ slug: 'wide-issue', scale: scale({ min: -10, max: 10, labels: [{ value: 0, label: 'Zero' }] }) })],
			events: [eventInput({ actor: 'colombia', issue: 'wide-issue', position: 7 }), eventInput({ actor: 'colombia', issue: 'wide-issue', position: 11 })]
		});
		const error = await expectRefused(input, 'events[1].position');
		expect(error.problems.map((p) => p.path)).toEqual(['events[1].position']);
	});

	it('refuses a date in the future, including a source date', async () => {
		await expectRefused(dataset({ events: [eventInput({ actor: 'colombia', issue: 'intelligence-sharing-us', date: '2025-12-02' })] }), 'events[0].date');
		await expectRefused(
			dataset({ events: [eventInput({ actor: 'colombia', issue: 'intelligence-sharing-us', sources: [{ outlet: 'X', publishedOn: '2026-01-01' }] })] }),
			'events[0].sources[0].publishedOn'
		);
	});

	it('accepts the current month at month precision, whose start is not in the future', async () => {
		const before = await events.count(t.db);
		await writeDataset(t.db, dataset({ events: [eventInput({ actor: 'colombia', issue: 'intelligence-sharing-us', date: '2025-12-01', datePrecision: 'month' })] }), NOW);
		expect(await events.count(t.db)).toBe(before + 1);
	});

	it('refuses a parent that does not exist', async () => {
		const error = await expectRefused(dataset({ actors: [actorInput({ slug: 'orphan', parent: 'atlantis' })] }), 'actors[0].parent');
		expect(error.problems[0]!.message).toContain('"atlantis"');
	});

	it('refuses a parent that comes later in the file, and an actor speaking for itself', async () => {
		await expectRefused(
			dataset({ actors: [actorInput({ slug: 'child-first', parent: 'parent-later' }), actorInput({ slug: 'parent-later' })] }),
			'actors[0].parent'
		);
		await expectRefused(dataset({ actors: [actorInput({ slug: 'narcissus', parent: 'narcissus' })] }), 'actors[0].parent');
	});

	it('refuses duplicate slugs in one file', async () => {
		await expectRefused(dataset({ actors: [actorInput({ slug: 'twin' }), actorInput({ slug: 'twin', name: 'Twin 2' })] }), 'actors[1].slug');
		await expectRefused(dataset({ issues: [issueInput({ slug: 'same' }), issueInput({ slug: 'same' })] }), 'issues[1].slug');
	});

	it('refuses a bad scale', async () => {
		const error = await expectRefused(
			dataset({ issues: [issueInput({ slug: 'upside-down', scale: scale({ min: 2, max: -2 }) })] }),
			'issues[0].scale.max'
		);
		expect(error.problems).toHaveLength(1);
		await expectRefused(
			dataset({ issues: [issueInput({ slug: 'dupe-labels', scale: scale({ labels: [{ value: 1, label: 'A' }, { value: 1, label: 'B' }] }) })] }),
			'issues[0].scale.labels.1.value'
		);
	});

	it('refuses what the schema refuses, before touching the database', async () => {
		await expectRefused(dataset({ actors: [actorInput({ slug: 'Not A Slug' })] }), 'actors[0].slug');
	});

	it('writes none of three events when the third is bad', async () => {
		const good = (summary: string) => eventInput({ actor: 'colombia', issue: 'intelligence-sharing-us', summary });
		const input = dataset({
			actors: [actorInput({ slug: 'would-be-new' })],
			events: [good('First of three'), good('Second of three'), eventInput({ actor: 'colombia', issue: 'intelligence-sharing-us', position: -3 })]
		});
		const error = await expectRefused(input, 'events[2].position');
		expect(error.problems).toHaveLength(1);
		const { events: all } = await events.list(t.db);
		expect(all.some((e) => e.summary.endsWith('of three'))).toBe(false);
		expect(await actors.bySlug(t.db, 'would-be-new')).toBeNull();
	});

	it('names every problem of a file at once', async () => {
		const input = dataset({
			events: [
				eventInput({ actor: 'atlantis', issue: 'intelligence-sharing-us' }),
				eventInput({ actor: 'colombia', issue: 'intelligence-sharing-us', position: 9 })
			]
		});
		const error = await expectRefused(input, 'events[0].actor');
		expect(error.problems.map((p) => p.path)).toEqual(['events[0].actor', 'events[1].position']);
		expect(error.message).toMatch(/^2 problems: /);
	});

	it('updates an actor re-imported with the same slug instead of duplicating it', async () => {
		await writeDataset(t.db, dataset({ actors: [actorInput({ slug: 'reimported', name: 'First name', color: '#111111' })] }), NOW);
		const before = await actors.count(t.db);
		const [v1] = await t.db.select().from(actor).where(eq(actor.slug, 'reimported'));
		await writeDataset(
			t.db,
			dataset({ actors: [actorInput({ slug: 'reimported', name: 'Second name', color: '#222222', parent: 'colombia', kind: 'person' })] }),
			NOW
		);
		expect(await actors.count(t.db)).toBe(before);
		const [v2] = await t.db.select().from(actor).where(eq(actor.slug, 'reimported'));
		expect(v2!.id).toBe(v1!.id);
		expect(v2!.version).toBe(v1!.version + 1);
		expect(await actors.bySlug(t.db, 'reimported')).toMatchObject({ name: 'Second name', color: '#222222', parent: 'colombia', kind: 'person' });
	});

	it('replaces the labels of a re-imported issue', async () => {
		await writeDataset(t.db, dataset({ issues: [issueInput({ slug: 'relabelled' })] }), NOW);
		const labels = [
			{ value: -1, label: 'No' },
			{ value: 0, label: 'Abstain' },
			{ value: 1, label: 'Yes' }
		];
		await writeDataset(t.db, dataset({ issues: [issueInput({ slug: 'relabelled', title: 'Vote', scale: { min: -1, max: 1, labels } })] }), NOW);
		expect(await issues.bySlug(t.db, 'relabelled')).toMatchObject({ title: 'Vote', scale: { min: -1, max: 1, labels } });
		const [row] = await t.db.select().from(issue).where(eq(issue.slug, 'relabelled'));
		expect(row!.version).toBe(2);
	});

	it('gives an actor without a colour its fallback colour', async () => {
		await writeDataset(t.db, dataset({ actors: [actorInput({ slug: 'colourless', color: null })] }), NOW);
		expect((await actors.bySlug(t.db, 'colourless'))?.color).toBe(fallbackActorColor('colourless'));
	});

	it('runs concurrent writes one at a time, in the order asked', async () => {
		const before = await tableCounts(t.db);
		// The second and third writes refer to the actor the first creates: they pass only if the
		// first has committed before they are checked.
		const results = await Promise.all([
			writeDataset(t.db, dataset({ actors: [actorInput({ slug: 'queued' })], events: [eventInput({ actor: 'queued', issue: 'intelligence-sharing-us', summary: 'Queued 1' })] }), NOW),
			writeDataset(t.db, dataset({ events: [eventInput({ actor: 'queued', issue: 'intelligence-sharing-us', summary: 'Queued 2' })] }), NOW),
			writeDataset(t.db, dataset({ events: [eventInput({ actor: 'queued', issue: 'intelligence-sharing-us', summary: 'Queued 3' })] }), NOW)
		]);
		expect(results.map((r) => r.events)).toEqual([1, 1, 1]);
		const after = await tableCounts(t.db);
		expect(after.events - before.events).toBe(3);
		expect(after.sources - before.sources).toBe(3);
		const { events: queued } = await events.list(t.db, { actor: 'queued' });
		expect([...queued].sort((a, b) => a.id - b.id).map((e) => e.summary)).toEqual(['Queued 1', 'Queued 2', 'Queued 3']);
	});

	it('keeps the queue going after a refused write', async () => {
		const bad = writeDataset(t.db, dataset({ events: [eventInput({ actor: 'atlantis', issue: 'intelligence-sharing-us' })] }), NOW);
		const good = writeDataset(t.db, dataset({ actors: [actorInput({ slug: 'after-refusal' })] }), NOW);
		await expect(bad).rejects.toBeInstanceOf(ValidationError);
		await expect(good).resolves.toEqual({ context: 0, actors: 1, issues: 0, events: 0 });
	});

	it('reports every bad event in one run: schema problems do not hide reference or scale problems', async () => {
		const on = { issue: 'intelligence-sharing-us' };
		const input = dataset({
			actors: [actorInput({ slug: 'Bad Slug' }), actorInput({ slug: 'half-good', name: '' })],
			events: [
				eventInput({ ...on, actor: 'colombia', date: '2025-02-30' }),
				eventInput({ ...on, actor: 'colombia', sources: [] }),
				eventInput({ ...on, actor: 'atlantis' }),
				eventInput({ ...on, actor: 'colombia', position: 9 }),
				eventInput({ issue: 'no-such-issue', actor: 'colombia' }),
				eventInput({ ...on, actor: 'colombia', date: '2030-01-01', kind: 'rumour' }),
				// An actor the file defines, even with a bad name, is no unknown actor here.
				eventInput({ ...on, actor: 'half-good' })
			]
		});
		const error = await expectRefused(input, 'events[0].date');
		expect(error.problems.map((p) => p.path)).toEqual([
			'actors[0].slug',
			'actors[1].name',
			'events[0].date',
			'events[1].sources',
			'events[2].actor',
			'events[3].position',
			'events[4].issue',
			'events[5].kind',
			'events[5].date'
		]);
	});
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as context from '../../../src/lib/server/queries/context';
import * as history from '../../../src/lib/server/queries/history';
import { viewVersion } from '../../../src/lib/server/queries/meta';
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
			actors: [actorInput({ slug: 'aland' })],
			issues: [issueInput({ slug: 'issue-a', title: 'A' }), issueInput({ slug: 'issue-b', title: 'B' })],
			events: [eventInput({ actor: 'aland', issue: 'issue-a' })]
		}),
		NOW
	);
});
afterAll(() => t?.close());

const strike = (over: Record<string, unknown> = {}) => ({
	issue: 'issue-a',
	date: '2025-09-02',
	label: 'First US strike on a boat',
	source: { outlet: 'Reuters', title: 'US strikes boat', url: 'https://example.org/strike', publishedOn: '2025-09-03' },
	...over
});

const count = async () => Number((await t.db.$client.execute('select count(*) from context_event')).rows[0]![0]);

describe('context events through the write path', () => {
	it('creates one, lists it on its issue only, records the history and moves only that issue\'s version', async () => {
		const [a0, b0] = [await viewVersion(t.db, ['issue-a']), await viewVersion(t.db, ['issue-b'])];
		const { id, version } = await write.createContextEvent(t.db, strike(), by, NOW);
		expect(version).toBe(1);
		const listed = await context.forIssues(t.db, ['issue-a']);
		expect(listed).toEqual([
			{
				id,
				issue: 'issue-a',
				date: '2025-09-02',
				datePrecision: 'day',
				endDate: null,
				label: 'First US strike on a boat',
				source: { outlet: 'Reuters', title: 'US strikes boat', url: 'https://example.org/strike', publishedOn: '2025-09-03' },
				version: 1
			}
		]);
		expect(await context.forIssues(t.db, ['issue-b'])).toEqual([]);
		expect(await viewVersion(t.db, ['issue-a'])).not.toBe(a0);
		expect(await viewVersion(t.db, ['issue-b'])).toBe(b0);
		const h = await history.forRecord(t.db, 'context', id);
		expect(h.map((c) => c.action)).toEqual(['create']);
		expect(h[0]!.after).toMatchObject({ label: 'First US strike on a boat', issue: 'issue-a' });
	});

	it('refuses bad input naming the field, and writes nothing', async () => {
		const before = await count();
		await expect(write.createContextEvent(t.db, strike({ label: '' }), by, NOW)).rejects.toMatchObject({ problems: [{ path: 'label', message: 'must not be empty' }] });
		await expect(write.createContextEvent(t.db, strike({ endDate: '2025-08-01' }), by, NOW)).rejects.toMatchObject({
			problems: [{ path: 'endDate', message: 'must not be before the start date' }]
		});
		await expect(write.createContextEvent(t.db, strike({ issue: 'nope' }), by, NOW)).rejects.toMatchObject({ problems: [{ path: 'issue', message: 'unknown issue "nope"' }] });
		await expect(write.createContextEvent(t.db, strike({ source: { outlet: 'X', url: 'ftp://x' } }), by, NOW)).rejects.toBeInstanceOf(write.ValidationError);
		expect(await count()).toBe(before);
	});

	it('updates at the version read, refuses a stale version with the current record, and keeps both in the history', async () => {
		const { id } = await write.createContextEvent(t.db, strike({ date: '2025-10-24', label: 'US sanctions on Petro' }), by, NOW);
		const r = await write.updateContextEvent(t.db, id, { version: 1, endDate: '2025-10-30', label: 'US sanctions on Petro and his family' }, by, NOW);
		expect(r.version).toBe(2);
		const stale = write.updateContextEvent(t.db, id, { version: 1, label: 'Lost update' }, by, NOW);
		await expect(stale).rejects.toBeInstanceOf(write.ConflictError);
		await expect(stale).rejects.toMatchObject({ currentVersion: 2, current: { label: 'US sanctions on Petro and his family' } });
		await expect(write.updateContextEvent(t.db, id, { label: 'No version' }, by, NOW)).rejects.toMatchObject({ problems: [{ path: 'version' }] });
		const [stored] = (await context.forIssues(t.db, ['issue-a'])).filter((c) => c.id === id);
		expect(stored).toMatchObject({ endDate: '2025-10-30', label: 'US sanctions on Petro and his family', version: 2 });
		const h = await history.forRecord(t.db, 'context', id);
		expect(h.map((c) => c.action)).toEqual(['create', 'update']);
		expect(h[1]!.before).toMatchObject({ label: 'US sanctions on Petro', endDate: null });
		expect(h[1]!.after).toMatchObject({ label: 'US sanctions on Petro and his family', endDate: '2025-10-30' });
	});

	it('moves a context event to another issue: both issues\' versions move', async () => {
		const { id } = await write.createContextEvent(t.db, strike({ label: 'Moving' }), by, NOW);
		const [a0, b0] = [await viewVersion(t.db, ['issue-a']), await viewVersion(t.db, ['issue-b'])];
		await write.updateContextEvent(t.db, id, { version: 1, issue: 'issue-b' }, by, NOW);
		expect(await viewVersion(t.db, ['issue-a'])).not.toBe(a0);
		expect(await viewVersion(t.db, ['issue-b'])).not.toBe(b0);
		expect((await context.forIssues(t.db, ['issue-b'])).map((c) => c.label)).toEqual(['Moving']);
	});

	it('deletes softly (gone from the charts\' list, listed for restore), restores, and records both', async () => {
		const { id } = await write.createContextEvent(t.db, strike({ label: 'To delete' }), by, NOW);
		await expect(write.deleteContextEvent(t.db, id, 5, by)).rejects.toBeInstanceOf(write.ConflictError);
		await write.deleteContextEvent(t.db, id, 1, by);
		expect((await context.forIssues(t.db, ['issue-a'])).some((c) => c.id === id)).toBe(false);
		expect((await context.deletedOf(t.db, 'issue-a')).map((c) => c.id)).toContain(id);
		await expect(write.updateContextEvent(t.db, id, { version: 2, label: 'x' }, by, NOW)).rejects.toBeInstanceOf(write.NotFoundError);
		await write.restoreContextEvent(t.db, id, by);
		expect((await context.forIssues(t.db, ['issue-a'])).some((c) => c.id === id)).toBe(true);
		expect((await history.forRecord(t.db, 'context', id)).map((c) => c.action)).toEqual(['create', 'delete', 'restore']);
	});

	it('hides the context of a deleted issue and refuses to restore it before its issue', async () => {
		const { id } = await write.createContextEvent(t.db, strike({ issue: 'issue-b', label: 'On B' }), by, NOW);
		await write.deleteContextEvent(t.db, id, undefined, by);
		await write.setDeleted(t.db, 'issue', 'issue-b', true, undefined, by);
		expect(await context.forIssues(t.db, ['issue-b'])).toEqual([]);
		await expect(write.restoreContextEvent(t.db, id, by)).rejects.toMatchObject({ problems: [{ path: 'id', message: 'restore its issue first' }] });
		await write.setDeleted(t.db, 'issue', 'issue-b', false, undefined, by);
	});
});

describe('context events in a dataset', () => {
	it('writes the context section with the rest, all or nothing, naming the record at fault', async () => {
		const before = await count();
		const bad = dataset({ issues: [issueInput({ slug: 'issue-c', title: 'C' })] }) as unknown as Record<string, unknown>;
		bad.context = [strike({ issue: 'issue-c' }), strike({ issue: 'issue-c', label: '' })];
		await expect(write.writeDataset(t.db, bad, NOW)).rejects.toMatchObject({ problems: [{ path: 'context[1].label', message: 'must not be empty' }] });
		expect(await count()).toBe(before);
		const good = { ...bad, context: [strike({ issue: 'issue-c' })] };
		expect(await write.writeDataset(t.db, good, NOW)).toMatchObject({ issues: 1, context: 1 });
		expect((await context.forIssues(t.db, ['issue-c'])).map((c) => c.label)).toEqual(['First US strike on a boat']);
	});
});

/**
 * Version checks hold across processes: two node processes open the same database file and
 * change the same records at the same version. For every record exactly one wins, the other gets
 * a conflict, and the record is wholly the winner's (no summary from one and sources from the other).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { change } from '../../../src/lib/server/db/schema';
import * as actorQueries from '../../../src/lib/server/queries/actors';
import * as issueQueries from '../../../src/lib/server/queries/issues';
import { createEvent, writeDataset } from '../../../src/lib/server/write';
import { actorInput, dataset, eventInput, issueInput } from '../../fixtures/factories';
import { openTestDb, type TestDb } from './testDb';

const WORKER = fileURLToPath(new URL('./raceWorker.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const N = 20;
let t: TestDb;
let file: string;

beforeAll(async () => {
	t = await openTestDb();
	file = join(t.dir, 'test.db');
	const actors = Array.from({ length: N }, (_, i) => actorInput({ slug: `racer-${i}`, name: `Racer ${i}` }));
	const issues = Array.from({ length: N }, (_, i) => issueInput({ slug: `race-issue-${i}`, title: `Race issue ${i}` }));
	await writeDataset(t.db, dataset({ actors: [actorInput({ slug: 'testland' }), ...actors], issues: [issueInput(), ...issues] }), '2025-12-01');
});
afterAll(() => t?.close());

function worker(args: string[]): { child: ChildProcessWithoutNullStreams; ready: Promise<void>; result: Promise<Record<string, string>> } {
	const child = spawn(process.execPath, ['--import', 'tsx', WORKER, file, ...args], { cwd: ROOT });
	let out = '';
	let err = '';
	let onReady: () => void;
	const ready = new Promise<void>((r) => (onReady = r));
	child.stdout.on('data', (d: Buffer) => {
		out += d.toString();
		if (out.includes('ready\n')) onReady();
	});
	child.stderr.on('data', (d: Buffer) => (err += d.toString()));
	const result = new Promise<Record<string, string>>((resolve, reject) =>
		child.on('exit', (code) => {
			const line = out.split('\n').find((l) => l.startsWith('{'));
			if (code === 0 && line) resolve(JSON.parse(line));
			else reject(new Error(`worker exited ${code}: ${err || out}`));
		})
	);
	return { child, ready, result };
}

/** Runs the two processes on the same records at `version`; returns each record's two outcomes. */
async function race(kind: string, version: number, keys: string[]) {
	const a = worker([kind, 'A', String(version), ...keys]);
	const b = worker([kind, 'B', String(version), ...keys]);
	await Promise.all([a.ready, b.ready]);
	a.child.stdin.write('go\n');
	b.child.stdin.write('go\n');
	const [ra, rb] = await Promise.all([a.result, b.result]);
	return keys.map((k) => ({ key: k, a: ra[k], b: rb[k] }));
}

async function historyRows(entity: 'event' | 'actor' | 'issue', id: number) {
	return t.db.select().from(change).where(and(eq(change.entity, entity), eq(change.entityId, id), eq(change.action, 'update')));
}

function exactlyOneWon(outcomes: { key: string; a?: string; b?: string }[]) {
	for (const o of outcomes) {
		expect([o.a, o.b].sort(), `record ${o.key}: ${o.a} / ${o.b}`).toEqual(['conflict', 'won']);
	}
}

describe('two processes writing the same version', () => {
	it('events: exactly one PATCH wins, and the record is wholly the winner\'s', async () => {
		const ids: number[] = [];
		for (let i = 0; i < N; i++) ids.push((await createEvent(t.db, eventInput({ summary: `start ${i}` }), { userId: null, via: 'api' }, '2025-12-01')).id);
		const outcomes = await race('event', 1, ids.map(String));
		exactlyOneWon(outcomes);
		for (const o of outcomes) {
			const winner = o.a === 'won' ? 'A' : 'B';
			const id = Number(o.key);
			const { rows } = await t.db.$client.execute({ sql: 'select summary, version from stance_event where id = ?', args: [id] });
			const sources = await t.db.$client.execute({ sql: 'select outlet from source where event_id = ?', args: [id] });
			expect(rows[0]).toMatchObject({ summary: `summary by ${winner}`, version: 2 });
			expect(sources.rows.map((r) => r.outlet)).toEqual([`outlet by ${winner}`]);
			expect(await historyRows('event', id)).toHaveLength(1);
		}
	}, 60_000);

	it('actors: exactly one PATCH wins; the name and role are the same writer\'s', async () => {
		const slugs = Array.from({ length: N }, (_, i) => `racer-${i}`);
		const outcomes = await race('actor', 1, slugs);
		exactlyOneWon(outcomes);
		for (const o of outcomes) {
			const winner = o.a === 'won' ? 'A' : 'B';
			const a = await actorQueries.bySlug(t.db, o.key);
			expect(a).toMatchObject({ name: `name by ${winner}`, role: `role by ${winner}` });
			expect(await actorQueries.versionOf(t.db, o.key)).toBe(2);
		}
	}, 60_000);

	it('issues: exactly one PATCH wins; the title and description are the same writer\'s', async () => {
		const slugs = Array.from({ length: N }, (_, i) => `race-issue-${i}`);
		const outcomes = await race('issue', 1, slugs);
		exactlyOneWon(outcomes);
		for (const o of outcomes) {
			const winner = o.a === 'won' ? 'A' : 'B';
			const s = await issueQueries.bySlug(t.db, o.key);
			expect(s).toMatchObject({ title: `title by ${winner}`, description: `description by ${winner}` });
			expect(await issueQueries.versionOf(t.db, o.key)).toBe(2);
		}
	}, 60_000);
});

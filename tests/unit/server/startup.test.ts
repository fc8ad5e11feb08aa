/**
 * Several app instances starting at once on one database (issue 12): the migrations are applied
 * once and every instance starts; the demo dataset is seeded once. Two clients on one database
 * file stand for two instances (the sqld suite, tests/e2e/scaleout.spec.ts, runs real ones).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDb, type Db } from '../../../src/lib/server/db/client';
import { migrateDb } from '../../../src/lib/server/db/migrate';
import { runOnce } from '../../../src/lib/server/db/startup';
import { seedDemoOnce } from '../../../src/lib/server/seed';
import { tableCounts } from './testDb';

const MIGRATIONS = fileURLToPath(new URL('../../../drizzle', import.meta.url));
const DEMO = fileURLToPath(new URL('../../../data/demo.json', import.meta.url));

let dir = '';
const open: Db[] = [];
function instance(): Db {
	const db = createDb({ url: `file:${join(dir, 'shared.db')}` });
	open.push(db);
	return db;
}

afterEach(() => {
	for (const db of open.splice(0)) db.$client.close();
	if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('starting several instances at once', () => {
	it('applies the migrations once and every instance starts', async () => {
		dir = mkdtempSync(join(tmpdir(), 'stance-startup-'));
		const dbs = [instance(), instance(), instance()];
		await Promise.all(dbs.map((db) => migrateDb(db, MIGRATIONS)));
		const applied = await dbs[0]!.$client.execute('select count(*) as n from __drizzle_migrations');
		const files = (await import('node:fs')).readdirSync(MIGRATIONS).filter((f) => f.endsWith('.sql'));
		expect(Number(applied.rows[0]!.n)).toBe(files.length);
	});

	it('seeds the demo dataset once', async () => {
		dir = mkdtempSync(join(tmpdir(), 'stance-startup-'));
		const a = instance();
		const b = instance();
		await migrateDb(a, MIGRATIONS);
		const results = await Promise.all([seedDemoOnce(a, DEMO), seedDemoOnce(b, DEMO)]);
		expect(results.filter((r) => r !== null)).toHaveLength(1);
		const demo = JSON.parse((await import('node:fs')).readFileSync(DEMO, 'utf8'));
		const counts = await tableCounts(a);
		expect(counts.actors).toBe(demo.actors.length);
		expect(counts.events).toBe(demo.events.length);
		// Another start later finds it seeded and leaves it.
		expect(await seedDemoOnce(instance(), DEMO)).toBeNull();
		expect(await tableCounts(a)).toEqual(counts);
	});

	it('takes over a claim whose instance died, and the others wait for a running job', async () => {
		dir = mkdtempSync(join(tmpdir(), 'stance-startup-'));
		const a = instance();
		await migrateDb(a, MIGRATIONS);
		// An instance claimed the job at t=0 and died.
		await a.$client.execute({ sql: 'insert into startup_claim (name, at) values (?, ?)', args: ['job', 0] });
		expect(await runOnce(a, 'job', async () => 'fresh claim', { leaseMs: Date.now() + 1, waitMs: 0 })).toBeNull();
		expect(await runOnce(a, 'job', async () => 'taken over', { waitMs: 0 })).toBe('taken over');
		// While one instance runs it, another waits for the end and does not run it.
		let release!: () => void;
		const running = runOnce(a, 'slow', () => new Promise<string>((r) => (release = () => r('ran'))));
		await new Promise((r) => setTimeout(r, 50));
		let waiterDone = false;
		const waiter = runOnce(instance(), 'slow', async () => 'twice').then((v) => ((waiterDone = true), v));
		await new Promise((r) => setTimeout(r, 400));
		expect(waiterDone).toBe(false);
		release();
		expect(await running).toBe('ran');
		expect(await waiter).toBeNull();
	});
});

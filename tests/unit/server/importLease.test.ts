/**
 * The import lease (issue 12): a running import refreshes a heartbeat in import_run; any instance
 * or CLI run (on any host) takes a run whose heartbeat is older than the lease for dead and
 * removes its record and staging table, one cleaner at a time; a live import whose record was
 * taken over stops with a clear error and writes nothing. On a real SQLite file; a stale
 * heartbeat is an old timestamp written into the row (no waiting for the lease).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type Client, type InStatement } from '@libsql/client';
import Database from 'libsql';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ImportRefused, runImport } from '../../../src/lib/server/import';
import { beginImport, cleanupAbandonedImports, heartbeatMs, importLeaseMs, ImportTakenOver, stagingTable, startHeartbeat } from '../../../src/lib/server/import/staging';
import { seedIfEmpty } from '../../../src/lib/server/seed';
import { DEMO_PATH } from '../../fixtures/demo';
import { openTestDb, tableCounts, type TestDb } from './testDb';

const LEASE = 60_000;
let t: TestDb;
let file: string;
/** A second client on the same file: another instance (or a CLI run) sharing the database. */
let other: Client;

beforeAll(async () => {
	t = await openTestDb();
	await seedIfEmpty(t.db, DEMO_PATH);
	file = join(t.dir, 'test.db');
	other = createClient({ url: `file:${file}`, timeout: 5000 });
});
afterAll(() => {
	other?.close();
	t?.close();
});

const one = async (c: Client, sql: string, args: (string | number)[] = []) => (await c.execute({ sql, args })).rows[0];
const hasTable = async (id: number) => !!(await one(other, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [stagingTable(id)]));
const hasRun = async (id: number) => !!(await one(other, 'SELECT 1 FROM import_run WHERE id = ?', [id]));

/** A running import as another machine's process would have left it: its record and staging table. */
async function runFromElsewhere(host = 'another-machine', pid = 4242): Promise<number> {
	const id = await beginImport(other, 'elsewhere.csv', 'csv', { userId: null, via: 'import' });
	await other.execute({ sql: 'UPDATE import_run SET host = ?, pid = ? WHERE id = ?', args: [host, pid, id] });
	return id;
}
/** Moves a run's heartbeat back by `ms`, as if its process had stopped beating that long ago. */
const age = (id: number, ms: number) => other.execute({ sql: 'UPDATE import_run SET heartbeat_at = heartbeat_at - ? WHERE id = ?', args: [ms, id] });

describe('the import lease', () => {
	it('leaves a run on another machine alone while its heartbeat is fresh, and removes it once stale', async () => {
		const id = await runFromElsewhere();
		await age(id, LEASE - 10_000);
		expect(await cleanupAbandonedImports(t.db.$client, { leaseMs: LEASE })).toEqual([]);
		expect(await hasRun(id)).toBe(true);
		expect(await hasTable(id)).toBe(true);

		await age(id, 20_000);
		expect(await cleanupAbandonedImports(t.db.$client, { leaseMs: LEASE })).toEqual([id]);
		expect(await hasRun(id)).toBe(false);
		expect(await hasTable(id)).toBe(false);
	});

	it('removes at once a run of a process on this host that no longer exists, whatever its heartbeat', async () => {
		const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
		const id = await runFromElsewhere(hostname(), gone);
		expect(await cleanupAbandonedImports(t.db.$client, { leaseMs: LEASE })).toEqual([id]);
		expect(await hasRun(id)).toBe(false);
	});

	it('a sweep in the process that is recording a run, before it heard back, leaves that run alone', async () => {
		// The record is committed, but its answer reaches this process only later (a round trip to a
		// server): a sweep meanwhile must not take it for a run left by an earlier process of this pid.
		const slow = Object.create(t.db.$client) as Client;
		let committed!: () => void;
		const recorded = new Promise<void>((ok) => (committed = ok));
		slow.execute = (async (stmt: InStatement) => {
			const r = await t.db.$client.execute(stmt);
			const text = typeof stmt === 'string' ? stmt : stmt.sql;
			if (text.startsWith('INSERT INTO import_run')) {
				committed();
				await new Promise((ok) => setTimeout(ok, 200));
			}
			return r;
		}) as Client['execute'];
		const begun = beginImport(slow, 'mine.csv', 'csv', { userId: null, via: 'import' });
		await recorded;
		expect(await cleanupAbandonedImports(other, { leaseMs: LEASE })).toEqual([]);
		const id = await begun;
		expect(await hasRun(id)).toBe(true);
		expect(await hasTable(id)).toBe(true);
		// Once recorded it is this process's own live import; later sweeps leave it alone too.
		expect(await cleanupAbandonedImports(other, { leaseMs: LEASE })).toEqual([]);
		await other.execute({ sql: 'DELETE FROM import_run WHERE id = ?', args: [id] });
		await cleanupAbandonedImports(other, { leaseMs: LEASE });
	});

	it('two cleaners at once: one removes the dead run, the other leaves it to that one', async () => {
		const id = await runFromElsewhere();
		await age(id, 2 * LEASE);
		const [x, y] = await Promise.all([cleanupAbandonedImports(t.db.$client, { leaseMs: LEASE }), cleanupAbandonedImports(other, { leaseMs: LEASE })]);
		expect([...x, ...y]).toEqual([id]);
		expect(await hasRun(id)).toBe(false);
		expect(await hasTable(id)).toBe(false);
	});

	it('drops a staging table whose run is gone', async () => {
		const id = await runFromElsewhere();
		await other.execute({ sql: 'DELETE FROM import_run WHERE id = ?', args: [id] });
		expect(await cleanupAbandonedImports(t.db.$client, { leaseMs: LEASE })).toEqual([id]);
		expect(await hasTable(id)).toBe(false);
	});

	it('a heartbeat keeps a run alive; once its record is taken over, the next beat says so and check() throws', async () => {
		const id = await beginImport(t.db.$client, 'mine.csv', 'csv', { userId: null, via: 'import' });
		const hb = startHeartbeat(t.db.$client, id, 60_000);
		try {
			await age(id, 2 * LEASE);
			expect(await hb.beat()).toBe(true);
			// The beat made it fresh again: no cleaner takes it.
			expect(await cleanupAbandonedImports(other, { leaseMs: LEASE })).toEqual([]);
			await age(id, 2 * LEASE);
			expect(await cleanupAbandonedImports(other, { leaseMs: LEASE })).toEqual([id]);
			expect(await hb.beat()).toBe(false);
			expect(() => hb.check()).toThrow(ImportTakenOver);
			expect(() => hb.check()).toThrow(new RegExp(`import #${id} was taken for dead and removed by another instance.*nothing of it was written`));
		} finally {
			hb.stop();
		}
	});

	it('a live import whose run another instance takes over stops with a clear error, and writes nothing', async () => {
		const csv = join(t.dir, 'taken.csv');
		const lines = ['actor,issue,date,position,summary,source_outlet'];
		for (let i = 0; i < 20_000; i++) lines.push(`colombia,intelligence-sharing-us,2020-01-01,1,Taken over ${i},Reuters`);
		writeFileSync(csv, lines.join('\n'));
		const before = await tableCounts(t.db);
		const sync = new Database(file, { timeout: 5000 });
		let takeover: Promise<number[]> | null = null;
		try {
			const run = runImport(t.db, {
				file: csv,
				now: '2026-06-01',
				chunkRows: 500,
				onProgress: () => {
					if (takeover) return;
					// The first progress report comes once rows are being staged: its heartbeat goes stale
					// (as if this process had hung for two leases), and another instance sweeps.
					sync.prepare('UPDATE import_run SET heartbeat_at = heartbeat_at - ? WHERE status = ?').run(2 * LEASE, 'running');
					takeover = cleanupAbandonedImports(other, { leaseMs: LEASE });
				}
			});
			await expect(run).rejects.toThrow(ImportRefused);
			await expect(run).rejects.toThrow(/was taken for dead and removed by another instance.*IMPORT_LEASE_SECONDS.*nothing of it was written\. Run it again/);
			expect(takeover).not.toBeNull();
			expect(await takeover).toHaveLength(1);
		} finally {
			sync.close();
		}
		expect(await tableCounts(t.db)).toEqual(before);
		expect((await one(other, "SELECT count(*) FROM import_run WHERE status = 'running'"))![0]).toBe(0);
		expect((await one(other, "SELECT count(*) FROM sqlite_master WHERE name LIKE 'import_staging_%'"))![0]).toBe(0);
	});

	it('the lease is IMPORT_LEASE_SECONDS, 60 s when unset or not a positive number; the heartbeat beats well within it', () => {
		expect(importLeaseMs('15')).toBe(15_000);
		expect(importLeaseMs(undefined)).toBe(60_000);
		expect(importLeaseMs('soon')).toBe(60_000);
		expect(importLeaseMs('0')).toBe(60_000);
		expect(heartbeatMs(60_000)).toBe(5_000);
		expect(heartbeatMs(6_000)).toBe(2_000);
	});
});

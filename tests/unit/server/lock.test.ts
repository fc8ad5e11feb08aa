/**
 * Another process holding the database: writes are refused quickly with DatabaseBusyError (never
 * blocking the event loop for long), reads go on (WAL), and the moment the lock is gone writes
 * succeed again and reads see the other process's writes.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../../src/lib/server/db/client';
import { DatabaseBusyError } from '../../../src/lib/server/db/busy';
import { createEvent, writeDataset } from '../../../src/lib/server/write';
import { dataset, actorInput, eventInput, issueInput } from '../../fixtures/factories';
import { openTestDb, type TestDb } from './testDb';

const HOLD = fileURLToPath(new URL('../../tools/hold-lock.mjs', import.meta.url));
const by = { userId: null, via: 'api' as const };
let t: TestDb;
let file: string;

beforeAll(async () => {
	t = await openTestDb();
	file = join(t.dir, 'test.db');
	await writeDataset(t.db, dataset({ actors: [actorInput()], issues: [issueInput()] }), '2025-12-01');
});
afterAll(() => t?.close());

/** Another process takes an exclusive lock; resolves once it holds it. */
async function holdLock() {
	const child = spawn(process.execPath, [HOLD, file], { stdio: ['pipe', 'pipe', 'inherit'] });
	await new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => d.toString().includes('locked') && resolve()));
	return {
		release: () =>
			new Promise<void>((resolve) => {
				child.on('exit', () => resolve());
				child.stdin.end('\n');
			})
	};
}

const count = async (db: Db) => Number((await db.$client.execute('select count(*) as n from stance_event')).rows[0]!.n);

describe('another process holding the database', () => {
	it('uses WAL, so reads do not wait for a writer', async () => {
		expect((await t.db.$client.execute('pragma journal_mode')).rows[0]![0]).toBe('wal');
		const lock = await holdLock();
		try {
			expect(await count(t.db)).toBe(0);
		} finally {
			await lock.release();
		}
	});

	it('refuses a write with DatabaseBusyError while the lock is held, having written nothing', async () => {
		const lock = await holdLock();
		let stalled = 0;
		let last = Date.now();
		// The event loop keeps turning while the write waits: SQLite's own wait is kept short.
		const ticker = setInterval(() => {
			stalled = Math.max(stalled, Date.now() - last);
			last = Date.now();
		}, 5);
		try {
			await expect(createEvent(t.db, eventInput(), by, '2025-12-01')).rejects.toBeInstanceOf(DatabaseBusyError);
		} finally {
			clearInterval(ticker);
			await lock.release();
		}
		expect(await count(t.db)).toBe(0);
		console.log(`longest event-loop stall while a write waited for the lock: ${stalled} ms`);
	});

	it('writes again the moment the lock is gone, and reads see what the other process wrote', async () => {
		for (let cycle = 0; cycle < 3; cycle++) {
			const lock = await holdLock();
			await expect(createEvent(t.db, eventInput({ summary: 'refused' }), by, '2025-12-01')).rejects.toBeInstanceOf(DatabaseBusyError);
			await lock.release();
			const before = await count(t.db);
			await createEvent(t.db, eventInput({ summary: `after lock ${cycle}` }), by, '2025-12-01');
			// Another process writes: this client's connections must not be stuck on an old snapshot.
			const other = createDb({ url: `file:${file}` });
			await createEvent(other, eventInput({ summary: `other ${cycle}` }), by, '2025-12-01');
			other.$client.close();
			expect(await count(t.db)).toBe(before + 2);
		}
		const { rows } = await t.db.$client.execute("select count(*) as n from stance_event where summary = 'refused'");
		expect(Number(rows[0]!.n)).toBe(0);
	});
});

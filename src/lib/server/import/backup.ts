import { createClient } from '@libsql/client';
import { copyFile, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';
import { urlOf, type Db } from '../db/client';
import { ImportRefused } from './index';
import { UsageError } from './text';

/**
 * Backups while the server keeps serving: `VACUUM INTO` writes a consistent copy from one read
 * transaction (writers go on in WAL mode; in rollback-journal mode they wait for it), and the copy
 * is then opened on its own and checked with `PRAGMA integrity_check`. A restore checks the backup
 * the same way before anything is replaced, and keeps the replaced file beside it.
 */

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

async function exists(path: string): Promise<boolean> {
	try {
		await stat(path);
		return true;
	} catch {
		return false;
	}
}

/** Opens a database file on its own and checks it; returns its event count. */
export async function checkDatabaseFile(file: string): Promise<{ events: number }> {
	const c = createClient({ url: `file:${file}` });
	try {
		const ic = await c.execute('PRAGMA integrity_check');
		const verdict = ic.rows.map((r) => String(r[0]));
		if (verdict.length !== 1 || verdict[0] !== 'ok') throw new ImportRefused(`${file} fails the integrity check`, verdict.slice(0, 10));
		const tables = await c.execute("SELECT name FROM sqlite_master WHERE type = 'table'");
		const names = new Set(tables.rows.map((r) => String(r[0])));
		const missing = ['actor', 'issue', 'stance_event', 'source', '__drizzle_migrations'].filter((t) => !names.has(t));
		if (missing.length) throw new ImportRefused(`${file} is not a Stance Tracker database (it lacks ${missing.join(', ')})`);
		const n = await c.execute('SELECT count(*) FROM stance_event WHERE deleted_at IS NULL');
		return { events: Number(n.rows[0]![0]) };
	} catch (e) {
		if (e instanceof ImportRefused) throw e;
		throw new ImportRefused(`${file} cannot be read as a database: ${(e as Error).message}`);
	} finally {
		c.close();
	}
}

export async function backupDatabase(db: Db, file: string): Promise<{ bytes: number; events: number }> {
	const url = urlOf(db);
	if (url !== undefined && !url.startsWith('file:')) {
		// VACUUM INTO would run on the server and write the file on the server's disk (if at all).
		throw new UsageError(
			`backup copies a local database file, and DATABASE_URL is a libSQL server (${url.replace(/\/\/[^@/]*@/, '//')}). ` +
				"Back up the server itself: stop sqld and copy its --db-path folder, or use its snapshots (Turso: point-in-time restore); for a copy as a file, run this command on an embedded replica's local file (DATABASE_URL=file:... after a sync)"
		);
	}
	if (await exists(file)) throw new UsageError(`${file} exists already; choose a new file name`);
	await db.$client.execute(`VACUUM INTO ${quote(file)}`);
	const { events } = await checkDatabaseFile(file);
	return { bytes: (await stat(file)).size, events };
}

/**
 * Replaces the database file of `url` with a checked backup. Stop the server first: a running
 * server keeps the old file open. The replaced file is kept as `<name>.before-restore-<time>`.
 */
export async function restoreDatabase(url: string, backup: string): Promise<{ events: number; previous: string | null }> {
	if (!url.startsWith('file:')) throw new UsageError('restore works on a local database file (DATABASE_URL=file:...)');
	const target = url.slice('file:'.length).split('?')[0]!;
	if (!(await exists(backup))) throw new UsageError(`${backup} does not exist`);
	const { events } = await checkDatabaseFile(backup);
	let previous: string | null = null;
	if (await exists(target)) {
		// Fold any write-ahead log into the file so that the kept copy is whole, then set it aside.
		const c = createClient({ url: `file:${target}` });
		try {
			await c.execute('PRAGMA wal_checkpoint(TRUNCATE)');
		} finally {
			c.close();
		}
		previous = join(dirname(target), `${basename(target)}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`);
		await copyFile(target, previous);
	}
	// Copy beside the target, then rename over it: the database file is never half-written.
	const incoming = `${target}.restoring`;
	await copyFile(backup, incoming);
	for (const ext of ['-wal', '-shm', '-journal']) await unlink(`${target}${ext}`).catch(() => undefined);
	await rename(incoming, target);
	return { events, previous };
}

import { createClient } from '@libsql/client';
import { copyFile, mkdtemp, rename, rm, stat, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
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

/**
 * Copies the live database into `file` and checks the copy. A local file is copied with
 * `VACUUM INTO`. A libSQL server is copied through an embedded replica of its own, made for the
 * purpose in a temporary folder: synced once (whole transactions only, so a consistent state of
 * the server while it keeps serving), then `VACUUM INTO` from that local copy, which is deleted
 * after. (`VACUUM INTO` sent to the server would write on the server's disk, if anywhere.)
 */
export async function backupDatabase(db: Db, file: string, { authToken }: { authToken?: string } = {}): Promise<{ bytes: number; events: number }> {
	const url = urlOf(db);
	if (await exists(file)) throw new UsageError(`${file} exists already; choose a new file name`);
	if (url !== undefined && !url.startsWith('file:')) {
		const dir = await mkdtemp(join(tmpdir(), 'stance-backup-'));
		try {
			const local = join(dir, 'replica.db');
			const replica = createClient({ url: `file:${local}`, syncUrl: url, authToken });
			try {
				await replica.sync();
			} finally {
				replica.close();
			}
			const copy = createClient({ url: `file:${local}` });
			try {
				await copy.execute(`VACUUM INTO ${quote(file)}`);
			} finally {
				copy.close();
			}
		} finally {
			await rm(dir, { recursive: true, force: true });
		}
	} else {
		await db.$client.execute(`VACUUM INTO ${quote(file)}`);
	}
	const { events } = await checkDatabaseFile(file);
	return { bytes: (await stat(file)).size, events };
}

/**
 * Replaces the database file of `url` with a checked backup. Stop the server first: a running
 * server keeps the old file open. The replaced file is kept as `<name>.before-restore-<time>`.
 */
export async function restoreDatabase(url: string, backup: string): Promise<{ events: number; previous: string | null }> {
	if (!url.startsWith('file:')) {
		throw new UsageError(
			'restore replaces a local database file (DATABASE_URL=file:...), not a libSQL server. To put a backup on sqld: ' +
				'stop it, copy the backup file to NEWDIR/dbs/default/data in an empty folder NEWDIR, and start sqld with --db-path NEWDIR ' +
				'(keep the old --db-path folder until the new one serves)'
		);
	}
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

import { migrate } from 'drizzle-orm/libsql/migrator';
import { resolve } from 'node:path';
import { urlOf, type Db } from './client';

/** The drizzle-kit migrations, read from disk at run time (a deployment ships drizzle/). */
export const MIGRATIONS_FOLDER = resolve(process.env.MIGRATIONS_DIR ?? 'drizzle');

/**
 * Puts a local database file in WAL mode (kept in the file, so once is enough): readers then
 * never wait for a writer (another process importing, say) and a writer never waits for readers.
 * Servers reached over the network manage their own journal.
 */
export async function useWal(db: Db): Promise<void> {
	const url = urlOf(db) ?? '';
	if (!url.startsWith('file:') || url.includes(':memory:')) return;
	await db.$client.execute('PRAGMA journal_mode = WAL');
}

/**
 * Applies every migration newer than the last one applied (after switching a file to WAL). Safe
 * when several app instances start at once on one database (a libSQL server): the migrator
 * applies all pending migrations and records them in one batch, all or nothing, so of two
 * instances racing one commits and the other's batch fails ("table ... already exists") and
 * leaves nothing behind. That one then looks again, finds them applied and goes on. A migration
 * that fails for any other reason fails every attempt, and its last error is thrown.
 */
export async function migrateDb(db: Db, migrationsFolder = MIGRATIONS_FOLDER, attempts = 5): Promise<void> {
	for (let attempt = 1; ; attempt++) {
		try {
			await useWal(db);
			await migrate(db, { migrationsFolder });
			return;
		} catch (e) {
			if (attempt >= attempts) throw e;
			// Let the other instance's batch finish (jittered, so two losers do not collide again).
			await new Promise((r) => setTimeout(r, 100 * attempt + Math.random() * 200));
		}
	}
}

import { migrate } from 'drizzle-orm/libsql/migrator';
import { resolve } from 'node:path';
import type { Db } from './client';

/** The drizzle-kit migrations, read from disk at run time (a deployment ships drizzle/). */
export const MIGRATIONS_FOLDER = resolve(process.env.MIGRATIONS_DIR ?? 'drizzle');

/** Applies every migration newer than the last one applied. */
export async function migrateDb(db: Db, migrationsFolder = MIGRATIONS_FOLDER): Promise<void> {
	await migrate(db, { migrationsFolder });
}

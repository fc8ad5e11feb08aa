import { createClient, type Client } from '@libsql/client';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import * as schema from './schema';

export type Db = LibSQLDatabase<typeof schema> & { $client: Client };

export interface DbOptions {
	url: string;
	authToken?: string;
}

/**
 * Opens a database: a `file:` URL is a local SQLite file (its folder is created), anything else
 * a libSQL server. Free of $env so the app, the CLI and the tests open databases the same way.
 */
const urls = new WeakMap<object, string>();

/** The URL a database was opened with (for readers that open their own connection to a file). */
export function urlOf(db: Db): string | undefined {
	return urls.get(db);
}

export function createDb({ url, authToken }: DbOptions): Db {
	if (url.startsWith('file:')) {
		const path = url.slice('file:'.length).split('?')[0]!;
		if (path && path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
	}
	// A busy timeout on every pooled connection: a PRAGMA reaches only one of them.
	const client = createClient({ url, authToken, timeout: 5000 });
	const db = drizzle(client, { schema }) as Db;
	urls.set(db, url);
	return db;
}

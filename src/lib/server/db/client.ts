import { createClient, type Client } from '@libsql/client';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import * as schema from './schema';

export type Db = LibSQLDatabase<typeof schema> & { $client: Client };

export interface DbOptions {
	url: string;
	authToken?: string;
	/**
	 * An embedded replica: `url` is then a local file that copies the database at `syncUrl` (a
	 * libSQL server, `http://` or `libsql://`); reads are local, writes go to the server.
	 */
	syncUrl?: string;
	/** Seconds between background syncs of an embedded replica (besides the sync per request). */
	syncInterval?: number;
}

/**
 * Opens a database: a `file:` URL is a local SQLite file (its folder is created), anything else
 * a libSQL server. Free of $env so the app, the CLI and the tests open databases the same way.
 */
const urls = new WeakMap<object, string>();

/**
 * The URL of the database a client writes to (for readers, stagers and backups that open their
 * own connection to a local file): for an embedded replica the server's, since its local file is
 * a copy that only the client's sync may write to.
 */
export function urlOf(db: Db): string | undefined {
	return urls.get(db);
}

const replicas = new WeakSet<object>();
const syncing = new WeakMap<object, Promise<unknown>>();

/** Whether a database is an embedded replica (a local copy synced from a libSQL server). */
export function isReplica(db: Db): boolean {
	return replicas.has(db);
}

/**
 * Brings an embedded replica up to date with its server (one HTTP round trip when nothing changed);
 * nothing for other databases. Concurrent callers share one sync. The server calls it before
 * each request, so a write through another instance is never followed by stale data here.
 */
export async function syncReplica(db: Db): Promise<void> {
	if (!replicas.has(db)) return;
	let running = syncing.get(db);
	if (!running) {
		running = db.$client.sync().finally(() => syncing.delete(db));
		syncing.set(db, running);
	}
	await running;
}

export function createDb({ url, authToken, syncUrl, syncInterval }: DbOptions): Db {
	if (url.startsWith('file:')) {
		const path = url.slice('file:'.length).split('?')[0]!;
		if (path && path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
	}
	// A busy timeout on every pooled connection: a PRAGMA reaches only one of them.
	if (syncUrl && !url.startsWith('file:')) throw new Error(`an embedded replica needs a local file: DATABASE_URL=file:..., not ${url}`);
	const client = createClient({ url, authToken, timeout: 5000, ...(syncUrl ? { syncUrl, syncInterval, readYourWrites: true } : {}) });
	const db = drizzle(client, { schema }) as Db;
	urls.set(db, syncUrl ?? url);
	if (syncUrl) replicas.add(db);
	return db;
}

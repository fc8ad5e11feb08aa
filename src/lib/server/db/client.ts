import { createClient, type Client } from '@libsql/client';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { BUSY_TIMEOUT_MS, isBusy } from './busy';
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
	if (syncUrl && !url.startsWith('file:')) throw new Error(`an embedded replica needs a local file: DATABASE_URL=file:..., not ${url}`);
	// A busy timeout on every pooled connection (a PRAGMA reaches only one of them): short, since
	// SQLite waits inside the native call and so blocks the event loop; see busy.ts. An embedded
	// replica keeps its sync state on its connection, so its pool is left alone.
	const opened = createClient({ url, authToken, timeout: BUSY_TIMEOUT_MS, ...(syncUrl ? { syncUrl, syncInterval, readYourWrites: true } : {}) });
	const client = syncUrl ? opened : resetOnBusy(opened);
	const db = drizzle(client, { schema }) as Db;
	urls.set(db, syncUrl ?? url);
	if (syncUrl) replicas.add(db);
	return db;
}

/**
 * Drops the client's pooled connections after SQLITE_BUSY. The statement that got it is never
 * reset by the client (it is left to the garbage collector), and SQLite keeps a connection's
 * read lock while any statement on it is unfinished: that connection then held a shared lock on
 * the file after the other process let go (rollback journal: every later commit of ours failed
 * with SQLITE_BUSY, for minutes; WAL: it kept reading an old snapshot and could not write).
 * Closing the connections finalizes those statements; the pool opens fresh ones on demand.
 * Every client call is synchronous between borrowing a connection and returning it, so no
 * other call is using one when this runs; one that borrowed a connection just before gets
 * CLIENT_CLOSED and is run once more.
 */
function resetOnBusy(client: Client): Client {
	if (client.protocol !== 'file') return client;
	const guard = <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
		async (...args: A): Promise<R> => {
			for (let tries = 0; ; tries++) {
				try {
					return await call(...args);
				} catch (e) {
					if (isBusy(e)) void client.reconnect();
					else if (tries === 0 && (e as { code?: string }).code === 'CLIENT_CLOSED' && !client.closed) continue;
					throw e;
				}
			}
		};
	client.execute = guard(client.execute.bind(client)) as Client['execute'];
	client.batch = guard(client.batch.bind(client)) as Client['batch'];
	client.executeMultiple = guard(client.executeMultiple.bind(client));
	client.migrate = guard(client.migrate.bind(client)) as Client['migrate'];
	return client;
}

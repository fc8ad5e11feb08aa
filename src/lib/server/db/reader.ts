import Database from 'libsql';
import type { Db } from './client';
import { urlOf } from './client';
import { BUSY_TIMEOUT_MS, isBusy } from './busy';

type Arg = string | number | null;
type Row = unknown[];

/**
 * Reads for the hot paths (series, the data version, the home page): plain SQL, rows as arrays,
 * no ORM mapping. On a local file each SQL text is prepared once on a connection of its own and
 * reused: through @libsql/client a statement is prepared anew on every call (measured here: a
 * primary-key lookup 37 us through the client, 9 us as a reused statement). On a libSQL server
 * the client is used (its HTTP/WebSocket protocol caches statements on its own side).
 */
export interface Reader {
	all(sql: string, args?: readonly Arg[]): Promise<Row[]>;
	get(sql: string, args?: readonly Arg[]): Promise<Row | undefined>;
	close(): void;
}

const readers = new WeakMap<object, Reader>();

export function readerFor(db: Db): Reader {
	let reader = readers.get(db);
	if (reader) return reader;
	const url = urlOf(db);
	reader = url?.startsWith('file:') && !url.includes(':memory:') ? fileReader(url.slice('file:'.length).split('?')[0]!) : clientReader(db);
	readers.set(db, reader);
	// Closing the client closes the reader's own connection too.
	const client = db.$client;
	const close = client.close.bind(client);
	const own = reader;
	client.close = () => {
		own.close();
		readers.delete(db);
		close();
	};
	return reader;
}

function fileReader(path: string): Reader {
	let conn: Database.Database | null = null;
	const statements = new Map<string, Database.Statement>();
	const open = () => {
		// The same short busy timeout as the client's connections (busy.ts: it blocks the event loop).
		conn ??= new Database(path, { timeout: BUSY_TIMEOUT_MS } as Database.Options);
		return conn;
	};
	const prepared = (sql: string) => {
		let st = statements.get(sql);
		if (!st) {
			st = open().prepare(sql).raw(true);
			statements.set(sql, st);
		}
		return st;
	};
	return {
		// Each call runs to completion (all/get reset the statement), so no read lock outlives it.
		async all(sql, args = []) {
			return resetOnBusy(() => prepared(sql).all(...args) as Row[]);
		},
		async get(sql, args = []) {
			return resetOnBusy(() => (prepared(sql).get(...args) as Row | undefined) ?? undefined);
		},
		close
	};
	function close() {
		statements.clear();
		conn?.close();
		conn = null;
	}
	/** A statement that got SQLITE_BUSY is left mid-step and would keep the connection's read lock: start afresh. */
	function resetOnBusy<T>(read: () => T): T {
		try {
			return read();
		} catch (e) {
			if (isBusy(e)) close();
			throw e;
		}
	}
}

function clientReader(db: Db): Reader {
	const run = async (sql: string, args: readonly Arg[]) => {
		const rs = await db.$client.execute({ sql, args: [...args] });
		return rs.rows.map((r) => Array.from({ length: rs.columns.length }, (_, i) => r[i]));
	};
	return {
		// Callers may leave out the arguments (the file reader defaults them too).
		all: (sql, args = []) => run(sql, args),
		async get(sql, args = []) {
			return (await run(sql, args))[0];
		},
		close() {}
	};
}

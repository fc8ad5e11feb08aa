import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

type Arg = string | number | bigint | null;
export interface WorkerStatement {
	sql: string;
	args?: Arg[];
}

/**
 * A connection to a local database file on a thread of its own, for the few statements that run
 * for seconds (a bulk import's duplicate check and its final batch). SQLite runs a statement
 * inside one native call; on the server's thread that call would stop every request until it
 * returned (measured: the final batch of a 200,000-row web import held the event loop for seconds).
 * On this thread it blocks only itself: the server keeps answering reads (WAL: they see the
 * database as it was until the batch commits), and its writes meanwhile find the file locked and
 * get the usual quick refusal (busy.ts).
 *
 * The thread runs plain JavaScript given as text (no build step, so it works the same from the
 * CLI, the dev server and the built app) and loads the `libsql` binding resolved from here.
 */
export interface SqlWorker {
	/** Rows as arrays. */
	all(sql: string, args?: Arg[]): Promise<unknown[][]>;
	/** The statements in one transaction (BEGIN IMMEDIATE ... COMMIT), rolled back on any error. */
	batch(statements: (WorkerStatement | string)[], options?: { timing?: boolean }): Promise<void | number[]>;
	/**
	 * Appends rows in one transaction (a bulk import's staging): `prefix` is an INSERT up to its
	 * VALUES, `values` the rows' values one after another, `width` to a row. The rows go `per` to a
	 * statement (measured: binding is most of a staged row's cost, and a statement of 50 rows costs
	 * a third less a row than 50 statements); the values travel as one flat array (one object to
	 * copy between the threads instead of one per row).
	 */
	append(prefix: string, width: number, values: Arg[], per?: number): Promise<void>;
	/** A statement outside any transaction (a PRAGMA). */
	exec(sql: string): Promise<void>;
	close(): Promise<void>;
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.binding);
const db = new Database(workerData.file, { timeout: workerData.timeout });
// A larger page cache for this connection alone: a bulk insert maintains several indexes, and
// with SQLite's default 2 MB their pages are read and written back over and over.
db.pragma('cache_size = ' + (-workerData.cacheKib));
// The statements of 'append' (a staging insert of n rows at once, run for every chunk), prepared once.
const appends = new Map();
const appendOf = (prefix, width, n) => {
	const key = n + ' ' + prefix;
	let st = appends.get(key);
	if (!st) {
		const one = '(' + new Array(width).fill('?').join(', ') + ')';
		st = db.prepare(prefix + ' VALUES ' + new Array(n).fill(one).join(', '));
		appends.set(key, st);
	}
	return st;
};
const inTransaction = (work) => {
	db.exec('BEGIN IMMEDIATE');
	try {
		work();
		db.exec('COMMIT');
	} catch (e) {
		try { db.exec('ROLLBACK'); } catch {}
		throw e;
	}
};
parentPort.on('message', (m) => {
	try {
		if (m.op === 'all') {
			parentPort.postMessage({ id: m.id, rows: db.prepare(m.sql).raw(true).all(m.args || []) });
		} else if (m.op === 'batch') {
			// With timing asked for, the milliseconds each statement took (and the commit's, last).
			const ms = [];
			let t = performance.now();
			const took = () => { if (m.timing) { const now = performance.now(); ms.push(now - t); t = now; } };
			inTransaction(() => {
				for (const s of m.statements) {
					if (typeof s === 'string') db.exec(s);
					else {
						// A statement that returns rows is stepped to its end: one left half-read would
						// keep a cursor open, and a later DROP TABLE in the batch would fail as locked.
						const st = db.prepare(s.sql);
						if (st.reader) st.all(s.args || []);
						else st.run(s.args || []);
					}
					took();
				}
			});
			took();
			parentPort.postMessage({ id: m.id, rows: m.timing ? [ms] : undefined });
		} else if (m.op === 'append') {
			const { prefix, width, values, per } = m;
			const rows = values.length / width;
			inTransaction(() => {
				let i = 0;
				const full = appendOf(prefix, width, per);
				for (; i + per <= rows; i += per) full.run(values.slice(i * width, (i + per) * width));
				if (i < rows) appendOf(prefix, width, rows - i).run(values.slice(i * width));
			});
			parentPort.postMessage({ id: m.id });
		} else if (m.op === 'exec') {
			db.exec(m.sql);
			parentPort.postMessage({ id: m.id });
		} else if (m.op === 'close') {
			db.close();
			parentPort.postMessage({ id: m.id });
		}
	} catch (e) {
		parentPort.postMessage({ id: m.id, error: { message: String(e && e.message || e), code: e && e.code } });
	}
});
`;

export interface SqlWorkerOptions {
	/** SQLite's busy timeout on this connection, in ms (waiting blocks only this thread). */
	timeout?: number;
	/** This connection's page cache, in KiB. */
	cacheKib?: number;
}

export function openSqlWorker(file: string, { timeout = 5000, cacheKib = 32 * 1024 }: SqlWorkerOptions = {}): SqlWorker {
	const binding = createRequire(import.meta.url).resolve('libsql');
	const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, binding, timeout, cacheKib } });
	let next = 0;
	const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
	let dead: Error | null = null;
	const fail = (e: Error) => {
		dead = e;
		for (const w of waiting.values()) w.reject(e);
		waiting.clear();
	};
	worker.on('message', (m: { id: number; rows?: unknown[][]; error?: { message: string; code?: string } }) => {
		const w = waiting.get(m.id);
		if (!w) return;
		waiting.delete(m.id);
		if (m.error) w.reject(Object.assign(new Error(m.error.message), { code: m.error.code }));
		else w.resolve(m.rows);
	});
	worker.on('error', fail);
	worker.on('exit', (code) => fail(new Error(`the database thread ended (${code})`)));
	const call = <T>(message: Record<string, unknown>): Promise<T> => {
		if (dead) return Promise.reject(dead);
		const id = next++;
		return new Promise<T>((resolve, reject) => {
			waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
			worker.postMessage({ ...message, id });
		});
	};
	return {
		all: (sql, args = []) => call<unknown[][]>({ op: 'all', sql, args }),
		batch: async (statements, { timing = false } = {}) => {
			const r = await call<number[][] | undefined>({ op: 'batch', statements, timing });
			return timing ? r![0]! : undefined;
		},
		append: (prefix, width, values, per = 50) => call<void>({ op: 'append', prefix, width, values, per: Math.max(1, Math.min(per, Math.floor(32_766 / width))) }),
		exec: (sql) => call<void>({ op: 'exec', sql }),
		async close() {
			if (!dead) await call({ op: 'close' }).catch(() => undefined);
			await worker.terminate();
		}
	};
}

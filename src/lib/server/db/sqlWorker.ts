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
	 * VALUES, `chunk` the rows column by column (see AppendChunk). The rows go `per` to a statement
	 * (measured: binding is most of a staged row's cost, and a statement of 50 rows costs a third
	 * less a row than 50 statements); the values travel as one flat array (one object to copy
	 * between the threads instead of one per row).
	 */
	append(prefix: string, chunk: AppendChunk, per?: number): Promise<void>;
	/** A statement outside any transaction (a PRAGMA). */
	exec(sql: string): Promise<void>;
	close(): Promise<void>;
}

/**
 * Rows to append, as their columns: a column NULL in every row of the chunk is written as a NULL
 * literal, one holding the same value in every row is bound once per statement (a numbered
 * parameter every row of the statement shares), and only the other columns' values are bound row
 * by row. Measured on a generated CSV (21 staged columns, 6 of them varying): 2 us a row of
 * CPU on the database thread against 5 us with every value bound, and a third of the values to
 * copy between the threads.
 */
export interface AppendChunk {
	rows: number;
	/** Per column: -1 NULL in every row, k > 0 the k-th of `consts` in every row, 0 varying. */
	layout: number[];
	consts: Arg[];
	/** The varying columns' values, row after row. */
	values: Arg[];
}

/** A chunk of rows (each `width` values) as an AppendChunk. */
export function appendChunk(rows: readonly (readonly Arg[])[]): AppendChunk {
	const first = rows[0];
	if (!first) return { rows: 0, layout: [], consts: [], values: [] };
	const width = first.length;
	const layout: number[] = [];
	const consts: Arg[] = [];
	const varying: number[] = [];
	for (let j = 0; j < width; j++) {
		const v = first[j];
		let same = true;
		for (let i = 1; i < rows.length; i++) {
			if (rows[i]![j] !== v) {
				same = false;
				break;
			}
		}
		if (!same) {
			layout.push(0);
			varying.push(j);
		} else if (v === null || v === undefined) layout.push(-1);
		else {
			consts.push(v);
			layout.push(consts.length);
		}
	}
	const values: Arg[] = new Array(rows.length * varying.length);
	let k = 0;
	for (const r of rows) for (const j of varying) values[k++] = r[j] ?? null;
	return { rows: rows.length, layout, consts, values };
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.binding);
const db = new Database(workerData.file, { timeout: workerData.timeout });
// A larger page cache for this connection alone: a bulk insert maintains several indexes, and
// with SQLite's default 2 MB their pages are read and written back over and over.
db.pragma('cache_size = ' + (-workerData.cacheKib));
// The statements of 'append' (a staging insert of n rows at once, by the chunk's layout: see
// AppendChunk), prepared once each.
const appends = new Map();
const appendOf = (prefix, layout, consts, n) => {
	const key = n + ' ' + layout.join(',') + ' ' + prefix;
	let st = appends.get(key);
	if (!st) {
		let p = consts;
		const rows = [];
		for (let r = 0; r < n; r++) rows.push('(' + layout.map((k) => (k < 0 ? 'NULL' : k > 0 ? '?' + k : '?' + ++p)).join(', ') + ')');
		st = db.prepare(prefix + ' VALUES ' + rows.join(', '));
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
			const { prefix, layout, consts, values, per } = m;
			let width = 0;
			for (const k of layout) if (k === 0) width++;
			const rows = m.rows;
			const args = (from, to) => (consts.length ? consts.concat(values.slice(from * width, to * width)) : values.slice(from * width, to * width));
			inTransaction(() => {
				let i = 0;
				const full = appendOf(prefix, layout, consts.length, per);
				for (; i + per <= rows; i += per) full.run(args(i, i + per));
				if (i < rows) appendOf(prefix, layout, consts.length, rows - i).run(args(i, rows));
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
		append: (prefix, { rows, layout, consts, values }, per) => {
			const width = layout.filter((k) => k === 0).length;
			// About 1,000 bound values a statement (measured: 200 rows of 6 values cost a third less a row than 50).
			const n = Math.max(1, Math.min(per ?? Math.max(50, Math.floor(1200 / Math.max(1, width))), Math.floor((32_766 - consts.length) / Math.max(1, width)), 500));
			return call<void>({ op: 'append', prefix, layout, consts, values, rows, per: n });
		},
		exec: (sql) => call<void>({ op: 'exec', sql }),
		async close() {
			if (!dead) await call({ op: 'close' }).catch(() => undefined);
			await worker.terminate();
		}
	};
}

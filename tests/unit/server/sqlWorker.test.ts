import Database from 'libsql';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendChunk, openSqlWorker, type SqlWorker } from '../../../src/lib/server/db/sqlWorker';

describe('openSqlWorker (a database connection on a thread of its own)', () => {
	let dir: string;
	let file: string;
	let worker: SqlWorker;
	beforeEach(() => {
		dir = mkdtempSync(join(tmpdir(), 'stance-sqlworker-'));
		file = join(dir, 'w.db');
		const db = new Database(file);
		db.exec("PRAGMA journal_mode = WAL; CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
		db.close();
		worker = openSqlWorker(file);
	});
	afterEach(async () => {
		await worker.close();
		rmSync(dir, { recursive: true, force: true });
	});

	it('runs a batch in one transaction, with numbered and plain parameters, and reads rows as arrays', async () => {
		await worker.batch([{ sql: 'INSERT INTO t (v) VALUES (?), (?)', args: ['a', 'b'] }, { sql: 'INSERT INTO t (v) SELECT ?1 || ?1', args: ['c'] }]);
		expect(await worker.all('SELECT id, v FROM t ORDER BY id')).toEqual([[1, 'a'], [2, 'b'], [3, 'cc']]);
	});

	it('runs a batch with a query in it (stepped to its end) and a DROP TABLE after it', async () => {
		await worker.batch(['CREATE TABLE scratch (x)', { sql: 'INSERT INTO scratch VALUES (1), (2)' }]);
		await worker.batch([{ sql: 'SELECT x FROM scratch' }, { sql: 'INSERT INTO t (v) SELECT x FROM scratch' }, 'DROP TABLE scratch']);
		expect(await worker.all('SELECT v FROM t ORDER BY v')).toEqual([['1'], ['2']]);
	});

	it('writes nothing of a batch when one of its statements fails, and names the failure', async () => {
		await worker.batch([{ sql: 'INSERT INTO t (v) VALUES (?)', args: ['kept'] }]);
		await expect(worker.batch([{ sql: 'INSERT INTO t (v) VALUES (?)', args: ['lost'] }, { sql: 'INSERT INTO t (v) VALUES (NULL)' }])).rejects.toThrow(/NOT NULL/);
		// The thread still works, and another connection sees only the first batch.
		expect(await worker.all('SELECT v FROM t')).toEqual([['kept']]);
		const other = new Database(file);
		expect(other.prepare('SELECT v FROM t').raw(true).all()).toEqual([['kept']]);
		other.close();
	});

	it('appends rows as they were given: columns NULL or the same in every row, varying ones, one row, several statements', async () => {
		await worker.batch(['CREATE TABLE s (seq INTEGER PRIMARY KEY, a, b, c, d)']);
		const rows = Array.from({ length: 7 }, (_, i) => [i % 2 ? 'odd' : null, 'same', null, i === 3 ? 'x' : 'same']);
		const chunk = appendChunk(rows);
		// a varies (null and text), b is one value, c is NULL throughout, d varies in one row.
		expect(chunk.layout).toEqual([0, 1, -1, 0]);
		expect(chunk.consts).toEqual(['same']);
		expect(chunk.values).toHaveLength(14);
		// Three rows a statement: two full statements and one of the last row.
		await worker.append('INSERT INTO s (a, b, c, d)', chunk, 3);
		await worker.append('INSERT INTO s (a, b, c, d)', appendChunk([[1.5, 2, null, 'one row']]));
		// Texts of every kind (empty, accented, astral), numbers, bigints and NULLs, each in its place.
		const mixed = [
			['', -0.25, 'é', 2n ** 62n],
			['São Tomé 🎉', 2 ** 53 - 1, null, 'x'],
			[null, 0, '', 7n]
		];
		await worker.append('INSERT INTO s (a, b, c, d)', appendChunk(mixed));
		expect(await worker.all('SELECT a, b, c, d FROM s ORDER BY seq')).toEqual([
			...rows,
			[1.5, 2, null, 'one row'],
			['', -0.25, 'é', 2 ** 62],
			['São Tomé 🎉', 2 ** 53 - 1, null, 'x'],
			[null, 0, '', 7]
		]);
		expect(await worker.all("SELECT typeof(d) FROM s WHERE a = ''")).toEqual([['integer']]);
	});

	it('refuses calls after it was closed', async () => {
		await worker.close();
		await expect(worker.all('SELECT 1')).rejects.toThrow(/ended/);
	});
});

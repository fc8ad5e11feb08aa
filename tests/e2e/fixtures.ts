/**
 * The end-to-end test fixtures: every spec file gets a server and a database of its own.
 *
 * Write specs with these instead of @playwright/test's:
 *
 *     import { expect, test } from './fixtures';
 *
 *     test('…', async ({ page, request, server }) => { … });
 *
 * - The first test (or hook) of a spec file starts a production server (the build made once per
 *   run by tests/tools/e2e-setup.mjs into tests/.tmp/build) on a fresh database file, which it
 *   migrates and seeds with the demo dataset. `baseURL` (so `page.goto('/x')`, `request` and
 *   `browser.newContext()`) points at it. The server stops when the file is done: no spec sees
 *   another's writes, sessions or login throttle, and the order of spec files does not matter.
 * - `server` is that server: `server.baseURL`, `server.dbPath` (the SQLite file; open it with
 *   `server.query(sql, args)`), `server.rowCounts()`, `server.addUser(email, role, password)`
 *   (through the CLI, as an operator would) and `server.logPath` (its output, for debugging).
 * - Settings: `test.use({ serverEnv: { REQUIRE_LOGIN: 'true' } })` at the top of a file (or in a
 *   `test.describe`) runs that file's server with extra environment variables. The server never
 *   inherits DATABASE_URL, REQUIRE_LOGIN, SEED_DEMO, NODE_OPTIONS or anything else of the shell
 *   that runs the tests: only what the fixtures (and `serverEnv`) give it. A value of `undefined`
 *   removes one of the defaults (ORIGIN). BODY_SIZE_LIMIT is left at the production default.
 * - `startServer({ env, dbPath })` starts one more server during a test: with `dbPath` on an
 *   existing database (say, `server.dbPath` for two processes on one file, or a database you made),
 *   else on a fresh one. It stops with the spec file, or earlier with `await s.stop()`.
 * - Ports come from E2E_PORT (default 4173): worker N uses E2E_PORT+1+4N .. E2E_PORT+4+4N, so runs
 *   with different E2E_PORT values do not clash. At most 4 servers at once per worker.
 * - A test must not depend on another test of its file having run: create what you need in the
 *   test itself or in `beforeAll`. After a failure Playwright restarts the worker, and the rest of
 *   the file then runs on a fresh server and database.
 * - Before typing into a page loaded with `page.goto`, wait for hydration: use `open(page, path)`
 *   from ./helpers (or `hydrated(page)` after a reload).
 */
import { test as base, expect } from '@playwright/test';
import { createClient, type InValue, type Row } from '@libsql/client';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { cleanEnv, E2E_DATA_DIR, E2E_PORT } from '../tools/e2e-paths.mjs';

export { expect };

export type Role = 'viewer' | 'editor' | 'admin';
export type ServerEnv = Record<string, string | undefined>;

export interface ServerOptions {
	/** Extra environment variables (REQUIRE_LOGIN, SEED_DEMO, ...); `undefined` removes a default. */
	env?: ServerEnv;
	/** Serve this existing database file instead of a fresh one (it is neither emptied nor deleted). */
	dbPath?: string;
}

export interface E2EServer {
	baseURL: string;
	port: number;
	/** The SQLite file the server uses. */
	dbPath: string;
	/** The server's stdout and stderr. */
	logPath: string;
	/** Runs one SQL statement on the server's database file (another connection; WAL or not). */
	query(sql: string, args?: InValue[]): Promise<Row[]>;
	/** Row counts of the tables a write could touch: a refused write leaves them all alone. */
	rowCounts(): Promise<Record<string, number>>;
	/** Adds a user with the CLI; the password goes through the environment, never the command line. */
	addUser(email: string, role: Role, password: string): Promise<void>;
	stop(): Promise<void>;
	/** Kills the server with SIGKILL (a crash: no clean-up of its own) and waits until it is gone. */
	kill(): Promise<void>;
}

const SLOTS_PER_WORKER = 4;
const execFileP = promisify(execFile);
const TSX = resolve('node_modules/.bin/tsx');

class Servers {
	private running = new Map<string, { server: E2EServer; file: string }>();
	private busy = new Set<number>();
	private file = '';
	private count = 0;

	constructor(private readonly parallelIndex: number) {}

	/** Stops every server of earlier spec files when a new one begins. */
	async enterFile(file: string): Promise<void> {
		if (file === this.file) return;
		this.file = file;
		for (const r of [...this.running.values()]) if (r.file !== file) await r.server.stop();
	}

	/** The spec file's own server for these settings, started on first use. */
	async forFile(file: string, env: ServerEnv): Promise<E2EServer> {
		await this.enterFile(file);
		const key = `${file}\n${JSON.stringify(env)}`;
		const found = this.running.get(key);
		if (found) return found.server;
		return this.start(file, { env }, key);
	}

	async start(file: string, options: ServerOptions, key?: string): Promise<E2EServer> {
		await this.enterFile(file);
		const n = this.count++;
		const id = key ?? `${file}\n#${n}`;
		const slot = [...Array(SLOTS_PER_WORKER).keys()].find((s) => !this.busy.has(s));
		if (slot === undefined) throw new Error(`more than ${SLOTS_PER_WORKER} e2e servers at once in one worker`);
		this.busy.add(slot);
		const port = E2E_PORT + 1 + this.parallelIndex * SLOTS_PER_WORKER + slot;
		const name = `${basename(file).replace(/\.spec\.ts$/, '')}-w${this.parallelIndex}-${n}`;
		try {
			const server = await launch({ port, name, ...options }, async () => {
				this.busy.delete(slot);
				this.running.delete(id);
			});
			this.running.set(id, { server, file });
			return server;
		} catch (e) {
			this.busy.delete(slot);
			throw e;
		}
	}

	async stopAll(): Promise<void> {
		for (const r of [...this.running.values()]) await r.server.stop();
	}
}

async function launch(
	{ port, name, env = {}, dbPath }: ServerOptions & { port: number; name: string },
	onStop: () => Promise<void>
): Promise<E2EServer> {
	mkdirSync(E2E_DATA_DIR, { recursive: true });
	const db = dbPath ? resolve(dbPath) : join(E2E_DATA_DIR, `${name}.db`);
	if (!dbPath) for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(db + suffix, { force: true });
	const logPath = join(E2E_DATA_DIR, `${name}.log`);
	rmSync(logPath, { force: true });
	const baseURL = `http://127.0.0.1:${port}`;
	const merged: ServerEnv = {
		...cleanEnv(),
		NODE_ENV: 'production',
		DATABASE_URL: `file:${db}`,
		HOST: '127.0.0.1',
		PORT: String(port),
		ORIGIN: baseURL,
		...env
	};
	const childEnv = Object.fromEntries(Object.entries(merged).filter((e): e is [string, string] => e[1] !== undefined));

	let child: ChildProcess | null = null;
	let exited: Promise<void> = Promise.resolve();
	const deadline = Date.now() + 60_000;
	// A port still held by a server of a worker that just died frees up within moments: retry.
	for (let attempt = 0; ; attempt++) {
		const log = openSync(logPath, 'a');
		child = spawn(process.execPath, [resolve('tests/tools/e2e-server.mjs')], { env: childEnv, stdio: ['ignore', log, log, 'ipc'] });
		closeSync(log);
		const c = child;
		exited = new Promise((r) => c.once('exit', () => r()));
		const ready = await waitUntilAnswering(baseURL, c, deadline);
		if (ready === 'ok') break;
		const text = existsSync(logPath) ? readFileSync(logPath, 'utf8') : '';
		if (ready === 'exited' && text.includes('EADDRINUSE') && attempt < 20 && Date.now() < deadline) {
			await new Promise((r) => setTimeout(r, 250));
			continue;
		}
		c.kill('SIGKILL');
		await exited;
		throw new Error(`the e2e server on port ${port} did not start (${ready}). Its log, ${logPath}:\n${text.slice(-3000)}`);
	}

	const proc = child;
	let stopped = false;
	const server: E2EServer = {
		baseURL,
		port,
		dbPath: db,
		logPath,
		query: (sql, args = []) => query(db, sql, args),
		rowCounts: () => rowCounts(db),
		addUser: (email, role, password) => addUser(db, email, role, password),
		async stop() {
			if (stopped) return;
			stopped = true;
			if (proc.exitCode === null && proc.signalCode === null) {
				proc.kill('SIGTERM');
				const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
				await exited;
				clearTimeout(timer);
			}
			await onStop();
		},
		async kill() {
			if (stopped) return;
			stopped = true;
			if (proc.exitCode === null && proc.signalCode === null) {
				proc.kill('SIGKILL');
				await exited;
			}
			await onStop();
		}
	};
	return server;
}

/** Polls until the server answers HTTP (any status: a REQUIRE_LOGIN server answers 401). */
async function waitUntilAnswering(baseURL: string, child: ChildProcess, deadline: number): Promise<'ok' | 'exited' | 'timed out'> {
	while (Date.now() < deadline) {
		if (child.exitCode !== null || child.signalCode !== null) return 'exited';
		try {
			const r = await fetch(`${baseURL}/api/issues`, { signal: AbortSignal.timeout(2000) });
			await r.body?.cancel();
			if (r.status < 500) return 'ok';
		} catch {
			// Not listening yet.
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	return 'timed out';
}

async function query(dbPath: string, sql: string, args: InValue[]): Promise<Row[]> {
	const client = createClient({ url: `file:${dbPath}`, timeout: 5000 });
	try {
		return (await client.execute({ sql, args })).rows;
	} finally {
		client.close();
	}
}

const WRITABLE_TABLES = ['actor', 'issue', 'scale_label', 'stance_event', 'source', 'change', 'user', 'api_token'];

async function rowCounts(dbPath: string): Promise<Record<string, number>> {
	const rows = await query(dbPath, `select ${WRITABLE_TABLES.map((t) => `(select count(*) from "${t}") as "${t}"`).join(', ')}`, []);
	return Object.fromEntries(WRITABLE_TABLES.map((t) => [t, Number(rows[0]![t])]));
}

async function addUser(dbPath: string, email: string, role: Role, password: string): Promise<void> {
	await execFileP(TSX, ['src/cli/index.ts', 'user', 'add', email, '--role', role], {
		env: { ...cleanEnv(), DATABASE_URL: `file:${dbPath}`, STANCE_PASSWORD: password }
	});
}

interface TestFixtures {
	/** Extra environment of this spec file's server: `test.use({ serverEnv: { REQUIRE_LOGIN: 'true' } })`. */
	serverEnv: ServerEnv;
	/** This spec file's server (started on first use, stopped after the file). */
	server: E2EServer;
	/** Starts one more server (stopped after the spec file, or by `stop()`). */
	startServer: (options?: ServerOptions) => Promise<E2EServer>;
}

interface WorkerFixtures {
	_servers: Servers;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
	_servers: [
		async ({}, use, workerInfo) => {
			const servers = new Servers(workerInfo.parallelIndex);
			await use(servers);
			await servers.stopAll();
		},
		{ scope: 'worker' }
	],
	serverEnv: [{}, { option: true }],
	server: [
		async ({ _servers, serverEnv }, use, testInfo) => {
			const server = await _servers.forFile(testInfo.file, serverEnv);
			await use(server);
			// A failed test carries the server's output in its report.
			if (testInfo.status !== testInfo.expectedStatus && existsSync(server.logPath)) {
				await testInfo.attach('server log', { path: server.logPath, contentType: 'text/plain' });
			}
		},
		// Starting a server (migrating and seeding its database) is not the test's time.
		{ timeout: 60_000 }
	],
	baseURL: async ({ server }, use) => {
		await use(server.baseURL);
	},
	startServer: async ({ _servers }, use, testInfo) => {
		const started: E2EServer[] = [];
		await use(async (options = {}) => {
			const server = await _servers.start(testInfo.file, options);
			started.push(server);
			return server;
		});
		if (testInfo.status !== testInfo.expectedStatus) {
			for (const [i, s] of started.entries()) {
				if (existsSync(s.logPath)) await testInfo.attach(`log of started server ${i + 1}`, { path: s.logPath, contentType: 'text/plain' });
			}
		}
	}
});

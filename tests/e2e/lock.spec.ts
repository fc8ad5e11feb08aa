/**
 * Another process holding the database (a `sqlite3` shell, a CLI import): the server answers every
 * request quickly, reads with 200 and writes with 200 or 503 + Retry-After (JSON for the API, a
 * readable page for a browser), and writes again the moment the lock is gone. Nothing is lost.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { expect, test, type E2EServer } from './fixtures';
import { logIn } from './accounts';
import { open } from './helpers';

const HOLD = resolve('tests/tools/hold-lock.mjs');
const EDITOR = { email: 'lock-editor@example.org', password: 'lock editor password 1' };
const TOKEN = 'st_locktestlocktestlocktestlocktest';
const auth = { Authorization: `Bearer ${TOKEN}` };

/** Another process takes an exclusive lock on the server's database; resolves once it holds it. */
async function holdLock(server: E2EServer) {
	const child = spawn(process.execPath, [HOLD, server.dbPath], { stdio: ['pipe', 'pipe', 'inherit'] });
	await new Promise<void>((r) => child.stdout.on('data', (d: Buffer) => d.toString().includes('locked') && r()));
	return {
		release: () =>
			new Promise<void>((r) => {
				child.on('exit', () => r());
				child.stdin.end('\n');
			})
	};
}

test.beforeAll(async ({ server }) => {
	await server.addUser(EDITOR.email, 'editor', EDITOR.password);
	// A write token, as the tokens page would make it (only its hash is stored).
	const [u] = await server.query('select id from user where email = ?', [EDITOR.email]);
	await server.query(
		"insert into api_token (user_id, name, token_hash, scope, created_at, expires_at) values (?, 'lock test', ?, 'write', ?, ?)",
		[Number(u!.id), createHash('sha256').update(TOKEN).digest('hex'), new Date().toISOString(), new Date(Date.now() + 86_400_000).toISOString()]
	);
});

test('an exclusive lock held for 8 s, five times: quick answers, writes again on release, nothing lost', async ({ request, server }) => {
	test.setTimeout(180_000);
	const created: number[] = [];
	let refused = 0;
	let slowest = 0;
	let n = 0;
	const timed = async (name: string, call: () => Promise<import('@playwright/test').APIResponse>) => {
		const start = Date.now();
		const r = await call();
		const ms = Date.now() - start;
		slowest = Math.max(slowest, ms);
		// Never a wait for the lock: every answer comes long before it is released.
		expect(ms, `${name} took ${ms} ms`).toBeLessThan(3000);
		return r;
	};
	const write = async () => {
		const r = await timed('POST /api/events', () =>
			request.post('/api/events', { headers: auth, data: { actor: 'colombia', issue: 'intelligence-sharing-us', date: '2025-10-01', position: 1, kind: 'statement', summary: `lock probe ${n++}`, sources: [{ outlet: 'Lock test' }] } })
		);
		if (r.status() === 201) created.push((await r.json()).id);
		else {
			expect(r.status()).toBe(503);
			expect(Number(r.headers()['retry-after'])).toBeGreaterThan(0);
			expect((await r.json()).error).toMatch(/busy/);
			refused++;
		}
		return r.status();
	};

	for (let cycle = 0; cycle < 5; cycle++) {
		const lock = await holdLock(server);
		const until = Date.now() + 8000;
		while (Date.now() < until) {
			// Reads, with and without a token (a token read needs no write), and a write, at once.
			const [issues, events, page] = await Promise.all([
				timed('GET /api/issues', () => request.get('/api/issues', { headers: auth })),
				timed('GET /api/events', () => request.get('/api/events?limit=5')),
				timed('GET /issues/…', () => request.get('/issues/intelligence-sharing-us', { headers: { Accept: 'text/html' } })),
				write()
			]);
			expect([issues.status(), events.status(), page.status()]).toEqual([200, 200, 200]);
		}
		await lock.release();
		// The first write after the release goes through.
		expect(await write()).toBe(201);
	}
	expect(refused).toBeGreaterThan(0);
	// Nothing lost, nothing extra: exactly the writes answered 201 are stored.
	const rows = await server.query("select id from stance_event where summary like 'lock probe %' order by id");
	expect(rows.map((r) => Number(r.id))).toEqual(created);
	console.log(`lock test: ${created.length} writes stored, ${refused} refused with 503, slowest answer ${slowest} ms`);
});

test('a browser sending a form while the database is locked gets a readable 503 page, and nothing is written', async ({ browser, server }) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await logIn(page, EDITOR.email, EDITOR.password);
	await open(page, '/edit/events/new?issue=intelligence-sharing-us');
	await page.getByLabel('Actor').selectOption({ label: 'Colombia' });
	await page.getByLabel('Date', { exact: true }).fill('2025-10-02');
	await page.getByLabel('Position').fill('1');
	await page.getByLabel('Summary').fill('Sent while the database was locked');
	await page.getByRole('group', { name: 'Source 1' }).getByLabel('Outlet').fill('Lock test');
	const before = await server.rowCounts();
	const lock = await holdLock(server);
	try {
		const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Save event' }).click()]);
		expect(response.status()).toBe(503);
		expect(response.headers()['retry-after']).toBeTruthy();
		await expect(page.getByRole('heading', { name: 'Busy for a moment' })).toBeVisible();
		await expect(page.getByText('Nothing was written')).toBeVisible();
	} finally {
		await lock.release();
	}
	expect(await server.rowCounts()).toEqual(before);
	await context.close();
});

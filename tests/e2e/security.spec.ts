import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { APIRequestContext } from '@playwright/test';
import { createClient, type InValue } from '@libsql/client';
import { cleanEnv, E2E_BUILD_DIR, E2E_DATA_DIR } from '../tools/e2e-paths.mjs';
import { expect, test, type E2EServer } from './fixtures';
import { RUN, apiSnapshot, bearer, createToken, eventBody, issueBody, logIn, open } from './accounts';

// Every refusal below also checks that nothing was written: the API's view and the row counts of
// every table a write could touch are the same before and after.
//
// Issue 8 (security findings 1 to 5), each with its tests here, titled "issue 8.N: …":
// 1. API tokens work only for /api and /export; pages and form actions ignore them (a read token
//    once created events, minted write tokens and made admins through the forms); writes made with
//    a token name it in the history.
// 2. /account/password is throttled like logging in; changing it can revoke the API tokens.
// 3. State-changing API requests must come from this site (or carry JSON, a token or a custom
//    header): a body-less cross-site DELETE with a cookie is refused.
// 4. A JSON body over the limit gets 413 naming it; `node build` and `npm start` share the limit.
// 5. Control characters and bidi overrides are refused in source URLs; invalid UTF-8 bodies get 400.

const PW = 'security password one';
const EDITOR = `sec-editor-${RUN}@example.org`;
const VIEWER = `sec-viewer-${RUN}@example.org`;
const THROTTLED = `sec-throttled-${RUN}@example.org`;
const ADMIN = `sec-admin-${RUN}@example.org`;
const PW_GUESSED = `sec-pw-guessed-${RUN}@example.org`;
const PW_REVOKER = `sec-pw-revoker-${RUN}@example.org`;
const ACTOR = `sec-land-${RUN}`;
const ISSUE = `sec-issue-${RUN}`;

/** Tokens of the security editor, made through the tokens page in beforeAll. */
let writeToken = '';
let readToken = '';

/** Runs `act` and expects it to leave the database and the API's view as they were. */
async function unchanged(server: E2EServer, request: APIRequestContext, act: () => Promise<void>): Promise<void> {
	const [counts, api] = [await server.rowCounts(), await apiSnapshot(request)];
	await act();
	expect(await server.rowCounts(), 'row counts').toEqual(counts);
	expect(await apiSnapshot(request), 'the API').toEqual(api);
}

test.beforeAll(async ({ browser, request, server }) => {
	test.setTimeout(120_000);
	await server.addUser(EDITOR, 'editor', PW);
	await server.addUser(VIEWER, 'viewer', PW);
	await server.addUser(THROTTLED, 'editor', PW);
	await server.addUser(ADMIN, 'admin', PW);
	await server.addUser(PW_GUESSED, 'viewer', PW);
	await server.addUser(PW_REVOKER, 'viewer', PW);
	const page = await browser.newPage();
	await logIn(page, EDITOR, PW);
	writeToken = await createToken(page, 'security write', 'write');
	readToken = await createToken(page, 'security read', 'read');
	await page.close();
	// An actor and an issue of our own to write events on.
	expect((await request.post('/api/actors', { headers: bearer(writeToken), data: { slug: ACTOR, name: 'Security Land', kind: 'country' } })).status()).toBe(201);
	expect((await request.post('/api/issues', { headers: bearer(writeToken), data: issueBody(ISSUE, `Security issue ${RUN}`) })).status()).toBe(201);
});

test('anonymous API writes are refused with 401', async ({ request, server }) => {
	await unchanged(server, request, async () => {
		const id = (await (await request.get('/api/events?limit=1')).json()).events[0].id;
		for (const r of [
			await request.post('/api/events', { data: eventBody(ACTOR, ISSUE) }),
			await request.patch(`/api/events/${id}`, { data: { version: 1, summary: 'Anonymous edit' } }),
			await request.delete(`/api/events/${id}`),
			await request.post('/api/actors', { data: { slug: `anon-${RUN}`, name: 'Anon', kind: 'group' } }),
			await request.patch('/api/actors/colombia', { data: { version: 1, name: 'Anonymous' } }),
			await request.delete('/api/issues/intelligence-sharing-us')
		]) {
			expect(r.status(), r.url()).toBe(401);
			expect((await r.json()).error).toContain('sign in');
		}
	});
});

/** A demo event's restore action: outside /edit, so only the action's own role check guards it. */
async function restorePath(request: APIRequestContext): Promise<string> {
	const id = (await (await request.get('/api/events?limit=1')).json()).events[0].id;
	return `/events/${id}?/restore`;
}

test('anonymous form posts to editing and admin actions are sent to log in, and write nothing', async ({ request, baseURL, server }) => {
	const restore = await restorePath(request);
	await unchanged(server, request, async () => {
		for (const path of ['/edit/events/new', '/admin/users?/create', '/account/tokens?/create', restore]) {
			const r = await request.post(path, {
				headers: { Origin: baseURL!, Accept: 'text/html' },
				form: { email: `anon-made-${RUN}@example.org`, role: 'admin', password: 'anonymous password', name: 'x', scope: 'write', expiresInDays: '30' },
				maxRedirects: 0
			});
			expect(r.status(), path).toBe(303);
			expect(r.headers()['location'], path).toMatch(/^\/login\?next=/);
		}
	});
});

test('viewer writes are refused with 403, by form and by API', async ({ page, baseURL, server }) => {
	await logIn(page, VIEWER, PW);
	const request = page.request; // carries the viewer's session cookie
	await unchanged(server, request, async () => {
		// Forms: editing and admin pages are not theirs; a viewer's token may only read.
		for (const path of ['/edit/events/new', '/admin/users?/create', await restorePath(request)]) {
			const r = await request.post(path, {
				headers: { Origin: baseURL!, Accept: 'text/html' },
				form: { email: `viewer-made-${RUN}@example.org`, role: 'admin', password: 'viewer made password' },
				maxRedirects: 0
			});
			expect(r.status(), path).toBe(403);
		}
		const write = await request.post('/account/tokens?/create', {
			headers: { Origin: baseURL!, Accept: 'text/html' },
			form: { name: 'sneaky', scope: 'write', expiresInDays: '30' },
			maxRedirects: 0
		});
		expect(write.status()).toBe(403);
		// API with the session cookie.
		const api = await request.post('/api/events', { headers: { Origin: baseURL! }, data: eventBody(ACTOR, ISSUE) });
		expect(api.status()).toBe(403);
		expect((await api.json()).error).toContain('editor role');
		expect((await request.delete(`/api/actors/${ACTOR}`, { headers: { Origin: baseURL! } })).status()).toBe(403);
	});
	// In the page, the scope offers read only.
	await open(page, '/account/tokens');
	await expect(page.getByLabel('Scope').getByRole('option')).toHaveText(['read']);
	await expect(page.getByText('As a viewer you can create read tokens only.')).toBeVisible();
});

test('a read-scoped token cannot write (403)', async ({ request, server }) => {
	await unchanged(server, request, async () => {
		const r = await request.post('/api/events', { headers: bearer(readToken), data: eventBody(ACTOR, ISSUE) });
		expect(r.status()).toBe(403);
		expect((await r.json()).error).toContain('read-only');
		expect((await request.delete(`/api/actors/${ACTOR}`, { headers: bearer(readToken) })).status()).toBe(403);
	});
	// It still reads.
	expect((await request.get('/api/events?limit=1', { headers: bearer(readToken) })).status()).toBe(200);
});

test('an expired token is refused (401)', async ({ browser, request, server }) => {
	const page = await browser.newPage();
	await logIn(page, EDITOR, PW);
	const token = await createToken(page, 'soon expired', 'write', 1);
	await page.close();
	// A day passes, in the database.
	await server.query(`update api_token set expires_at = ? where name = 'soon expired' and user_id = (select id from "user" where email = ?)`, [
		new Date(Date.now() - 1000).toISOString(),
		EDITOR
	]);
	await unchanged(server, request, async () => {
		const r = await request.post('/api/events', { headers: bearer(token), data: eventBody(ACTOR, ISSUE) });
		expect(r.status()).toBe(401);
		expect((await r.json()).error).toContain('expired');
	});
});

test('a revoked token is refused (401)', async ({ browser, request, server }) => {
	const page = await browser.newPage();
	await logIn(page, EDITOR, PW);
	const token = await createToken(page, 'to revoke', 'write');
	expect((await request.get('/api/issues', { headers: bearer(token) })).status()).toBe(200);
	await page.getByRole('button', { name: 'Revoke to revoke' }).click();
	await expect(page.getByRole('row').filter({ hasText: 'to revoke' })).toContainText('Revoked');
	await page.close();
	await unchanged(server, request, async () => {
		expect((await request.post('/api/events', { headers: bearer(token), data: eventBody(ACTOR, ISSUE) })).status()).toBe(401);
	});
	// A made-up token and a token not sent as Bearer are refused too.
	expect((await request.post('/api/events', { headers: bearer('st_madeup'), data: eventBody(ACTOR, ISSUE) })).status()).toBe(401);
	expect((await request.post('/api/events', { headers: { Authorization: `Token ${writeToken}` }, data: eventBody(ACTOR, ISSUE) })).status()).toBe(401);
});

test('a form post with a foreign Origin is refused (403), even with a valid session', async ({ page, server }) => {
	await logIn(page, EDITOR, PW);
	const request = page.request;
	await unchanged(server, request, async () => {
		for (const [path, form] of [
			['/account/tokens?/create', { name: 'cross-site', scope: 'write', expiresInDays: '30' }],
			['/edit/events/new', { summary: 'cross-site' }],
			['/login', { email: EDITOR, password: PW }],
			['/logout', {}]
		] as const) {
			const r = await request.post(path, { headers: { Origin: 'https://evil.example', Accept: 'text/html' }, form, maxRedirects: 0 });
			expect(r.status(), path).toBe(403);
			expect(await r.text(), path).toContain('Cross-site POST form submissions are forbidden');
		}
	});
	// The session survived the forged logout.
	await page.reload();
	await expect(page.getByRole('banner').getByRole('link', { name: EDITOR })).toBeVisible();
});

test('a JSON endpoint given form data is refused with 415, even same-origin with a session', async ({ page, baseURL, server }) => {
	await logIn(page, EDITOR, PW);
	const request = page.request;
	const same = { Origin: baseURL! };
	await unchanged(server, request, async () => {
		const body = { actor: ACTOR, issue: ISSUE, date: '2025-10-01', position: '1', kind: 'statement', summary: 'form data' };
		for (const r of [
			await request.post('/api/events', { headers: same, form: body }),
			await request.post('/api/events', { headers: same, multipart: body }),
			await request.post('/api/events', { headers: { ...same, 'Content-Type': 'text/plain' }, data: JSON.stringify(eventBody(ACTOR, ISSUE)) }),
			await request.post('/api/events', { headers: { ...same, ...bearer(writeToken) }, form: body })
		]) {
			expect(r.status()).toBe(415);
			expect((await r.json()).error).toContain('application/json');
		}
	});
});

test('a quote of <script>alert(1)</script> is stored and shown as text', async ({ page, request }) => {
	const quote = '<script>alert(1)</script>';
	const summary = `<img src=x onerror=alert(2)> summary ${RUN}`;
	const r = await request.post('/api/events', { headers: bearer(writeToken), data: eventBody(ACTOR, ISSUE, { quote, summary }) });
	expect(r.status()).toBe(201);
	const stored = await r.json();
	expect(stored).toMatchObject({ quote, summary });
	expect((await (await request.get(`/api/events/${stored.id}`)).json()).quote).toBe(quote);

	let dialogs = 0;
	page.on('dialog', async (d) => {
		dialogs++;
		await d.dismiss();
	});
	const violations: string[] = [];
	page.on('console', (m) => {
		if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
	});
	await open(page, `/issues/${ISSUE}`);
	await expect(page.getByRole('table').getByText(quote)).toBeVisible();
	await expect(page.getByRole('table').getByText(summary)).toBeVisible();
	// Shown as text: no script or img element came from it, and nothing ran.
	expect(await page.locator('script', { hasText: 'alert(1)' }).count()).toBe(0);
	expect(await page.locator('img[src="x"]').count()).toBe(0);
	await page.waitForLoadState('networkidle');
	expect(dialogs).toBe(0);
	expect(violations).toEqual([]);
});

test("an actor named Robert'); DROP TABLE actor;-- is stored literally and the actor table still works", async ({ request, server }) => {
	const name = "Robert'); DROP TABLE actor;--";
	const slug = `robert-tables-${RUN}`;
	const before = (await (await request.get('/api/actors')).json()).length;
	const r = await request.post('/api/actors', { headers: bearer(writeToken), data: { slug, name, kind: 'person', role: "'; DELETE FROM user; --" } });
	expect(r.status()).toBe(201);
	const back = await (await request.get(`/api/actors/${slug}`)).json();
	expect(back).toMatchObject({ slug, name, role: "'; DELETE FROM user; --" });
	const all = await request.get('/api/actors');
	expect(all.status()).toBe(200);
	const list: { slug: string }[] = await all.json();
	expect(list).toHaveLength(before + 1);
	expect(list.map((a) => a.slug)).toContain('colombia');
	expect(Number((await server.query('select count(*) as n from "user"'))[0]!.n)).toBeGreaterThan(0);
	// And the query side: a filter value full of SQL is just an unknown slug, or a malformed one.
	expect((await request.get(`/api/events?actor=${encodeURIComponent("colombia' OR '1'='1")}`)).status()).toBe(400);
});

test('20 wrong passwords on one account are throttled; then even the right password is refused', async ({ request, baseURL }) => {
	const login = (password: string) =>
		request.post('/login', { headers: { Origin: baseURL!, Accept: 'text/html' }, form: { email: THROTTLED, password }, maxRedirects: 0 });
	const statuses: number[] = [];
	for (let i = 0; i < 20; i++) {
		const r = await login(`wrong password ${i}`);
		statuses.push(r.status());
		const text = await r.text();
		if (r.status() === 429) expect(text).toMatch(/Too many failed attempts\. Try again in \d+ minutes?\./);
		else expect(text).toContain('That email and password do not match an active account.');
	}
	// The account is refused after 5 failures; refused attempts are not counted against the address,
	// so this test costs the other tests' logins from 127.0.0.1 only 5 failures of the 20 allowed.
	expect(statuses.slice(0, 5)).toEqual([400, 400, 400, 400, 400]);
	expect(new Set(statuses.slice(5))).toEqual(new Set([429]));
	const right = await login(PW);
	expect(right.status()).toBe(429);
	expect(await right.text()).toContain('Try again in');
	expect(right.headers()['set-cookie'] ?? '').not.toContain('session=');
	// Other accounts still log in from this address.
	const other = await request.post('/login', { headers: { Origin: baseURL!, Accept: 'text/html' }, form: { email: EDITOR, password: PW }, maxRedirects: 0 });
	expect(other.status()).toBe(303);
});

test('a 100 KB quote and a NUL byte in a summary are refused with 400 naming the field', async ({ request, server }) => {
	await unchanged(server, request, async () => {
		const big = await request.post('/api/events', { headers: bearer(writeToken), data: eventBody(ACTOR, ISSUE, { quote: 'x'.repeat(100 * 1024) }) });
		expect(big.status()).toBe(400);
		expect((await big.json()).fields).toContainEqual({ field: 'quote', message: 'must be at most 5000 characters' });
		const nul = await request.post('/api/events', { headers: bearer(writeToken), data: eventBody(ACTOR, ISSUE, { summary: 'before\u0000after' }) });
		expect(nul.status()).toBe(400);
		expect((await nul.json()).fields).toContainEqual({ field: 'summary', message: 'must not contain control characters such as NUL' });
		const nulName = await request.post('/api/actors', { headers: bearer(writeToken), data: { slug: `nul-${RUN}`, name: 'a\u0000b', kind: 'group' } });
		expect(nulName.status()).toBe(400);
		expect((await nulName.json()).fields.map((f: { field: string }) => f.field)).toEqual(['name']);
	});
});

test('pages carry a CSP that allows their own inline scripts by hash, and the usual security headers', async ({ request }) => {
	// Hashes rather than nonces: anonymous pages are served from a cache, and a nonce must never be reused.
	for (const path of ['/', '/login', `/issues/${ISSUE}`]) {
		const r = await request.get(path);
		const h = r.headers();
		const csp = h['content-security-policy'] ?? '';
		const scriptSrc = /script-src([^;]*)/.exec(csp)?.[1] ?? '';
		expect(scriptSrc, `${path}: ${csp}`).toMatch(/'sha256-/);
		expect(scriptSrc).not.toContain("'nonce-");
		expect(csp).toContain("object-src 'none'");
		expect(csp).toContain("frame-ancestors 'none'");
		expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
		// Every inline script of the page is allowed by its hash.
		const html = await r.text();
		const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)].filter((m) => !/\bsrc=/.test(m[1]!) && !/type="application\/json"/.test(m[1]!));
		expect(scripts.length).toBeGreaterThan(0);
		for (const m of scripts) expect(scriptSrc, path).toContain(`'sha256-${createHash('sha256').update(m[2]!).digest('base64')}'`);
		expect(h['x-content-type-options']).toBe('nosniff');
		expect(h['x-frame-options']).toBe('DENY');
		expect(h['referrer-policy']).toBe('strict-origin-when-cross-origin');
	}
});

test('the session cookie is HttpOnly and SameSite=Lax, and logging out ends the session', async ({ page, context }) => {
	await logIn(page, EDITOR, PW);
	const cookie = (await context.cookies()).find((c) => c.name === 'session');
	expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
	// Not readable by scripts of the page.
	expect(await page.evaluate(() => document.cookie)).not.toContain('session=');
	// The account pages are not kept in caches.
	const r = await page.request.get('/account/tokens');
	expect(r.headers()['cache-control']).toBe('no-store');
	// Logging out deletes the session on the server: the old cookie no longer works.
	await page.getByRole('button', { name: 'Log out' }).click();
	await expect(page.getByRole('banner').getByRole('link', { name: 'Log in' })).toBeVisible();
	await context.addCookies([cookie!]);
	await page.goto('/account/tokens');
	await expect(page).toHaveURL(/\/login/);
});

test('after logging in, ?next= only leads to pages of this site', async ({ request, baseURL }) => {
	for (const [next, expected] of [
		['/\\evil.example/x', '/'],
		['//evil.example/x', '/'],
		['https://evil.example/', '/'],
		['/\t/evil.example', '/'],
		['/compare?actors=colombia', '/compare?actors=colombia']
	] as const) {
		const r = await request.post(`/login?next=${encodeURIComponent(next)}`, {
			headers: { Origin: baseURL!, Accept: 'text/html' },
			form: { email: EDITOR, password: PW },
			maxRedirects: 0
		});
		expect(r.status(), next).toBe(303);
		expect(r.headers()['location'], next).toBe(expected);
	}
});

// ---------------------------------------------------------------------------------------------
// Issue 8, findings 1 to 5.

const FORM_POSTS = (viewerId: string) =>
	[
		['/edit/events/new', { actor: ACTOR, issue: ISSUE, date: '2025-10-02', datePrecision: 'day', position: '1', kind: 'statement', confidence: 'medium', summary: `Made with a read token ${RUN}`, 'sources.0.outlet': 'Token outlet' }],
		['/account/tokens?/create', { name: 'minted by a read token', scope: 'write', expiresInDays: '30' }],
		['/admin/users?/role', { id: viewerId, role: 'admin' }],
		['/admin/users?/create', { email: `token-made-${RUN}@example.org`, name: 'Token made', role: 'admin', password: 'made by a read token' }]
	] as const;

test('issue 8.1: a read token on form actions (new event, new token, role, new user) is ignored and writes nothing', async ({ browser, request, baseURL, server }) => {
	const page = await browser.newPage();
	await logIn(page, ADMIN, PW);
	const adminRead = await createToken(page, 'admin read', 'read');
	await page.close();
	const viewerId = String((await server.query('select id from "user" where email = ?', [VIEWER]))[0]!.id);
	await unchanged(server, request, async () => {
		// Alone, the token is no credential for a page: sent to log in, as anyone without a session.
		for (const [path, form] of FORM_POSTS(viewerId)) {
			const r = await request.post(path, { headers: { ...bearer(adminRead), Origin: baseURL!, Accept: 'text/html' }, form, maxRedirects: 0 });
			expect(r.status(), path).toBe(303);
			expect(r.headers()['location'], path).toMatch(/^\/login\?next=/);
		}
	});
	// With a viewer's session, the admin's token adds nothing: the viewer is refused.
	const viewer = await browser.newPage();
	await logIn(viewer, VIEWER, PW);
	await unchanged(server, request, async () => {
		for (const [path, form] of FORM_POSTS(viewerId)) {
			const r = await viewer.request.post(path, { headers: { ...bearer(adminRead), Origin: baseURL!, Accept: 'text/html' }, form, maxRedirects: 0 });
			expect(r.status(), path).toBe(403);
		}
	});
	await viewer.close();
	expect((await server.query('select role from "user" where email = ?', [VIEWER]))[0]!.role).toBe('viewer');
	// Where tokens count, it still reads.
	expect((await request.get('/api/events?limit=1', { headers: bearer(adminRead) })).status()).toBe(200);
	expect((await request.get(`/export/data.csv?issue=${ISSUE}`, { headers: bearer(adminRead) })).status()).toBe(200);
});

test('issue 8.1: a write made with a token names the token in the history', async ({ page, request, server }) => {
	const r = await request.post('/api/events', { headers: bearer(writeToken), data: eventBody(ACTOR, ISSUE, { summary: `Token history ${RUN}` }) });
	expect(r.status()).toBe(201);
	const { id } = await r.json();
	const [token] = await server.query(`select t.id from api_token t join "user" u on u.id = t.user_id where t.name = 'security write' and u.email = ?`, [EDITOR]);
	const rows = await server.query(`select action, via, token_id, user_id from change where entity = 'event' and entity_id = ?`, [id]);
	expect(rows.map((c) => ({ ...c }))).toEqual([{ action: 'create', via: 'api', token_id: token!.id, user_id: expect.any(Number) }]);
	// The event's history says so too.
	await logIn(page, EDITOR, PW);
	await page.goto(`/events/${id}`);
	await expect(page.getByText(`(token ${token!.id})`)).toBeVisible();
});

test('issue 8.2: guessing the current password at /account/password is throttled like logging in', async ({ page, request, baseURL, server }) => {
	await logIn(page, PW_GUESSED, PW);
	const change = (current: string) =>
		page.request.post('/account/password', {
			headers: { Origin: baseURL!, Accept: 'text/html' },
			form: { current, next: 'a brand new password', repeat: 'a brand new password' },
			maxRedirects: 0
		});
	for (let i = 0; i < 5; i++) {
		const r = await change(`guess number ${i}`);
		expect(r.status()).toBe(400);
		expect(await r.text()).toContain('is not your current password');
	}
	// The sixth try is refused however right it is, and the password stays.
	const right = await change(PW);
	expect(right.status()).toBe(429);
	expect(await right.text()).toMatch(/Too many failed attempts\. Try again in \d+ minutes?\./);
	// The page says so beside the form.
	await open(page, '/account/password');
	await page.getByLabel('Current password').fill(PW);
	await page.getByLabel('New password (10 characters or more)').fill('a brand new password');
	await page.getByLabel('New password again').fill('a brand new password');
	await page.getByRole('button', { name: 'Change password' }).click();
	await expect(page.getByRole('alert')).toContainText('Too many failed attempts');
	// Same budget as logging in: that account cannot log in now either, even with its password.
	const login = await request.post('/login', { headers: { Origin: baseURL!, Accept: 'text/html' }, form: { email: PW_GUESSED, password: PW }, maxRedirects: 0 });
	expect(login.status()).toBe(429);
});

test('issue 8.2: changing the password with "Also revoke my API tokens" revokes them', async ({ page, request, server }) => {
	await logIn(page, PW_REVOKER, PW);
	const token = await createToken(page, 'to be revoked with the password', 'read');
	expect((await request.get('/api/issues', { headers: bearer(token) })).status()).toBe(200);
	await open(page, '/account/password');
	await page.getByLabel('Current password').fill(PW);
	await page.getByLabel('New password (10 characters or more)').fill('the revoking password');
	await page.getByLabel('New password again').fill('the revoking password');
	await page.getByLabel('Also revoke my API tokens').check();
	await page.getByRole('button', { name: 'Change password' }).click();
	await expect(page.getByRole('status')).toHaveText('Password changed. 1 API token was revoked.');
	expect((await request.get('/api/issues', { headers: bearer(token) })).status()).toBe(401);
	await open(page, '/account/tokens');
	await expect(page.getByRole('row').filter({ hasText: 'to be revoked with the password' })).toContainText('Revoked');
});

test('issue 8.3: writes to the API with a session cookie must come from this site', async ({ page, request, baseURL, server }) => {
	const slug = `cross-site-${RUN}`;
	expect((await request.post('/api/actors', { headers: bearer(writeToken), data: { slug, name: 'Cross Site', kind: 'group' } })).status()).toBe(201);
	await logIn(page, EDITOR, PW);
	const session = page.request; // carries the editor's cookie
	await unchanged(server, request, async () => {
		for (const [what, r] of [
			['body-less DELETE, foreign Origin', await session.delete(`/api/actors/${slug}`, { headers: { Origin: 'https://evil.example' } })],
			['body-less DELETE, no Origin, no JSON', await session.delete(`/api/actors/${slug}`)],
			['body-less DELETE, Sec-Fetch-Site cross-site', await session.delete(`/api/actors/${slug}`, { headers: { 'Sec-Fetch-Site': 'cross-site' } })],
			['body-less restore, cross-site', await session.post(`/api/actors/${slug}/restore`, { headers: { Origin: 'https://evil.example' } })],
			['JSON POST, foreign Origin', await session.post('/api/events', { headers: { Origin: 'https://evil.example' }, data: eventBody(ACTOR, ISSUE) })],
			['text/plain POST, no Origin', await session.post('/api/events', { headers: { 'Content-Type': 'text/plain' }, data: JSON.stringify(eventBody(ACTOR, ISSUE)) })]
		] as const) {
			expect(r.status(), what).toBe(403);
			// Ours, or SvelteKit's own check for form-like content types ("Cross-site POST form submissions…").
			expect(await r.text(), what).toMatch(/cross-site (request refused|POST form submissions are forbidden)/i);
		}
	});
	expect((await (await request.get(`/api/actors/${slug}`)).json()).slug).toBe(slug);
	// From this site it works; so does a script with a token (curl sends no Origin).
	expect((await session.delete(`/api/actors/${slug}`, { headers: { Origin: baseURL! } })).status()).toBe(200);
	expect((await session.post(`/api/actors/${slug}/restore`, { headers: { 'Sec-Fetch-Site': 'same-origin' } })).status()).toBe(200);
	expect((await request.delete(`/api/actors/${slug}`, { headers: bearer(writeToken) })).status()).toBe(200);
	expect((await request.get(`/api/actors/${slug}`)).status()).toBe(404);
});

test('issue 8.4: a JSON body over the limit is answered 413 naming the limit', async ({ request, server }) => {
	await unchanged(server, request, async () => {
		const r = await request.post('/api/events', { headers: bearer(writeToken), data: oversized() });
		expect(r.status()).toBe(413);
		expect(await r.json()).toEqual({ error: 'the body is larger than the limit of 512 KB (BODY_SIZE_LIMIT)', details: { limit: 524288 } });
	});
});

/** An editor with a write token, put straight into a server's database; returns the token. */
async function plantToken(query: (sql: string, args: InValue[]) => Promise<unknown>): Promise<string> {
	const token = `st_planted${RUN}`;
	const email = `planted-${RUN}@example.org`;
	await query(`insert into "user" (email, role, password_hash) values (?, 'editor', 'no password')`, [email]);
	await query(
		`insert into api_token (user_id, name, token_hash, scope, created_at, expires_at) select id, 'planted', ?, 'write', ?, ? from "user" where email = ?`,
		[createHash('sha256').update(token).digest('hex'), new Date().toISOString(), new Date(Date.now() + 86_400_000).toISOString(), email]
	);
	return token;
}

/** 600 KB of event: over the 512 KB default of BODY_SIZE_LIMIT. */
const oversized = () => eventBody(ACTOR, ISSUE, { sources: Array.from({ length: 300 }, (_, i) => ({ outlet: `Outlet ${i}`, title: 'x'.repeat(2000) })) });

test('issue 8.4: `node build` and `npm start` (src/cli/serve.js) refuse the same oversized body with the same 413', async ({ request, startServer }) => {
	test.setTimeout(120_000);
	const answers: unknown[] = [];
	// `node build`: the build's index.js started directly, as the e2e servers are.
	const direct = await startServer({ env: { SEED_DEMO: 'false' } });
	const directToken = await plantToken((sql, args) => direct.query(sql, args));
	const a = await request.post(`${direct.baseURL}/api/events`, { headers: bearer(directToken), data: oversized() });
	answers.push({ status: a.status(), body: await a.json() });
	await direct.stop();

	// `npm start`: the same build through src/cli/serve.js, on a free port and a database of its own.
	const port = await new Promise<number>((done) => {
		const probe = createServer().listen(0, '127.0.0.1', () => {
			const { port } = probe.address() as { port: number };
			probe.close(() => done(port));
		});
	});
	const dbPath = join(E2E_DATA_DIR, `npm-start-${RUN}.db`);
	const child = spawn(process.execPath, ['src/cli/serve.js'], {
		env: { ...cleanEnv(), NODE_ENV: 'production', DATABASE_URL: `file:${dbPath}`, HOST: '127.0.0.1', PORT: String(port), SEED_DEMO: 'false', STANCE_BUILD_DIR: E2E_BUILD_DIR },
		stdio: 'ignore'
	});
	try {
		const base = `http://127.0.0.1:${port}`;
		await expect.poll(async () => (await fetch(`${base}/api/issues`).catch(() => null))?.status ?? 0, { timeout: 60_000 }).toBe(200);
		const client = createClient({ url: `file:${dbPath}`, timeout: 5000 });
		const token = await plantToken((sql, args) => client.execute({ sql, args })).finally(() => client.close());
		const b = await request.post(`${base}/api/events`, { headers: bearer(token), data: oversized() });
		answers.push({ status: b.status(), body: await b.json() });
	} finally {
		child.kill();
	}
	const expected = { status: 413, body: { error: 'the body is larger than the limit of 512 KB (BODY_SIZE_LIMIT)', details: { limit: 524288 } } };
	expect(answers).toEqual([expected, expected]);
});

test('issue 8.5: control characters in a source URL are refused naming the field; invalid UTF-8 gets 400', async ({ request, server }) => {
	await unchanged(server, request, async () => {
		for (const [name, c, message] of [
			['NUL', '\u0000', 'must not contain control characters such as NUL'],
			['U+0001', '\u0001', 'must not contain control characters such as NUL'],
			['DEL', '\u007f', 'must not contain control characters such as NUL'],
			['U+202E', '\u202e', 'must not contain bidirectional control characters such as U+202E']
		] as const) {
			const r = await request.post('/api/events', {
				headers: bearer(writeToken),
				data: eventBody(ACTOR, ISSUE, { sources: [{ outlet: 'Reuters', url: `https://example.org/a${c}b` }] })
			});
			expect(r.status(), name).toBe(400);
			expect((await r.json()).fields, name).toEqual([{ field: 'sources[0].url', message }]);
		}
		// A summary in bytes that are not UTF-8: refused, not stored with U+FFFD in their place.
		const text = JSON.stringify(eventBody(ACTOR, ISSUE, { summary: 'beforeXXafter' }));
		const at = Buffer.from(text).indexOf('XX');
		const raw = Buffer.from(text);
		raw[at] = 0xff;
		raw[at + 1] = 0xfe;
		const r = await request.post('/api/events', { headers: { ...bearer(writeToken), 'Content-Type': 'application/json' }, data: raw });
		expect(r.status()).toBe(400);
		expect(await r.json()).toEqual({ error: 'the body is not valid UTF-8' });
	});
});

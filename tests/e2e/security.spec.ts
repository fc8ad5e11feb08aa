import type { APIRequestContext, Page } from '@playwright/test';
import { expect, test, type E2EServer } from './fixtures';
import { RUN, apiSnapshot, eventBody, issueBody, logIn, open } from './accounts';

// Every refusal below also checks that nothing was written: the API's view and the row counts of
// every table a write could touch are the same before and after.

const PW = 'security password one';
const EDITOR = `sec-editor-${RUN}@example.org`;
const VIEWER = `sec-viewer-${RUN}@example.org`;
const THROTTLED = `sec-throttled-${RUN}@example.org`;
const ACTOR = `sec-land-${RUN}`;
const ISSUE = `sec-issue-${RUN}`;

/** Tokens of the security editor, made through the tokens page in beforeAll. */
let writeToken = '';
let readToken = '';

async function createToken(page: Page, name: string, scope: 'read' | 'write', days = 30): Promise<string> {
	await open(page, '/account/tokens');
	await page.getByLabel('Name').fill(name);
	await page.getByLabel('Scope').selectOption(scope);
	await page.getByLabel('Expires in (days)').fill(String(days));
	await page.getByRole('button', { name: 'Create token' }).click();
	const secret = page.getByLabel('New token');
	await expect(secret).toHaveValue(/^st_/);
	return secret.inputValue();
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

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

test('a 1 MB quote and a NUL byte in a summary are refused with 400 naming the field', async ({ request, server }) => {
	await unchanged(server, request, async () => {
		const big = await request.post('/api/events', { headers: bearer(writeToken), data: eventBody(ACTOR, ISSUE, { quote: 'x'.repeat(1024 * 1024) }) });
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

test('pages carry a CSP with a nonce and the usual security headers', async ({ request }) => {
	for (const path of ['/', '/login', `/issues/${ISSUE}`]) {
		const r = await request.get(path);
		const h = r.headers();
		const csp = h['content-security-policy'] ?? '';
		const nonce = /script-src[^;]*'nonce-([^']+)'/.exec(csp)?.[1];
		expect(nonce, `${path}: ${csp}`).toBeTruthy();
		expect(csp).toContain("object-src 'none'");
		expect(csp).toContain("frame-ancestors 'none'");
		expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
		// Every inline script of the page carries that nonce.
		const html = await r.text();
		const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
		expect(scripts.length).toBeGreaterThan(0);
		for (const s of scripts) expect(s).toContain(`nonce="${nonce}"`);
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

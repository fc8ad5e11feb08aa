import type { APIRequestContext } from '@playwright/test';
import { expect, test } from './fixtures';
import { RUN, bearer, editorToken, eventBody } from './accounts';

// Anonymous pages are served from a cache keyed by the data version (src/lib/server/read/pageCache.ts):
// a repeated request is a hit (X-Page-Cache: hit), and a write shows at once, made in this
// process or in another one on the same database file.

const PW = 'page cache password one';
const EDITOR = `pagecache-editor-${RUN}@example.org`;
const ISSUE = 'intelligence-sharing-us';
const PAGE = `/issues/${ISSUE}`;
let token = '';

test.beforeAll(async ({ browser, server }) => {
	test.setTimeout(120_000);
	token = await editorToken(browser, server, EDITOR, PW, 'page cache');
});

/** Fetches a page twice: the second answer comes from the cache. Returns its text. */
async function cached(request: APIRequestContext, url: string): Promise<string> {
	const first = await request.get(url);
	expect(first.status(), url).toBe(200);
	const second = await request.get(url);
	expect(second.status(), url).toBe(200);
	expect(second.headers()['x-page-cache'], `${url} is served from the cache the second time`).toBe('hit');
	const text = await second.text();
	expect(text, `${url}: the cached copy is the page`).toBe(await first.text());
	return text;
}

async function createEvent(request: APIRequestContext, summary: string, date: string): Promise<number> {
	const r = await request.post('/api/events', { headers: bearer(token), data: eventBody('colombia', ISSUE, { date, summary }) });
	expect(r.status()).toBe(201);
	return (await r.json()).id;
}

test('a cached page shows a write at once (issue and actor pages; one process)', async ({ request }) => {
	const summary = `Cached once ${RUN}`;
	for (const url of [PAGE, '/actors/colombia']) expect(await cached(request, url), url).not.toContain(summary);
	await createEvent(request, summary, '2025-11-28');
	for (const url of [PAGE, '/actors/colombia']) {
		const after = await request.get(url);
		expect(after.headers()['x-page-cache'], `${url} is rendered anew after the write`).toBeUndefined();
		expect(await after.text(), url).toContain(summary);
		// And that new page is what the cache serves next.
		expect(await cached(request, url), url).toContain(summary);
	}
	// SvelteKit's __data.json (private, no-store) is never taken for the page.
	const data = await request.get(`${PAGE}/__data.json`);
	expect(data.headers()['content-type']).toMatch(/application\/json/);
	expect(data.headers()['x-page-cache']).toBeUndefined();
	// Each coding is kept apart.
	const gz = await request.get(PAGE, { headers: { 'Accept-Encoding': 'gzip' } });
	const gz2 = await request.get(PAGE, { headers: { 'Accept-Encoding': 'gzip' } });
	expect(gz2.headers()['content-encoding']).toBe('gzip');
	expect(await gz2.text()).toBe(await gz.text());
});

test('two server processes on one database file: a write through one shows at once on the other\'s cached page', async ({ request, server, startServer, playwright }) => {
	test.setTimeout(90_000);
	const other = await startServer({ dbPath: server.dbPath });
	const b = await playwright.request.newContext({ baseURL: other.baseURL });
	try {
		const summary = `Seen by the other process ${RUN}`;
		expect(await cached(b, PAGE)).not.toContain(summary);
		// Written through the first server; the second has the page cached.
		const id = await createEvent(request, summary, '2025-11-29');
		const after = await b.get(PAGE);
		expect(after.headers()['x-page-cache']).toBeUndefined();
		expect(await after.text()).toContain(summary);
		expect(await cached(b, PAGE)).toContain(summary);
		// A delete through the first server is seen at once too.
		expect((await request.delete(`/api/events/${id}`, { headers: bearer(token) })).status()).toBe(200);
		expect(await (await b.get(PAGE)).text()).not.toContain(summary);
	} finally {
		await b.dispose();
		await other.stop();
	}
});

test('a request with a session cookie or an Authorization header is never answered from the cache', async ({ request }) => {
	await cached(request, PAGE);
	for (const headers of [{ Cookie: 'session=not-a-real-session' }, { Authorization: 'Bearer not-a-real-token' }] as Record<string, string>[]) {
		for (let k = 0; k < 2; k++) {
			const r = await request.get(PAGE, { headers });
			expect(r.status()).toBe(200);
			expect(r.headers()['x-page-cache'], JSON.stringify(headers)).toBeUndefined();
		}
	}
});

import type { APIRequestContext } from '@playwright/test';
import { expect, test } from './fixtures';
import { RUN, bearer, editorToken, eventBody, issueBody } from './accounts';

// Caches that are never stale: every view of an issue (its JSON series, its page, its CSV, SVG
// and PNG) answers 304 while nothing changed and shows a write at once after it.

const PW = 'read path password one';
const EDITOR = `readpath-editor-${RUN}@example.org`;
const ISSUE = `rp-issue-${RUN}`;
const ACTOR = `rp-land-${RUN}`;
let token = '';

// A low limit on unaggregated series, so that refusing an oversized request is seen on the demo.
test.use({ serverEnv: { SERIES_MAX_POINTS: '5' } });

test.beforeAll(async ({ browser, request, server }) => {
	test.setTimeout(120_000);
	token = await editorToken(browser, server, EDITOR, PW, 'read path');
	expect((await request.post('/api/actors', { headers: bearer(token), data: { slug: ACTOR, name: `Read Path Land ${RUN}`, kind: 'country', color: '#225588' } })).status()).toBe(201);
	expect((await request.post('/api/issues', { headers: bearer(token), data: issueBody(ISSUE, `Read path issue ${RUN}`) })).status()).toBe(201);
});

/** The views of the issue, each with what a reader would look for in it. */
const VIEWS = [
	{ name: 'API series', path: `/api/series?issue=${ISSUE}&actors=${ACTOR}` },
	{ name: 'issue page', path: `/issues/${ISSUE}` },
	{ name: 'actor page', path: `/actors/${ACTOR}` },
	{ name: 'compare table', path: `/compare?actors=${ACTOR}&issues=${ISSUE}&mode=table` },
	{ name: 'CSV export', path: `/export/data.csv?issues=${ISSUE}` },
	{ name: 'SVG image', path: `/export/chart.svg?issues=${ISSUE}` },
	{ name: 'PNG image', path: `/export/chart.png?issues=${ISSUE}` }
];

type Seen = Map<string, { etag: string | null; body: Buffer }>;

async function look(request: APIRequestContext): Promise<Seen> {
	const seen: Seen = new Map();
	for (const v of VIEWS) {
		const r = await request.get(v.path);
		expect(r.status(), v.name).toBe(200);
		seen.set(v.name, { etag: r.headers()['etag'] ?? null, body: await r.body() });
	}
	return seen;
}

/** Each view, asked with the ETag it gave before, must answer with a new body. */
async function expectAllChanged(request: APIRequestContext, before: Seen, step: string): Promise<Seen> {
	const after: Seen = new Map();
	for (const v of VIEWS) {
		const old = before.get(v.name)!;
		const r = await request.get(v.path, { headers: old.etag ? { 'If-None-Match': old.etag } : {} });
		expect(r.status(), `${v.name} after ${step}`).toBe(200);
		const body = await r.body();
		expect(body.equals(old.body), `${v.name} shows the ${step}`).toBe(false);
		after.set(v.name, { etag: r.headers()['etag'] ?? null, body });
	}
	return after;
}

test('a write is visible at once in the API, the issue, actor and compare pages, the CSV, the SVG and the PNG (create, update, delete, restore)', async ({ request }) => {
	test.setTimeout(90_000);
	// A first event, so that every view has something to draw.
	const first = await request.post('/api/events', { headers: bearer(token), data: eventBody(ACTOR, ISSUE, { date: '2025-01-10', position: -2, summary: `First ${RUN}` }) });
	expect(first.status()).toBe(201);
	let seen = await look(request);
	// Nothing changed: the series and the page answer 304 to their own ETags.
	for (const name of ['API series', 'issue page']) {
		const v = VIEWS.find((x) => x.name === name)!;
		const etag = seen.get(name)!.etag;
		expect(etag, `${name} has an ETag`).toBeTruthy();
		expect((await request.get(v.path, { headers: { 'If-None-Match': etag! } })).status(), name).toBe(304);
	}

	const created = await request.post('/api/events', { headers: bearer(token), data: eventBody(ACTOR, ISSUE, { date: '2025-06-10', position: 2, summary: `Second ${RUN}` }) });
	expect(created.status()).toBe(201);
	const { id, version } = await created.json();
	seen = await expectAllChanged(request, seen, 'create');
	expect(seen.get('CSV export')!.body.toString()).toContain(`Second ${RUN}`);
	for (const page of ['issue page', 'actor page', 'compare table']) expect(seen.get(page)!.body.toString(), page).toContain(`Second ${RUN}`);

	const updated = await request.patch(`/api/events/${id}`, { headers: bearer(token), data: { version, position: 1, summary: `Second, revised ${RUN}` } });
	expect(updated.status()).toBe(200);
	seen = await expectAllChanged(request, seen, 'update');
	for (const view of ['CSV export', 'issue page', 'actor page', 'compare table']) expect(seen.get(view)!.body.toString(), view).toContain(`Second, revised ${RUN}`);

	expect((await request.delete(`/api/events/${id}`, { headers: bearer(token) })).status()).toBe(200);
	seen = await expectAllChanged(request, seen, 'delete');
	for (const view of ['CSV export', 'issue page', 'actor page', 'compare table']) expect(seen.get(view)!.body.toString(), view).not.toContain(`Second, revised ${RUN}`);

	expect((await request.post(`/api/events/${id}/restore`, { headers: bearer(token) })).status()).toBe(200);
	seen = await expectAllChanged(request, seen, 'restore');
	for (const view of ['CSV export', 'issue page', 'actor page', 'compare table']) expect(seen.get(view)!.body.toString(), view).toContain(`Second, revised ${RUN}`);
});

// (Bodies under 1 KB, such as the demo's small series, go out uncompressed.)
test('pages and JSON are compressed as Accept-Encoding asks: brotli, gzip or none', async ({ request }) => {
	for (const path of ['/', `/issues/intelligence-sharing-us`, '/api/events?limit=100', '/api/actors']) {
		const br = await request.get(path, { headers: { 'Accept-Encoding': 'gzip, deflate, br' } });
		expect(br.headers()['content-encoding'], path).toBe('br');
		expect(br.headers()['vary'], path).toMatch(/Accept-Encoding/i);
		const gz = await request.get(path, { headers: { 'Accept-Encoding': 'gzip' } });
		expect(gz.headers()['content-encoding'], path).toBe('gzip');
		const plain = await request.get(path, { headers: { 'Accept-Encoding': 'identity' } });
		expect(plain.headers()['content-encoding'], path).toBeUndefined();
		// The client decodes each: the same document whatever the coding (pages carry no nonce: CSP hashes).
		const text = async (r: typeof br) => (await r.text()).replace(/nonce="[^"]*"/g, 'nonce=""');
		expect(await text(br), path).toBe(await text(plain));
		expect(await text(gz), path).toBe(await text(plain));
	}
});

test('GET /api/health answers a constant through the app', async ({ request }) => {
	const r = await request.get('/api/health');
	expect(r.status()).toBe(200);
	expect(await r.json()).toEqual({ ok: true });
	expect(r.headers()['x-content-type-options']).toBe('nosniff');
});

test('a request for an oversized series is refused with an error naming the limit, and the server keeps serving', async ({ request }) => {
	const r = await request.get('/api/series?issue=boat-strikes-legality');
	expect(r.status()).toBe(400);
	const body = await r.json();
	expect(body.limit).toBe(5);
	expect(body.error).toContain('more than 5 events');
	expect(body.error).toContain('bucket');
	// Aggregated, the same series is served; so is everything else.
	expect((await request.get('/api/series?issue=boat-strikes-legality&bucket=year')).status()).toBe(200);
	expect((await request.get('/api/series?issue=intelligence-sharing-us&actors=colombia')).status()).toBe(200);
	expect((await request.get('/')).status()).toBe(200);
});

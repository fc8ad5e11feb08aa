import type { APIRequestContext, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { parse } from 'csv-parse/sync';
import { request as httpRequest } from 'node:http';
import { readFile } from 'node:fs/promises';
import { logIn } from './accounts';
import { open } from './helpers';
import { cells, countInside, covered, decodePng, inked, inkedBands, near, overlap, plotAreas, pngSize, type DecodedPng } from './images';

async function download(page: Page, action: () => Promise<void>) {
	const [file] = await Promise.all([page.waitForEvent('download'), action()]);
	return { name: file.suggestedFilename(), bytes: await readFile((await file.path())!) };
}

async function openExport(page: Page) {
	await page.getByRole('button', { name: 'Export' }).click();
	return page.getByRole('group', { name: 'Export this chart' });
}

/** The demo's actor colours by slug. */
async function colours(request: APIRequestContext): Promise<Record<string, string>> {
	const actors: { slug: string; color: string }[] = await (await request.get('/api/actors')).json();
	return Object.fromEntries(actors.map((a) => [a.slug, a.color]));
}

type Rect = Awaited<ReturnType<typeof plotAreas>>[number];

/** Each actor's series is drawn inside the plot areas (not only its legend swatch): its colour fills some cells there. */
function expectSeries(img: DecodedPng, plots: Rect[], colour: Record<string, string>, slugs: string[], scale = 1) {
	for (const slug of slugs) {
		const inPlot = cells(img, plots, near(colour[slug]!), { scale });
		expect(inPlot.size, `cells of ${slug}'s colour (${colour[slug]}) in the plot`).toBeGreaterThan(10);
	}
}

/** GET from a given loopback address (each one is another anonymous client to the server's limits). */
function getFrom(url: string, localAddress: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
	return new Promise((resolve, reject) => {
		const req = httpRequest(url, { localAddress, agent: false }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (d: Buffer) => chunks.push(d));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
			res.on('error', reject);
		});
		req.on('error', reject);
		req.end();
	});
}

test('issue page: PNG at 2x, SVG and CSV downloads are what they say', async ({ page, request, server }) => {
	await open(page, '/issues/intelligence-sharing-us');
	const menu = await openExport(page);

	// PNG at 2x: a real PNG, twice the default 1000 x 600 size, with a drawn chart on white.
	const png = await download(page, () => menu.getByRole('button', { name: 'PNG 2×' }).click());
	expect(png.name).toMatch(/^intelligence-sharing-us-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.png$/);
	const decoded = await decodePng(png.bytes);
	expect([decoded.width, decoded.height]).toEqual([2000, 1200]);
	// Each actor's series is drawn in the plot, at twice the size.
	const plots = await plotAreas(server.dbPath, `${server.baseURL}/export/chart.png?issues=intelligence-sharing-us`);
	expectSeries(decoded, plots, await colours(request), ['colombia', 'united-states', 'united-kingdom'], 2);

	// SVG: well-formed XML with the title and every actor's name as text.
	const svg = await download(page, () => menu.getByRole('link', { name: 'SVG' }).click());
	expect(svg.name).toMatch(/\.svg$/);
	const text = svg.bytes.toString('utf8');
	const parsed = await page.evaluate((s) => {
		const doc = new DOMParser().parseFromString(s, 'image/svg+xml');
		return { error: doc.querySelector('parsererror')?.textContent ?? null, root: doc.documentElement.nodeName, text: doc.documentElement.textContent };
	}, text);
	expect(parsed.error).toBeNull();
	expect(parsed.root).toBe('svg');
	for (const words of ['Intelligence sharing with US agencies', 'Colombia', 'United States', 'United Kingdom']) {
		expect(parsed.text).toContain(words);
	}

	// CSV: parses back to the same rows as the API gives for this view, accents intact.
	const csv = await download(page, () => menu.getByRole('link', { name: 'CSV' }).click());
	expect(csv.name).toMatch(/\.csv$/);
	expect(csv.bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(true);
	// Its citation comes first, in "# " comment lines (README: Exports), which a CSV reader skips.
	expect(csv.bytes.toString('utf8', 3, 5)).toBe('# ');
	const rows: Record<string, string>[] = parse(csv.bytes, { columns: true, bom: true, comment: '#', comment_no_infix: true });
	const api = await (await request.get('/api/events?issue=intelligence-sharing-us&limit=1000')).json();
	expect(rows.map((r) => Number(r.id)).sort()).toEqual(api.events.map((e: { id: number }) => e.id).sort());
	for (const e of api.events) {
		const row = rows.find((r) => Number(r.id) === e.id)!;
		expect(row).toMatchObject({ actor: e.actor, issue: e.issue, date: e.date, date_precision: e.datePrecision, kind: e.kind, summary: e.summary });
		expect(Number(row.position)).toBe(e.position);
		expect(row.quote).toBe(e.quote ?? '');
		expect(row.speaker).toBe(e.speaker ?? '');
		expect(row.source_outlets!.split(' | ')).toEqual(e.sources.map((s: { outlet: string }) => s.outlet));
	}
	expect(rows.map((r) => r.speaker_name)).toContain('Pedro Arnulfo Sánchez');
});

test('compare view: the browser PNG and the server PNG draw the same plot', async ({ page, request, server }) => {
	const view = '?actors=colombia,united-states,united-kingdom&issues=intelligence-sharing-us';
	await open(page, `/compare${view}`);
	const menu = await openExport(page);
	const browserPng = await download(page, () => menu.getByRole('button', { name: 'PNG 1×' }).click());
	const server_ = await request.get(`/export/chart.png${view}`);
	expect(server_.status()).toBe(200);
	expect(server_.headers()['content-type']).toBe('image/png');
	const a = await decodePng(browserPng.bytes);
	const b = await decodePng(await server_.body());
	expect([a.width, a.height]).toEqual([b.width, b.height]);
	// Inside the plot area (text, drawn by two font engines, stays out): the same cells are inked...
	const plots = await plotAreas(server.dbPath, `${server.baseURL}/export/chart.png${view}`);
	expect(plots).toHaveLength(1);
	const inkA = cells(a, plots, inked);
	const inkB = cells(b, plots, inked);
	expect(inkA.size).toBeGreaterThan(100);
	expect(overlap(inkA, inkB), 'inked cells of the plot, browser vs server').toBeGreaterThan(0.9);
	// ...and each actor's series lies in the same cells in both.
	const colour = await colours(request);
	for (const slug of ['colombia', 'united-states', 'united-kingdom']) {
		const inA = cells(a, plots, near(colour[slug]!));
		const inB = cells(b, plots, near(colour[slug]!));
		expect(inA.size, `${slug} in the browser PNG`).toBeGreaterThan(10);
		expect(overlap(inA, inB), `${slug}'s series, browser vs server`).toBeGreaterThan(0.8);
	}
});

test('the link preview of a compare page is an image of that view', async ({ page, request, server }) => {
	await open(page, '/compare?actors=colombia,united-states&issues=boat-strikes-legality&mode=side');
	const image = await page.locator('meta[property="og:image"]').getAttribute('content');
	expect(image).toContain('/export/chart.png?actors=colombia,united-states&issues=boat-strikes-legality&mode=side');
	expect(await page.locator('meta[name="twitter:card"]').getAttribute('content')).toBe('summary_large_image');
	const r = await request.get(image!);
	expect(r.status()).toBe(200);
	const png = await decodePng(await r.body());
	expect([png.width, png.height]).toEqual([1200, 630]);
	// Side by side: a panel per actor, each drawing that actor's series.
	const plots = await plotAreas(server.dbPath, image!);
	expect(plots).toHaveLength(2);
	const colour = await colours(request);
	expectSeries(png, [plots[0]!], colour, ['colombia']);
	expectSeries(png, [plots[1]!], colour, ['united-states']);
});

test('image URLs: sized, cached with an ETag, and refusing bad input with JSON errors', async ({ request }) => {
	const url = '/export/chart.png?issue=intelligence-sharing-us&width=640&height=400&scale=3';
	const first = await request.get(url);
	expect(first.status()).toBe(200);
	const png = await decodePng(await first.body());
	expect([png.width, png.height]).toEqual([1920, 1200]);
	const etag = first.headers()['etag'];
	expect(etag).toBeTruthy();
	const again = await request.get(url, { headers: { 'If-None-Match': etag! } });
	expect(again.status()).toBe(304);
	const svg = await request.get('/export/chart.svg?actors=colombia&mode=side');
	expect(svg.headers()['content-type']).toContain('image/svg+xml');
	for (const [bad, status, words] of [
		['/export/chart.png?issue=intelligence-sharing-us&width=99999', 400, 'width'],
		['/export/chart.png?issue=intelligence-sharing-us&scale=9', 400, 'scale'],
		['/export/chart.png?issue=intelligence-sharing-us&height=abc', 400, 'height'],
		['/export/chart.png?issue=no-such-issue', 404, 'no-such-issue'],
		['/export/chart.svg?actors=atlantis', 404, 'atlantis'],
		['/export/chart.png', 400, 'issues'],
		['/export/data.csv?actors=colombia&mode=nonsense', 400, 'mode']
	] as const) {
		const r = await request.get(bad);
		expect(r.status(), bad).toBe(status);
		expect((await r.json()).error, bad).toContain(words);
	}
});

test('JSON export and the embed page carry the same view', async ({ page, request }) => {
	const data = await (await request.get('/export/data.json?actors=colombia&issues=intelligence-sharing-us')).json();
	expect(data.series).toHaveLength(1);
	expect(data.series[0].points.map((p: { label: string }) => p.label)).toContain('Maintain');
	expect(data.permalink).toContain('/compare?actors=colombia&issues=intelligence-sharing-us');
	await open(page, '/issues/intelligence-sharing-us');
	const menu = await openExport(page);
	const snippet = await menu.getByRole('textbox').inputValue();
	const src = /src="([^"]+)"/.exec(snippet)![1]!;
	expect(src).toContain('/embed?issues=intelligence-sharing-us');
	await open(page, src);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Intelligence sharing with US agencies');
	await expect(page.getByRole('banner')).toHaveCount(0);
	await expect(page.getByRole('link', { name: /Stance Tracker/ })).toHaveAttribute('href', /\/issues\/intelligence-sharing-us$/);
});

test('issue and actor pages offer a link-preview image of their view', async ({ page, request, server }) => {
	const colour = await colours(request);
	for (const [path, expected, actors] of [
		['/issues/intelligence-sharing-us', '/export/chart.png?issues=intelligence-sharing-us&width=1200&height=630', ['colombia', 'united-states', 'united-kingdom']],
		['/actors/colombia', '/export/chart.png?actors=colombia&mode=side&width=1200&height=630', ['colombia']]
	] as const) {
		await page.goto(path);
		const image = await page.locator('meta[property="og:image"]').getAttribute('content');
		expect(image, path).toBe(`${server.baseURL}${expected}`);
		const r = await request.get(image!);
		expect(r.status(), image!).toBe(200);
		expect(r.headers()['content-type']).toBe('image/png');
		const png = await decodePng(await r.body());
		expect([png.width, png.height]).toEqual([1200, 630]);
		expectSeries(png, await plotAreas(server.dbPath, image!), colour, [...actors]);
	}
});

test('a 4x PNG is the 1x drawing at four times the pixels', async ({ request, server }) => {
	const url = '/export/chart.png?issues=intelligence-sharing-us';
	const [one, four] = await Promise.all([request.get(url), request.get(`${url}&scale=4`)]);
	expect(four.status()).toBe(200);
	const a = await decodePng(await one.body());
	const b = await decodePng(await four.body());
	expect([b.width, b.height]).toEqual([4000, 2400]);
	const plots = await plotAreas(server.dbPath, `${server.baseURL}${url}`);
	expect(overlap(cells(a, plots, inked), cells(b, plots, inked, { scale: 4 })), 'inked cells, 1x vs 4x').toBeGreaterThan(0.85);
	const colour = await colours(request);
	for (const slug of ['colombia', 'united-states', 'united-kingdom']) {
		const at1 = cells(a, plots, near(colour[slug]!));
		const at4 = cells(b, plots, near(colour[slug]!), { scale: 4 });
		expect(at4.size, slug).toBeGreaterThan(10);
		// Anti-aliasing pales thin 1x lines at their edges, so 4x fills a few more cells: compare each way, a cell apart at most.
		expect(covered(at1, at4, 0), `${slug}'s 1x series drawn at 4x`).toBeGreaterThan(0.9);
		expect(covered(at4, at1, 1), `${slug}'s 4x series drawn at 1x`).toBeGreaterThan(0.9);
	}
	// Lines are drawn four times as thick, not one pixel wide on a bigger canvas: about 16 times the pixels.
	const us1 = countInside(a, plots, near(colour['united-states']!));
	const us4 = countInside(b, plots, near(colour['united-states']!), 4);
	expect(us4.inside / us1.inside).toBeGreaterThan(8);
});

test('a lanes export draws one lane of stance bars per actor', async ({ request, server }) => {
	const url = '/export/chart.png?issues=intelligence-sharing-us&mode=lanes';
	const r = await request.get(url);
	expect(r.status()).toBe(200);
	const png = await decodePng(await r.body());
	expect(png.width).toBe(1000);
	const plots = await plotAreas(server.dbPath, `${server.baseURL}${url}`);
	expect(plots).toHaveLength(1);
	const bands = inkedBands(png, plots[0]!);
	expect(bands, JSON.stringify(bands)).toHaveLength(3);
	// Lanes are separate rows of about equal height.
	const heights = bands.map((b) => b.bottom - b.top);
	expect(Math.min(...heights)).toBeGreaterThan(Math.max(...heights) / 2);
	const svg = (await (await request.get('/export/chart.svg?issues=intelligence-sharing-us&mode=lanes')).body()).toString('utf8');
	for (const words of ['Colombia', 'United Kingdom', 'United States', 'Maintain', 'Restrict']) expect(svg).toContain(words);
});

test('embeds and exports may be framed by other sites; other pages may not', async ({ request }) => {
	for (const path of [
		'/embed?issues=intelligence-sharing-us',
		'/export/chart.png?issues=intelligence-sharing-us',
		'/export/chart.svg?issues=intelligence-sharing-us',
		'/export/data.csv?issues=intelligence-sharing-us',
		'/export/data.json?issues=intelligence-sharing-us'
	]) {
		const r = await request.get(path);
		expect(r.status(), path).toBe(200);
		expect(r.headers()['x-frame-options'], path).toBeUndefined();
		expect(r.headers()['content-security-policy'] ?? '', path).not.toContain("frame-ancestors 'none'");
	}
	expect((await request.get('/embed?issues=intelligence-sharing-us')).headers()['content-security-policy']).toContain('frame-ancestors *');
	const page = await request.get('/issues/intelligence-sharing-us');
	expect(page.headers()['x-frame-options']).toBe('DENY');
	expect(page.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
});

test('public exports are revalidated, never kept stale: no-cache with an ETag and 304', async ({ request }) => {
	for (const path of ['/export/chart.png?issues=intelligence-sharing-us&width=500', '/export/chart.svg?issues=intelligence-sharing-us&width=500']) {
		const r = await request.get(path);
		expect(r.headers()['cache-control'], path).toBe('public, no-cache');
		const etag = r.headers()['etag']!;
		// A compressed SVG carries the weak form of the tag (W/"…"); either validates.
		expect(etag, path).toMatch(/^(W\/)?"[\w-]+"$/);
		const again = await request.get(path, { headers: { 'If-None-Match': etag } });
		expect(again.status(), path).toBe(304);
		expect(again.headers()['etag']).toBe(etag);
	}
	for (const path of ['/export/data.csv?issues=intelligence-sharing-us', '/export/data.json?issues=intelligence-sharing-us', '/embed?issues=intelligence-sharing-us']) {
		const r = await request.get(path);
		expect(r.headers()['cache-control'], path).toBe('public, no-cache');
	}
});

test('deleting an event gives its chart image a new ETag and takes the series off it', async ({ page, server }) => {
	// caribbean-military-buildup: no other test here uses it.
	const url = '/export/chart.png?issues=caribbean-military-buildup';
	await server.addUser('editor@exports.test', 'editor', 'a long editor password');
	await logIn(page, 'editor@exports.test', 'a long editor password');
	const request = page.request;
	const colour = await colours(request);
	const before = await request.get(url);
	expect(before.status()).toBe(200);
	const etag = before.headers()['etag']!;
	const plots = await plotAreas(server.dbPath, `${server.baseURL}${url}`);
	expect(cells(await decodePng(await before.body()), plots, near(colour['united-states']!)).size).toBeGreaterThan(10);

	const { events } = await (await request.get('/api/events?issue=caribbean-military-buildup&actor=united-states')).json();
	expect(events).toHaveLength(1);
	const del = await request.delete(`/api/events/${events[0].id}?version=${events[0].version}`, { headers: { Origin: server.baseURL } });
	expect(del.status(), await del.text()).toBe(200);

	// The old copy is no longer current: a full answer with a new ETag, without the deleted series.
	const after = await request.get(url, { headers: { 'If-None-Match': etag } });
	expect(after.status()).toBe(200);
	expect(after.headers()['etag']).not.toBe(etag);
	const img = await decodePng(await after.body());
	const plotsAfter = await plotAreas(server.dbPath, `${server.baseURL}${url}`);
	expect(cells(img, plotsAfter, near(colour['united-states']!)).size).toBe(0);
	expect(cells(img, plotsAfter, near(colour['colombia']!)).size).toBeGreaterThan(10);
});

test.describe('with REQUIRE_LOGIN=true', () => {
	test.use({ serverEnv: { REQUIRE_LOGIN: 'true' } });

	test('signed-in exports and embeds are private to the browser, varying on who asks', async ({ page, request, server }) => {
		// Not signed in: nothing.
		expect((await request.get('/export/chart.png?issues=intelligence-sharing-us')).status()).toBe(401);
		await server.addUser('reader@exports.test', 'viewer', 'a long reader password');
		await logIn(page, 'reader@exports.test', 'a long reader password');
		for (const [path, cacheControl] of [
			['/export/chart.png?issues=intelligence-sharing-us', 'private, no-cache'],
			['/export/chart.svg?issues=intelligence-sharing-us', 'private, no-cache'],
			['/export/data.csv?issues=intelligence-sharing-us', 'private, no-store'],
			['/export/data.json?issues=intelligence-sharing-us', 'private, no-store'],
			['/embed?issues=intelligence-sharing-us', 'private, no-store']
		] as const) {
			const r = await page.request.get(path);
			expect(r.status(), path).toBe(200);
			expect(r.headers()['cache-control'], path).toBe(cacheControl);
			expect(r.headers()['vary'] ?? '', path).toContain('Cookie');
		}
		// The image still revalidates cheaply for the signed-in reader.
		const png = await page.request.get('/export/chart.png?issues=intelligence-sharing-us');
		const again = await page.request.get('/export/chart.png?issues=intelligence-sharing-us', { headers: { 'If-None-Match': png.headers()['etag']! } });
		expect(again.status()).toBe(304);
	});
});

test.describe('rendering off the request thread', () => {
	// A slow machine must not turn a waiting render into a 503 here.
	test.use({ serverEnv: { RENDER_TIMEOUT: '900' } });

	test('three maximal PNGs at once: GET /api/issues answers before the renders finish', async ({ request, server }) => {
		test.setTimeout(900_000);
		const issues = ['intelligence-sharing-us', 'boat-strikes-legality', 'counter-narcotics-cooperation'];
		let finished = 0;
		// Three anonymous clients (three loopback addresses), each asking for a 12,000 x 12,000 PNG.
		const renders = issues.map((issue, i) =>
			getFrom(`${server.baseURL}/export/chart.png?issues=${issue}&width=3000&height=3000&scale=4`, `127.0.0.${i + 2}`).then((r) => {
				finished++;
				return r;
			})
		);
		const api = await request.get('/api/issues');
		expect(api.status()).toBe(200);
		expect(finished, 'renders done when /api/issues answered').toBe(0);
		for (const r of await Promise.all(renders)) {
			expect(r.status, r.body.subarray(0, 200).toString()).toBe(200);
			expect(pngSize(r.body)).toEqual({ width: 12_000, height: 12_000 });
		}
	});
});

test.describe('render limits', () => {
	// One renderer, no queue, one render per anonymous client, and room for 40 million pixels.
	test.use({ serverEnv: { RENDER_CONCURRENCY: '1', RENDER_QUEUE: '0', RENDER_PER_CLIENT: '1', RENDER_PIXEL_BUDGET: '40000000', RENDER_TIMEOUT: '900' } });

	const big = (issue: string, width = 3000) => `/export/chart.png?issues=${issue}&width=${width}&height=3000&scale=2`;

	test('a second image at once from one anonymous client gets 429, from another one 503, each with Retry-After', async ({ server }) => {
		test.setTimeout(300_000);
		const expectRefusal = (r: Awaited<ReturnType<typeof getFrom>>, words: string) => {
			expect(r.headers['content-type']).toContain('application/json');
			expect(JSON.parse(r.body.toString()).error).toContain(words);
			expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
			expect(r.headers['cache-control']).toBe('no-store');
		};
		// Same client, two different images (36 million pixels each, seconds to draw): one renders, one is refused.
		const same = await Promise.all([getFrom(server.baseURL + big('intelligence-sharing-us'), '127.0.0.2'), getFrom(server.baseURL + big('boat-strikes-legality'), '127.0.0.2')]);
		expect(same.map((r) => r.status).sort()).toEqual([200, 429]);
		expectRefusal(same.find((r) => r.status === 429)!, 'too many');
		// Two clients: the only renderer is busy and nothing may wait.
		const two = await Promise.all([getFrom(server.baseURL + big('intelligence-sharing-us', 2999), '127.0.0.3'), getFrom(server.baseURL + big('boat-strikes-legality', 2999), '127.0.0.4')]);
		expect(two.map((r) => r.status).sort()).toEqual([200, 503]);
		expectRefusal(two.find((r) => r.status === 503)!, 'busy');
	});

	test('an image larger than the pixel budget is refused with 413 naming the limit', async ({ request }) => {
		const r = await request.get('/export/chart.png?issues=intelligence-sharing-us&width=3000&height=3000&scale=3');
		expect(r.status()).toBe(413);
		expect((await r.json()).error).toContain('RENDER_PIXEL_BUDGET');
	});
});

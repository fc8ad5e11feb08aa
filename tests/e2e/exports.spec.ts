import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { parse } from 'csv-parse/sync';
import { readFile } from 'node:fs/promises';
import { open } from './helpers';
import { decodePng, histogramSimilarity, PNG_SIGNATURE } from './images';

async function download(page: Page, action: () => Promise<void>) {
	const [file] = await Promise.all([page.waitForEvent('download'), action()]);
	return { name: file.suggestedFilename(), bytes: await readFile((await file.path())!) };
}

async function openExport(page: Page) {
	await page.getByRole('button', { name: 'Export' }).click();
	return page.getByRole('group', { name: 'Export this chart' });
}

test('issue page: PNG at 2x, SVG and CSV downloads are what they say', async ({ page, request }) => {
	await open(page, '/issues/intelligence-sharing-us');
	const menu = await openExport(page);

	// PNG at 2x: a real PNG, twice the default 1000 x 600 size, with a drawn chart on white.
	const png = await download(page, () => menu.getByRole('button', { name: 'PNG 2×' }).click());
	expect(png.name).toMatch(/^intelligence-sharing-us-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.png$/);
	expect(png.bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
	const decoded = await decodePng(png.bytes);
	expect([decoded.width, decoded.height]).toEqual([2000, 1200]);
	expect(decoded.inked).toBeGreaterThan(0.01);
	expect(decoded.inked).toBeLessThan(0.6);

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
	const rows: Record<string, string>[] = parse(csv.bytes, { columns: true, bom: true });
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

test('compare view: the browser PNG and the server PNG show the same thing', async ({ page, request }) => {
	const view = '?actors=colombia,united-states,united-kingdom&issues=intelligence-sharing-us';
	await open(page, `/compare${view}`);
	const menu = await openExport(page);
	const browserPng = await download(page, () => menu.getByRole('button', { name: 'PNG 1×' }).click());
	const server = await request.get(`/export/chart.png${view}`);
	expect(server.status()).toBe(200);
	expect(server.headers()['content-type']).toBe('image/png');
	const a = await decodePng(browserPng.bytes);
	const b = await decodePng(await server.body());
	expect([a.width, a.height]).toEqual([b.width, b.height]);
	// Same layout and series drawn by two rasterisers: colour distributions nearly coincide.
	expect(histogramSimilarity(a.histogram, b.histogram)).toBeGreaterThan(0.9);
	// Both carry each actor's colour.
	const actors = await (await request.get('/api/actors')).json();
	for (const slug of ['colombia', 'united-states', 'united-kingdom']) {
		const hex: string = actors.find((x: { slug: string }) => x.slug === slug).color;
		const bin = (parseInt(hex.slice(1, 3), 16) >> 6) * 16 + (parseInt(hex.slice(3, 5), 16) >> 6) * 4 + (parseInt(hex.slice(5, 7), 16) >> 6);
		expect(a.histogram[bin]!, `${slug} in the browser PNG`).toBeGreaterThan(0);
		expect(b.histogram[bin]!, `${slug} in the server PNG`).toBeGreaterThan(0);
	}
});

test('the link preview of a compare page is an image of that view', async ({ page, request }) => {
	await open(page, '/compare?actors=colombia,united-states&issues=boat-strikes-legality&mode=side');
	const image = await page.locator('meta[property="og:image"]').getAttribute('content');
	expect(image).toContain('/export/chart.png?actors=colombia,united-states&issues=boat-strikes-legality&mode=side');
	expect(await page.locator('meta[name="twitter:card"]').getAttribute('content')).toBe('summary_large_image');
	const r = await request.get(image!);
	expect(r.status()).toBe(200);
	const png = await decodePng(await r.body());
	expect([png.width, png.height]).toEqual([1200, 630]);
	expect(png.inked).toBeGreaterThan(0.01);
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

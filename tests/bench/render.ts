/**
 * Rendering under load: how fast the server answers `GET /api/issues` while three maximal PNGs
 * (3000 x 3000 CSS pixels at scale 4: 12,000 x 12,000 pixels each) render, against the same
 * request with nothing rendering. The three come from three loopback addresses (127.0.0.2-4), as
 * three anonymous clients would, so the per-client limit does not turn them away. Figures only;
 * every loop is bounded in count and time and talks to the given server (on this machine) only.
 */
import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { percentile, type Row } from './measure';

interface Got {
	status: number;
	ms: number;
	bytes: number;
	retryAfter: string | null;
}

function get(url: string, localAddress?: string): Promise<Got> {
	return new Promise((resolve, reject) => {
		const t0 = performance.now();
		const req = request(url, { localAddress, agent: false }, (res) => {
			let bytes = 0;
			res.on('data', (d: Buffer) => (bytes += d.length));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0, bytes, retryAfter: (res.headers['retry-after'] as string | undefined) ?? null }));
			res.on('error', reject);
		});
		req.on('error', reject);
		req.setTimeout(300_000, () => req.destroy(new Error(`no answer from ${url} within 300 s`)));
		req.end();
	});
}

const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
const spread = (xs: number[]) => (xs.length ? `p50 ${fmt(percentile(xs, 50))} ms, max ${fmt(Math.max(...xs))} ms` : 'no answer');

export interface RenderLoadFigures {
	/** /api/issues with nothing rendering. */
	idle: number[];
	/** /api/issues while the three PNGs rendered. */
	during: number[];
	renders: { url: string; status: number; ms: number; bytes: number }[];
	/** Answers of /api/issues that came back before the first PNG was done. */
	answeredBeforeFirstImage: number;
	/** The polling hit its bounds before the last image was done. */
	stoppedEarly: boolean;
}

/** Measures `GET /api/issues` while three maximal PNGs of three issues render on the server at `baseUrl`. */
export async function measureRenderLoad(baseUrl: string): Promise<RenderLoadFigures> {
	const issues = ((await (await fetch(`${baseUrl}/api/issues`)).json()) as { issues?: { slug: string }[] } | { slug: string }[]);
	const slugs = (Array.isArray(issues) ? issues : (issues.issues ?? [])).map((i) => i.slug).slice(0, 3);
	if (slugs.length < 3) throw new Error(`the render benchmark needs three issues; the server has ${slugs.length}`);

	const idle: number[] = [];
	for (let i = 0; i < 30; i++) idle.push((await get(`${baseUrl}/api/issues`)).ms);

	const urls = slugs.map((s) => `${baseUrl}/export/chart.png?issues=${s}&width=3000&height=3000&scale=4`);
	const renders: RenderLoadFigures['renders'] = [];
	let pending = urls.length;
	let firstDone = false;
	const all = Promise.all(
		urls.map((url, i) =>
			get(url, `127.0.0.${i + 2}`).then((r) => {
				renders.push({ url, status: r.status, ms: r.ms, bytes: r.bytes });
				firstDone = true;
				pending--;
			})
		)
	);
	const during: number[] = [];
	let answeredBeforeFirstImage = 0;
	const started = performance.now();
	// Bounded: at most 20,000 requests or 5 minutes.
	while (pending > 0 && during.length < 20_000 && performance.now() - started < 300_000) {
		const r = await get(`${baseUrl}/api/issues`);
		if (pending === 0) break;
		during.push(r.ms);
		if (!firstDone) answeredBeforeFirstImage++;
		await new Promise((res) => setTimeout(res, 25));
	}
	const stoppedEarly = pending > 0;
	await all;
	return { idle, during, renders, answeredBeforeFirstImage, stoppedEarly };
}

/** The figures as rows of the benchmark's table. */
export async function benchRender(baseUrl: string): Promise<Row[]> {
	const f = await measureRenderLoad(baseUrl);
	const rows: Row[] = [
		{ section: 'render', what: 'GET /api/issues, nothing rendering', value: spread(f.idle), note: `${f.idle.length} requests one after another` },
		{
			section: 'render',
			what: 'GET /api/issues while 3 maximal PNGs render',
			value: spread(f.during),
			note: `${f.during.length} requests, 25 ms apart, ${f.stoppedEarly ? 'stopped at the bound before the last image was done' : 'until the last image was done'}; ${f.answeredBeforeFirstImage} answered before the first image was`
		}
	];
	const ok = f.renders.filter((r) => r.status === 200);
	rows.push({
		section: 'render',
		what: '3 maximal PNGs (12,000 x 12,000 px) at once',
		value: ok.length ? `${(Math.max(...ok.map((r) => r.ms)) / 1000).toFixed(1)} s for all` : 'none rendered',
		note: f.renders
			.sort((a, b) => a.ms - b.ms)
			.map((r) => `${r.status} in ${(r.ms / 1000).toFixed(1)} s${r.status === 200 ? `, ${(r.bytes / 1024 / 1024).toFixed(1)} MiB` : ''}`)
			.join('; ')
	});
	return rows;
}

// `npx tsx tests/bench/render.ts http://127.0.0.1:PORT`: this section alone, against a running server.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	const url = process.argv[2];
	if (!url) throw new Error('usage: tsx tests/bench/render.ts <server URL on this machine>');
	for (const row of await benchRender(url)) console.log(`${row.what}: ${row.value}${row.note ? ` (${row.note})` : ''}`);
}

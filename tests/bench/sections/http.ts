/**
 * Load figures against the production build (adapter-node, `node build`) on the benchmark
 * database: autocannon, 10 connections, from this machine over loopback. The limit is a plain
 * node:http server returning the same pre-encoded bytes as /api/series, under the same load in
 * the same run; the floor is /api/health, a constant through the app's own hooks.
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { join } from 'node:path';
import { buildApp, startServer, type Server } from '../browser';
import { log } from '../measure';
import { round } from './data';
import type { Context, Figures, Note, Section } from './types';
import { measureChangesFill } from './views';

const BR = { 'accept-encoding': 'br, gzip' };

let problems: string[] = [];

async function load(url: string, seconds: number, headers: Record<string, string> = BR) {
	const r = await autocannon({ url, connections: 10, duration: seconds, headers, timeout: 30 });
	const ok = r['2xx'];
	if (ok <= 0) problems.push(`${url}: no successful response in ${seconds} s under load (${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts)`);
	return { rps: ok > 0 ? r.requests.average : 0, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors + r.timeouts };
}

let server: Server | null = null;
export async function stopServer(): Promise<void> {
	await server?.stop();
	server = null;
}

export const http: Section = {
	name: 'http',
	async run(ctx: Context) {
		problems = [];
		const build = await (ctx.build ?? Promise.resolve(buildApp(ctx.root)));
		if (!build.ok) throw new Error(`vite build failed: ${build.error?.split('\n')[0]}`);
		server = await startServer(ctx.root, ctx.dbFile, Number(process.env.BENCH_PORT ?? 4312));
		ctx.baseUrl = server.url;
		const s = ctx.loadSeconds;
		const figures: Figures = {};
		const notes: Note[] = [];
		// The server derives the stored change records in the background from its start: wait for
		// it, so that the load figures below are not taken beside it.
		const fill = await measureChangesFill(server.url, server.child.pid!);
		figures.changes_fill_ms = fill.fillMs;
		notes.push({ what: 'change records derived after the start (background)', value: `${(fill.fillMs / 1000).toFixed(1)} s`, note: `server CPU ${(fill.cpuMs / 1000).toFixed(1)} s; /changes meanwhile ${fill.firstMs.toFixed(0)} ms` });
		log(`  change records derived in ${(fill.fillMs / 1000).toFixed(1)} s (server CPU ${(fill.cpuMs / 1000).toFixed(1)} s)`);
		const note = (what: string, r: Awaited<ReturnType<typeof load>>, extra = '') =>
			notes.push({ what, value: `${Math.round(r.rps).toLocaleString('en')} req/s`, note: `p50 ${r.p50} ms, p99 ${r.p99} ms${r.non2xx ? `, ${r.non2xx} non-2xx` : ''}${extra ? `; ${extra}` : ''}` });

		// The busiest of the skewed issues (in --quick the chart issue has more events, all alike).
		const skewed = ctx.issues.filter((i) => i !== ctx.chartIssue);
		const issue = skewed[0]!;
		const on = (slug: string) => ctx.actorsByIssue.get(slug) ?? ctx.actors;
		// Five actors of the busiest issue, not its very busiest (ranks 6 to 10).
		const few = on(issue).slice(5, 10).join(',');
		const seriesUrl = `${server.url}/api/series?issue=${issue}&actors=${few}`;
		// The bytes the app sends for it, served by a plain node:http server: the limit. Read raw
		// (fetch would hand back the decoded body, and the limit server would then send that many
		// more bytes under a content-encoding header that does not match them).
		const first = await rawGet(seriesUrl, BR);
		if (first.status !== 200) throw new Error(`${seriesUrl} answered ${first.status}`);
		const body = first.body;
		const encoding = first.encoding;
		const plain = await startPlain(ctx.tmp, body, encoding);
		try {
			const limit = await load(plain.url, s);
			figures.limit_rps = Math.round(limit.rps);
			note('limit: node:http in its own process, same bytes', limit, `${body.byteLength.toLocaleString('en')} bytes (${encoding ?? 'identity'})`);
		} finally {
			plain.child.kill();
		}
		log(`  limit ${figures.limit_rps} req/s`);
		const floor = await load(`${server.url}/api/health`, s);
		figures.kit_floor_rps = Math.round(floor.rps);
		note('floor: GET /api/health through the hooks', floor);
		const series = await load(seriesUrl, s);
		figures.api_series_rps = Math.round(series.rps);
		figures.api_series_p99_ms = series.p99;
		figures.api_series_ratio = round(series.rps / limit(figures), 3);
		note(`/api/series, 5 actors (ranks 6-10) on the busiest issue`, series, `${Math.round((series.rps / (figures.kit_floor_rps || 1)) * 100)} % of the floor`);
		log(`  floor ${figures.kit_floor_rps}, series ${figures.api_series_rps} req/s`);

		// PNG: the first request of a view renders it; later ones are served from the cache.
		const renders: number[] = [];
		// Three actors of middling activity (ranks 6-8 and on) on the busiest issues: the top three of
		// the full run's busiest issue hold 70,000 events, an image nobody renders ten at a time.
		for (let k = 0; k < 5; k++) {
			const slug = skewed[k % skewed.length]!;
			const url = `${server.url}/export/chart.png?issues=${slug}&actors=${on(slug).slice(5 + k, 8 + k).join(',')}`;
			const t0 = performance.now();
			try {
				const r = await fetch(url, { signal: AbortSignal.timeout(60_000) });
				await r.arrayBuffer();
				if (!r.ok) problems.push(`${url} answered ${r.status}`);
				renders.push(performance.now() - t0);
			} catch (e) {
				problems.push(`${url}: ${(e as Error).message}`);
				break;
			}
		}
		renders.sort((a, b) => a - b);
		if (renders.length) figures.png_render_ms = round(renders[Math.floor(renders.length / 2)]!, 1);
		notes.push({ what: 'PNG, first request of a view (load + render)', value: `p50 ${figures.png_render_ms} ms`, note: `5 views of 3 actors, ${renders.map((x) => x.toFixed(0)).join(', ')} ms` });
		await settle(server.url);
		const pngUrl = `${server.url}/export/chart.png?issues=${issue}&actors=${on(issue).slice(5, 8).join(',')}`;
		const png = await load(pngUrl, s, {});
		figures.png_cached_rps = Math.round(png.rps);
		// The same bytes from a plain node:http server: what sending (and autocannon reading) an
		// image of that size allows here, whatever the app does.
		const pngBytes = Buffer.from(await (await fetch(pngUrl)).arrayBuffer());
		const plainPng = await startPlain(ctx.tmp, pngBytes, null);
		try {
			const limitPng = await load(plainPng.url, s, {});
			figures.png_limit_rps = Math.round(limitPng.rps);
			note('cached PNG', png, `${pngBytes.byteLength.toLocaleString('en')} bytes; ${Math.round((png.rps / (limitPng.rps || 1)) * 100)} % of node:http sending the same bytes (${figures.png_limit_rps} req/s)`);
		} finally {
			plainPng.child.kill();
		}
		// Pages last: a page that cannot keep up leaves requests queued behind it.
		await settle(server.url);
		const home = await load(`${server.url}/`, s);
		figures.home_rps = Math.round(home.rps);
		note('home page (brotli)', home);
		const issuePage = `${server.url}/issues/${issue}`;
		try {
			const html = await (await fetch(issuePage, { headers: { 'accept-encoding': 'identity' }, signal: AbortSignal.timeout(60_000) })).text();
			figures.issue_page_kb = round(Buffer.byteLength(html) / 1024, 1);
		} catch (e) {
			problems.push(`${issuePage}: ${(e as Error).message}`);
		}
		await settle(server.url);
		const ip = await load(issuePage, s);
		figures.issue_page_rps = Math.round(ip.rps);
		note('issue page, busiest issue (brotli)', ip, `${figures.issue_page_kb} KB of HTML uncompressed`);
		log(`  home ${figures.home_rps}, issue page ${figures.issue_page_rps} req/s`);

		return { figures, notes, problems };
	}
};

const limit = (f: Figures) => f.limit_rps || 1;

/**
 * Waits until the server answers /api/health again (at most three minutes): requests still queued
 * from a load window that it could not keep up with would otherwise count against the next one.
 */
export async function settle(base: string): Promise<void> {
	const t0 = performance.now();
	while (performance.now() - t0 < 180_000) {
		try {
			const r = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(2000) });
			await r.arrayBuffer();
			if (r.ok) break;
		} catch {
			// still busy
		}
	}
	const waited = performance.now() - t0;
	if (waited > 2000) log(`  waited ${(waited / 1000).toFixed(0)} s for the server to answer again`);
}

/** One GET with node:http, the body as sent (still encoded). */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; encoding: string | null; body: Buffer }> {
	return new Promise((resolve, reject) => {
		httpGet(url, { headers }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () => {
				const e = res.headers['content-encoding'];
				resolve({ status: res.statusCode ?? 0, encoding: typeof e === 'string' ? e : null, body: Buffer.concat(chunks) });
			});
			res.on('error', reject);
		}).on('error', reject);
	});
}

/** A plain node:http server in its own process (as the app runs in its own) sending fixed bytes. */
async function startPlain(tmp: string, body: Buffer, encoding: string | null): Promise<{ url: string; child: ChildProcess }> {
	const file = join(tmp, 'limit-body');
	writeFileSync(file, body);
	const headers: Record<string, string> = { 'content-type': 'application/json', 'content-length': String(body.byteLength) };
	if (encoding) headers['content-encoding'] = encoding;
	const script = `const b=require('fs').readFileSync(${JSON.stringify(file)});const h=${JSON.stringify(headers)};const s=require('http').createServer((q,r)=>{r.writeHead(200,h);r.end(b)});s.listen(0,'127.0.0.1',()=>console.log(s.address().port))`;
	const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
	const port = await new Promise<string>((resolve, reject) => {
		child.stdout!.once('data', (d) => resolve(String(d).trim()));
		child.once('exit', (code) => reject(new Error(`the limit server exited with ${code}`)));
	});
	return { url: `http://127.0.0.1:${port}/`, child };
}

/**
 * Export figures: server-side PNG and SVG render times (the same spec the endpoint renders), and
 * the throughput of cached images over HTTP on loopback. Figures only, no pass/fail.
 */
import autocannon from 'autocannon';
import type { Db } from '../../src/lib/server/db/client';
import { exportContext, sizeFor, specFor } from '../../src/lib/server/export';
import { renderPng, renderSvg } from '../../src/lib/server/render';
import { sample, statsNote, statsValue, type Row } from './measure';

const VIEWS = [
	{ what: 'issue page view (3 actors)', query: '?issues=intelligence-sharing-us' },
	{ what: 'compare, side by side (2 actors x 2 issues)', query: '?actors=colombia,united-states&issues=intelligence-sharing-us,boat-strikes-legality&mode=side' }
];

/** Renders the demo views directly, then loads the cached image endpoint of a running server. */
export async function benchExports(db: Db, baseUrl: string): Promise<Row[]> {
	const rows: Row[] = [];
	for (const v of VIEWS) {
		const r = await exportContext(db, new URL(`http://bench.local/export/chart.png${v.query}`));
		if (!r.ok) throw new Error(`bench view refused: ${v.query}`);
		for (const scale of [1, 2]) {
			const spec = await specFor(r.ctx, sizeFor(r.ctx, { width: null, height: null, scale }));
			const png = await sample(() => renderPng(spec, scale), { runs: 20, budgetMs: 8_000 });
			rows.push({ section: 'export', what: `server PNG ${scale}x: ${v.what}`, value: statsValue(png), note: `${spec.width * scale}x${spec.height * scale} px; ${statsNote(png)}` });
		}
		const spec = await specFor(r.ctx, sizeFor(r.ctx, { width: null, height: null, scale: 1 }));
		const svg = await sample(() => renderSvg(spec), { runs: 20, budgetMs: 8_000 });
		rows.push({ section: 'export', what: `server SVG: ${v.what}`, value: statsValue(svg), note: statsNote(svg) });
	}
	const url = `${baseUrl}/export/chart.png${VIEWS[0]!.query}&scale=2`;
	const first = await fetch(url);
	await first.arrayBuffer();
	const result = await autocannon({ url, connections: 10, duration: 5 });
	rows.push({
		section: 'export',
		what: 'cached PNG over HTTP (10 connections, 5 s)',
		value: `${Math.round(result.requests.average).toLocaleString('en')} req/s`,
		note: `p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms; ${result.non2xx} non-2xx; first render ${first.status}`
	});
	const etag = first.headers.get('etag') ?? '';
	const revalidate = await autocannon({ url, connections: 10, duration: 3, headers: { 'if-none-match': etag } });
	rows.push({
		section: 'export',
		what: 'revalidation with If-None-Match (304)',
		value: `${Math.round(revalidate.requests.average).toLocaleString('en')} req/s`,
		note: `p50 ${revalidate.latency.p50} ms, p99 ${revalidate.latency.p99} ms`
	});
	return rows;
}

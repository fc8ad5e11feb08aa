/**
 * Browser figures in Debian's Chromium against the running production server: the time from the
 * page's data being in the page (DOMContentLoaded) to a drawn chart, on the issue page of the chart
 * issue (20 countries x 5,000 events, all shown), and the JavaScript a page loads (gzip).
 * The compare page at 20 x 5,000 ships every event in its HTML (tens of MB): `npm run bench:legacy`
 * still times it.
 */
import { chromium } from '@playwright/test';
import { gzipSync } from 'node:zlib';
import { browserLaunchOptions } from '../../tools/browser.mjs';
import { loadPage } from '../browser';
import { round } from './data';
import { settle } from './http';
import type { Context, Figures, Note, Section } from './types';

export const browser: Section = {
	name: 'browser',
	async run(ctx: Context) {
		if (!ctx.baseUrl) throw new Error('the http section did not start a server');
		await settle(ctx.baseUrl);
		const issuePage = `${ctx.baseUrl}/issues/${ctx.issues.find((i) => i !== ctx.chartIssue)}`;
		// The JavaScript the issue page loads: its module preloads, each gzipped.
		const page = await fetch(issuePage, { signal: AbortSignal.timeout(120_000) });
		// SvelteKit lists them in the Link header and in the page's start-up script.
		const text = `${page.headers.get('link') ?? ''}\n${await page.text()}`;
		const scripts = [...new Set([...text.matchAll(/["'(<](\.?\/?[^"'()<>]*_app\/immutable\/[^"'()<>]+\.js)["')>]/g)].map((m) => m[1]!))];
		let gz = 0;
		for (const src of scripts) gz += gzipSync(Buffer.from(await (await fetch(new URL(src, issuePage))).arrayBuffer()), { level: 9 }).byteLength;
		const b = await chromium.launch(browserLaunchOptions());
		try {
			// The chart issue's 20 countries x 5,000 events on the issue page (the bounded page: compact
			// series, aggregated per period where there are more events than pixels), then the same
			// narrowed to the last six years, where every event is drawn.
			const all = `${ctx.baseUrl}/issues/${ctx.chartIssue}?actors=${ctx.chartActors.join(',')}`;
			const narrow = `${all}&from=2020-01-01&to=2025-12-31`;
			const js = { page_js_kb_gz: round(gz / 1024, 1) };
			const notes: Note[] = [{ what: 'issue page JavaScript (module preloads, gzip -9)', value: `${(gz / 1024).toFixed(1)} KB`, note: `${scripts.length} files` }];
			const problems: string[] = [];
			const figures: Figures = { ...js };
			for (const [url, what] of [
				[all, '20 actors x 5,000 events, issue page: DOMContentLoaded to drawn chart'],
				[narrow, 'the same, 2020-2025 (single events): DOMContentLoaded to drawn chart']
			] as const) {
				const times: number[] = [];
				let last = '';
				let aggregated = '';
				for (let k = 0; k < 3; k++) {
					const { context, page, figures: f, timedOut } = await loadPage(b, url, { expected: 1, timeoutMs: 60_000 });
					if (k === 0) aggregated = (await page.getByTestId('aggregation-note').allTextContents()).join(' ').trim();
					await context.close();
					if (timedOut || f.firstChart === null) {
						problems.push(`${url} drew no chart within 60 s (HTML ${Math.round(f.htmlBytes / 1024)} KB)`);
						break;
					}
					times.push(f.firstChart - f.domContentLoaded);
					last = `HTML ${Math.round(f.htmlBytes / 1024)} KB, first byte ${f.responseStart.toFixed(0)} ms, DOMContentLoaded ${f.domContentLoaded.toFixed(0)} ms, chart ${f.firstChart.toFixed(0)} ms`;
				}
				if (!times.length) continue;
				times.sort((x, y) => x - y);
				const p50 = times[Math.floor(times.length / 2)]!;
				if (url === all) figures.chart_render_ms = round(p50, 1);
				notes.push({ what, value: `p50 ${p50.toFixed(0)} ms`, note: `${times.length} loads; last: ${last}; ${aggregated ? aggregated.slice(0, 80) : 'not aggregated'}` });
			}
			return { figures, notes, problems };
		} finally {
			await b.close();
		}
	}
};

/**
 * Browser figures in Debian's Chromium against the running production server: the time from the
 * page's data being in the page to a drawn chart, and the JavaScript a page loads (gzip).
 */
import { chromium } from '@playwright/test';
import { gzipSync } from 'node:zlib';
import { browserLaunchOptions } from '../../tools/browser.mjs';
import { loadPage } from '../browser';
import { round } from './data';
import type { Context, Section } from './types';

export const browser: Section = {
	name: 'browser',
	async run(ctx: Context) {
		if (!ctx.baseUrl) throw new Error('the http section did not start a server');
		const issuePage = `${ctx.baseUrl}/issues/${ctx.issues[0]}`;
		// The JavaScript the issue page loads: its module preloads, each gzipped.
		const page = await fetch(issuePage, { signal: AbortSignal.timeout(120_000) });
		// SvelteKit lists them in the Link header and in the page's start-up script.
		const text = `${page.headers.get('link') ?? ''}\n${await page.text()}`;
		const scripts = [...new Set([...text.matchAll(/["'(<](\.?\/?[^"'()<>]*_app\/immutable\/[^"'()<>]+\.js)["')>]/g)].map((m) => m[1]!))];
		let gz = 0;
		for (const src of scripts) gz += gzipSync(Buffer.from(await (await fetch(new URL(src, issuePage))).arrayBuffer()), { level: 9 }).byteLength;
		const b = await chromium.launch(browserLaunchOptions());
		try {
			// 20 actors on the busiest issue: the compare page with its data in the page.
			const url = `${ctx.baseUrl}/compare?actors=${ctx.actors.slice(0, 20).join(',')}&issues=${ctx.issues[0]}`;
			const times: number[] = [];
			let last = '';
			const js = { page_js_kb_gz: round(gz / 1024, 1) };
			const jsNote = { what: 'issue page JavaScript (module preloads, gzip -9)', value: `${(gz / 1024).toFixed(1)} KB`, note: `${scripts.length} files` };
			for (let k = 0; k < 3; k++) {
				const { context, figures, timedOut } = await loadPage(b, url, { expected: 1, timeoutMs: 60_000 });
				await context.close();
				if (timedOut || figures.firstChart === null) {
					return { figures: js, notes: [jsNote], problems: [`the compare page of 20 actors on ${ctx.issues[0]} drew no chart within 60 s (HTML ${Math.round(figures.htmlBytes / 1024)} KB)`] };
				}
				times.push(figures.firstChart - figures.domContentLoaded);
				last = `HTML ${Math.round(figures.htmlBytes / 1024)} KB, first byte ${figures.responseStart.toFixed(0)} ms, DOMContentLoaded ${figures.domContentLoaded.toFixed(0)} ms, chart ${figures.firstChart.toFixed(0)} ms`;
			}
			times.sort((x, y) => x - y);
			return {
				figures: { chart_render_ms: round(times[1]!, 1), ...js },
				notes: [
					{ what: 'compare page, 20 actors x busiest issue: DOMContentLoaded to drawn chart', value: `p50 ${times[1]!.toFixed(0)} ms`, note: `3 loads; last: ${last}` },
					jsNote
				]
			};
		} finally {
			await b.close();
		}
	}
};

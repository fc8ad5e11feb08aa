/**
 * `npm run bench:legacy` (the first benchmark, kept for its compare-page, hover and export figures): figures for a large dataset (20 countries x 5,000 events on one issue, plus two
 * smaller issues) and for the demo dataset: write path, queries, pure chart code, and the compare
 * page in Chromium. Prints figures; never asserts timings. Temporary files live under the OS temp
 * folder and are removed at the end; the servers it starts are stopped even on error.
 *
 * Environment: BENCH_SCALE (default 1) scales the event counts for a quick run; BENCH_BUILD=always
 * rebuilds the app even when build/ is newer than src/; BENCH_BROWSER=false skips the browser part;
 * BENCH_IMPORT=false skips the bulk import (IMPORT_BENCH_ROWS sets its size, default 1,000,000).
 */
import { chromium, type Browser } from '@playwright/test';
import { readFileSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { buildCompareModel } from '../../src/lib/charts/compareModel';
import { buildStanceLineConfig, DENSE_EVENTS } from '../../src/lib/charts/stanceLine';
import { buildSeries } from '../../src/lib/domain/series';
import type { CompareView } from '../../src/lib/domain/view';
import { createDb } from '../../src/lib/server/db/client';
import { migrateDb } from '../../src/lib/server/db/migrate';
import * as actorsQ from '../../src/lib/server/queries/actors';
import * as eventsQ from '../../src/lib/server/queries/events';
import * as issuesQ from '../../src/lib/server/queries/issues';
import * as seriesQ from '../../src/lib/server/queries/series';
import { seedIfEmpty } from '../../src/lib/server/seed';
import { browserLaunchOptions } from '../tools/browser.mjs';
import { benchTmp, buildApp, hoverTimes, killAllServers, loadPage, startServer, type HoverResult, type PageLoad, type Server } from './browser';
import { loadSynthetic } from './load';
import { log, ms, percentile, printTable, sample, stats, statsNote, statsValue, type Row } from './measure';
import { dataset, plan } from './generate';
import { benchExports } from './exports';
import { benchRender } from './render';
import { benchImport } from './import';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MIGRATIONS = join(ROOT, 'drizzle');
const DEMO = join(ROOT, 'data', 'demo.json');
const BIG_PORT = 4310;
const DEMO_PORT = 4311;
const BIG_ISSUE = 'bench-main';

const scale = Number(process.env.BENCH_SCALE ?? '1');
const n = (count: number) => Math.max(1, Math.round(count * (Number.isFinite(scale) && scale > 0 ? scale : 1)));

const rows: Row[] = [];
const add = (section: string, what: string, value: string, note?: string) => rows.push({ section, what, value, note });

const { tmp, cleanup } = benchTmp();

const view = (actors: string[], issues: string[]): CompareView => ({
	actors,
	issues,
	mode: 'overlay',
	range: 'all',
	from: null,
	to: null,
	focus: null
});

async function main() {
	const started = performance.now();
	log(`temporary folder ${tmp}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores`);

	// 1. Synthetic data through the write path.
	const layout = plan({
		events: 0,
		issues: 0,
		// 20 countries, each with a leader and a minister, over fifteen years.
		actors: 60,
		peopleShare: 2 / 3,
		from: '2011-01-01',
		fixed: [
			{ slug: BIG_ISSUE, title: 'Main benchmark issue', actors: 20, eventsPerActor: n(5000) },
			{ slug: 'bench-second', title: 'Second benchmark issue', actors: 20, eventsPerActor: n(250) },
			{ slug: 'bench-third', title: 'Third benchmark issue', actors: 10, eventsPerActor: n(100) }
		],
		seed: 20251111
	});
	const synth = { ...dataset(layout), countries: layout.countries };
	const bigCount = synth.events.filter((e) => e.issue === BIG_ISSUE).length;
	log(`generated ${synth.actors.length} actors, ${synth.issues.length} issues, ${synth.events.length.toLocaleString('en')} events (${bigCount.toLocaleString('en')} on ${BIG_ISSUE})`);
	const dbFile = join(tmp, 'big.db');
	const db = createDb({ url: `file:${dbFile}` });
	await migrateDb(db, MIGRATIONS);
	const load = await loadSynthetic(db, synth, { chunk: 2000, maxWritePathMs: 60_000 });
	const wp = load.writePath;
	add('insert', 'writeDataset (2,000 events a call)', `${Math.round(wp.events / (wp.ms / 1000)).toLocaleString('en')} rows/s`, `${wp.events.toLocaleString('en')} events in ${(wp.ms / 1000).toFixed(1)} s`);
	if (load.raw.events) {
		add('insert', 'raw multi-row INSERT (client.batch)', `${Math.round(load.raw.events / (load.raw.ms / 1000)).toLocaleString('en')} rows/s`, `${load.raw.events.toLocaleString('en')} events in ${(load.raw.ms / 1000).toFixed(1)} s; ${load.switchedBecause}`);
	}
	add('insert', 'path used', load.raw.events ? 'write path, then raw INSERTs' : 'write path for every event');
	const mb = (f: string) => (statSync(f).size / 1024 / 1024).toFixed(1);
	add('insert', 'database file', `${mb(dbFile)} MiB`, `${synth.events.length.toLocaleString('en')} events with one source each`);
	log(`inserted (${load.raw.events ? 'write path, then raw' : 'write path only'}); database ${mb(dbFile)} MiB`);

	// 2. Queries.
	const one = synth.countries[0]!;
	const listOne = await sample(() => eventsQ.list(db, { actor: one, issue: BIG_ISSUE }), { runs: 30, budgetMs: 6_000 });
	add('query', `events.list: 1 actor on ${BIG_ISSUE} (${n(5000).toLocaleString('en')} events)`, statsValue(listOne), statsNote(listOne));
	log(`events.list one actor: ${statsValue(listOne)}`);
	let forIssue: Awaited<ReturnType<typeof seriesQ.forIssue>> | null = null;
	const seriesStats = await sample(
		async () => {
			forIssue = await seriesQ.forIssue(db, { issue: BIG_ISSUE, actors: synth.countries });
		},
		{ runs: 30, budgetMs: 10_000, minRuns: 2, warmup: 0 }
	);
	add('query', `series.forIssue: 20 actors on ${BIG_ISSUE} (${bigCount.toLocaleString('en')} events)`, statsValue(seriesStats), statsNote(seriesStats, seriesStats.runs < 30 ? 'stopped early: time budget' : ''));
	log(`series.forIssue 20 actors: ${statsValue(seriesStats)}`);
	// The compare page's own load: every event of the chosen actors, on every issue.
	let pageEvents: Awaited<ReturnType<typeof eventsQ.list>>['events'] = [];
	const pageQuery = await sample(
		async () => {
			pageEvents = (await eventsQ.list(db, { actors: synth.countries })).events;
		},
		{ runs: 10, budgetMs: 5_000, minRuns: 1, warmup: 0 }
	);
	add('query', `events.list: 20 actors, all issues (compare page load, ${pageEvents.length.toLocaleString('en')} events)`, statsValue(pageQuery), statsNote(pageQuery));
	log(`events.list 20 actors all issues: ${statsValue(pageQuery)}`);

	// 3. Pure code on the same data.
	const fi = forIssue as Awaited<ReturnType<typeof seriesQ.forIssue>> | null;
	if (!fi?.ok) throw new Error(`series.forIssue failed: ${fi && !fi.ok ? fi.error : 'no result'}`);
	const [allActors, allIssues] = await Promise.all([actorsQ.list(db), issuesQ.list(db)]);
	const big = fi.events;
	const seriesPure = await sample(() => buildSeries({ events: big }), { runs: 30, budgetMs: 5_000 });
	add('pure', `buildSeries: ${big.length.toLocaleString('en')} events`, statsValue(seriesPure), statsNote(seriesPure));
	const compareView = view(synth.countries, [BIG_ISSUE]);
	let model = buildCompareModel({ view: compareView, issues: allIssues, actors: allActors, events: pageEvents });
	const modelStats = await sample(
		() => {
			model = buildCompareModel({ view: compareView, issues: allIssues, actors: allActors, events: pageEvents });
		},
		{ runs: 30, budgetMs: 6_000, minRuns: 3 }
	);
	const panel = model.panels[0]!;
	add(
		'pure',
		`buildCompareModel: 20 actors x 1 issue (${pageEvents.length.toLocaleString('en')} events in)`,
		statsValue(modelStats),
		statsNote(modelStats, `${panel.series.length} series, ${panel.mixed.length} mixed-signal episodes, ${model.events.length.toLocaleString('en')} events in range`)
	);
	let config = buildStanceLineConfig({ issue: panel.issue, series: panel.series, range: model.range, spread: true, bands: panel.bands });
	const configStats = await sample(
		() => {
			config = buildStanceLineConfig({ issue: panel.issue, series: panel.series, range: model.range, spread: true, bands: panel.bands });
		},
		{ runs: 30, budgetMs: 4_000 }
	);
	const decimation = (config.options?.plugins as { decimation?: { enabled?: boolean } } | undefined)?.decimation?.enabled === true;
	const points = config.data.datasets.reduce((sum, d) => sum + d.data.length, 0);
	add(
		'pure',
		`buildStanceLineConfig: 20 series`,
		statsValue(configStats),
		statsNote(configStats, `${points.toLocaleString('en')} points; dense (> ${DENSE_EVENTS} events): decimation ${decimation ? 'on' : 'off'}, markers ${decimation ? 'hidden' : 'shown'}`)
	);
	log(`pure: buildSeries ${statsValue(seriesPure)}; compare model ${statsValue(modelStats)}; line config ${statsValue(configStats)}`);
	db.$client.close();

	// 4. Browser.
	if (process.env.BENCH_BROWSER === 'false') {
		add('browser', 'skipped', 'BENCH_BROWSER=false');
	} else {
		await browserFigures(dbFile, synth.countries);
	}

	// 5. Bulk import (tests/bench/import.ts): a 1M-row CSV in a process of its own; BENCH_IMPORT=false skips it.
	if (process.env.BENCH_IMPORT === 'false') add('import', 'skipped', 'BENCH_IMPORT=false');
	else {
		const imp = await benchImport();
		for (const r of imp.rows) add('import', r.what, r.value, r.note);
		log(`import: ${imp.import_rows_per_s} rows/s, peak RSS ${imp.import_peak_rss_mb} MB`);
	}

	const total = (performance.now() - started) / 1000;
	add('bench', 'total time', `${total.toFixed(0)} s`, `load average at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores (other work on the machine inflates every figure)`);
	log(`done in ${total.toFixed(1)} s`);
}

const pageNote = (f: PageLoad) =>
	`HTML ${f.htmlBytes >= 1024 * 1024 ? `${(f.htmlBytes / 1024 / 1024).toFixed(1)} MiB` : `${(f.htmlBytes / 1024).toFixed(0)} KiB`}; first byte ${ms(f.responseStart)} ms, HTML done ${ms(f.responseEnd)} ms, DOMContentLoaded ${ms(f.domContentLoaded)} ms`;

async function browserFigures(bigDb: string, countries: string[]) {
	log('building the app (vite build) unless build/ is newer than src/');
	const build = buildApp(ROOT);
	add('browser', 'vite build', build.built ? `${(build.ms / 1000).toFixed(1)} s` : 'skipped', build.built ? undefined : 'build/ is newer than src/');
	if (!build.ok) {
		add('browser', 'figures', 'not measured', `the build failed (src is being edited?): ${build.error?.split('\n')[0]?.trim()}`);
		console.error(build.error);
		return;
	}
	let browser: Browser | null = null;
	let server: Server | null = null;
	try {
		browser = await chromium.launch(browserLaunchOptions());

		// (a), (b): the large dataset.
		server = await startServer(ROOT, bigDb, BIG_PORT);
		const bigUrl = `${server.url}/compare?actors=${countries.join(',')}&issues=${BIG_ISSUE}`;
		log(`large: ${bigUrl.slice(0, 90)}...`);
		// One load: at this size a load takes tens of seconds.
		{
			const { context, page, figures, timedOut } = await loadPage(browser, bigUrl, { expected: 1, timeoutMs: 90_000 });
			try {
				log(`  large: chart drawn at ${figures.firstChart === null ? '—' : ms(figures.firstChart)} ms; ${pageNote(figures)}`);
				if (timedOut || figures.firstChart === null) {
					add('browser', 'large: first drawn chart (20 actors x 1 issue)', 'not drawn within 90 s', pageNote(figures));
				} else {
					add('browser', 'large: first drawn chart (20 actors x 1 issue)', `${ms(figures.firstChart)} ms`, `1 load, from navigation start; ${pageNote(figures)}; load event ${ms(figures.load)} ms`);
					reportHover('large', await hoverTimes(page, { positions: 20, hoverTimeoutMs: 10_000, budgetMs: 30_000 }));
				}
			} finally {
				await context.close();
			}
		}
		await server.stop();
		server = null;

		// (c): the demo dataset, 10 actors x 3 issues.
		const demoDb = join(tmp, 'demo.db');
		const db = createDb({ url: `file:${demoDb}` });
		await migrateDb(db, MIGRATIONS);
		await seedIfEmpty(db, DEMO);
		db.$client.close();
		const { actors, issues } = demoPick();
		server = await startServer(ROOT, demoDb, DEMO_PORT);
		const demoUrl = `${server.url}/compare?actors=${actors.join(',')}&issues=${issues.join(',')}`;
		log(`demo: ${demoUrl}`);
		const demoFirst: number[] = [];
		let demoNote = '';
		const demoAll: number[] = [];
		for (let run = 0; run < 5; run++) {
			const { context, page, figures, timedOut } = await loadPage(browser, demoUrl, { expected: issues.length, timeoutMs: 30_000 });
			try {
				if (timedOut || figures.firstChart === null) {
					add('browser', `demo: charts (run ${run + 1})`, `${figures.charts} of ${issues.length} drawn within 30 s`, pageNote(figures));
					break;
				}
				demoFirst.push(figures.firstChart);
				if (figures.allCharts !== null) demoAll.push(figures.allCharts);
				if (run === 0) {
					demoNote = pageNote(figures);
					reportHover('demo', await hoverTimes(page, { positions: 20, hoverTimeoutMs: 10_000, budgetMs: 20_000 }));
				}
				if (run === 1) {
					// Where a pointer meets an event: the canvas right under the event markers.
					reportHover('demo', await hoverTimes(page, { positions: 5, hoverTimeoutMs: 10_000, budgetMs: 15_000, onMarkers: true }), 'on event markers');
				}
			} finally {
				await context.close();
			}
		}
		if (demoFirst.length) {
			const f = stats(demoFirst);
			add('browser', `demo: first drawn chart (${actors.length} actors x ${issues.length} issues)`, `p50 ${ms(f.p50)} ms`, `${f.runs} loads: ${demoFirst.map(ms).join(', ')} ms; first load: ${demoNote}`);
		}
		if (demoAll.length) {
			const a = stats(demoAll);
			add('browser', `demo: all ${issues.length} charts drawn`, `p50 ${ms(a.p50)} ms`, `${a.runs} loads, max ${ms(a.max)} ms`);
		}
		log(`demo: first chart ${demoFirst.map(ms).join(', ')} ms`);

		// (d): exports on the demo data: server rendering, then cached images over HTTP.
		const demoRead = createDb({ url: `file:${demoDb}` });
		try {
			for (const row of await benchExports(demoRead, server.url)) {
				rows.push(row);
				log(`  ${row.what}: ${row.value}`);
			}
			// (e): other requests while three maximal PNGs render in the workers.
			for (const row of await benchRender(server.url)) {
				rows.push(row);
				log(`  ${row.what}: ${row.value}`);
			}
		} finally {
			demoRead.$client.close();
		}
	} catch (e) {
		add('browser', 'error', (e as Error).message.split('\n')[0]!);
		console.error(e);
		if (server) console.error(`server output: ${server.output().slice(-2000)}`);
	} finally {
		await server?.stop();
		await browser?.close();
		killAllServers();
	}
}

function reportHover(label: string, h: HoverResult, where = 'across the chart') {
	const moves = h.times.length + h.hung;
	const notes = [`${h.times.length} of ${moves} moves came back`];
	if (h.renders.length) notes.push(`renders per move: p50 ${percentile(h.renders, 50)}, max ${Math.max(...h.renders)}`);
	if (h.hung) notes.push(`a move was still running after 10 s: main thread stuck, hovering stopped`);
	const errors = [...new Set(h.errors)];
	if (errors.length) notes.push(`page errors: ${errors.join('; ')}`);
	const value = h.times.length ? statsValue(stats(h.times)) : 'no move came back';
	add('browser', `${label}: hover ${where} (mousemove to next frame)`, value, notes.join('; '));
	log(`  ${label} hover: ${value}; ${notes.join('; ')}`);
}

/** The demo's 10 actors with the most events (file order breaks ties) and its 3 busiest issues. */
function demoPick(): { actors: string[]; issues: string[] } {
	const demo = JSON.parse(readFileSync(DEMO, 'utf8')) as {
		actors: { slug: string }[];
		issues: { slug: string }[];
		events: { actor: string; issue: string }[];
	};
	const busiest = (slugs: string[], key: 'actor' | 'issue', count: number) => {
		const tally = new Map(slugs.map((s) => [s, 0]));
		for (const e of demo.events) tally.set(e[key], (tally.get(e[key]) ?? 0) + 1);
		return slugs
			.map((s, i) => ({ s, i, n: tally.get(s) ?? 0 }))
			.sort((a, b) => b.n - a.n || a.i - b.i)
			.slice(0, count)
			.map((x) => x.s);
	};
	return {
		actors: busiest(demo.actors.map((a) => a.slug), 'actor', 10),
		issues: busiest(demo.issues.map((i) => i.slug), 'issue', 3)
	};
}

let exitCode = 0;
try {
	await main();
} catch (e) {
	console.error(e);
	add('bench', 'error', (e as Error).message.split('\n')[0]!);
	exitCode = 1;
} finally {
	console.log('');
	printTable(rows);
	cleanup();
}
process.exit(exitCode);

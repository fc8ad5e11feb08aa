/**
 * `npm run bench -- --unvotes`: issue 10's targets on the real UN General Assembly votes
 * (870,109 votes of 200 countries, one issue), loaded with the README's recipe into a scratch
 * database: `npm run cli -- import un_votes.csv --map data/unvotes.mapping.json --create-missing`.
 * Then, on the production build: the home page, the issue page and the compare page of five
 * countries (server time, one request at a time), the same two pages drawn in Chromium (navigation
 * start to the first drawn chart), issue 11's views (changes page, who moved, as of), and the
 * server's peak RSS over all of it (VmHWM). Figures only, never pass/fail.
 * The votes are looked for in UNVOTES_DIR, else ../shared/datasets/unvotes beside the clone.
 */
import { chromium } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { browserLaunchOptions } from '../../tools/browser.mjs';
import { buildAppInBackground, loadPage, startServer, type Server } from '../browser';
import { log } from '../measure';
import { round } from './data';
import type { Context, Note, SectionResult } from './types';
import { measureChangesAfterWrites, measureChangesFill, measureViews, timedNote, timeGet } from './views';

export const UNVOTES_ISSUE = 'un-general-assembly-roll-call-votes';
export const UNVOTES_FIVE = ['united-states', 'russia', 'china', 'united-kingdom', 'france'];

/** Issue 11's views timed after writes (views.ts, measureChangesAfterWrites). */
const CHANGE_VIEWS = ['changes_five', 'who_moved_five', 'who_moved_all', 'changes_all'] as const;

/** Every key the --unvotes mode writes. */
export const UNVOTES_KEYS = [
	'unvotes_events',
	'unvotes_import_rows_per_s',
	'unvotes_import_peak_rss_mb',
	'unvotes_db_file_mb',
	'unvotes_home_ms',
	'unvotes_home_first_ms',
	'unvotes_issue_page_ms',
	'unvotes_issue_page_first_ms',
	'unvotes_issue_page_kb',
	'unvotes_compare5_ms',
	'unvotes_compare5_first_ms',
	'unvotes_issue_chart_ms',
	'unvotes_compare5_chart_ms',
	'unvotes_changes_page_ms',
	'unvotes_changes_page_first_ms',
	'unvotes_changes_all_first_ms',
	'unvotes_changes_fill_ms',
	'unvotes_changes_fill_cpu_ms',
	'unvotes_changes_during_fill_first_ms',
	'unvotes_who_moved_ms',
	'unvotes_who_moved_first_ms',
	'unvotes_asof_compare_ms',
	'unvotes_asof_compare_kb',
	'unvotes_asof_issue_ms',
	'unvotes_asof_issue_first_ms',
	'unvotes_asof_issue_kb',
	'unvotes_asof_series_ms',
	'unvotes_asof_series_first_ms',
	'unvotes_asof_series_month_ms',
	'unvotes_asof_series_month_first_ms',
	'unvotes_asof_events_ms',
	'unvotes_asof_events_first_ms',
	'unvotes_asof_csv_ms',
	'unvotes_asof_csv_first_ms',
	'unvotes_asof_json_ms',
	'unvotes_asof_json_first_ms',
	'unvotes_asof_png_first_ms',
	'unvotes_asof_svg_first_ms',
	'unvotes_server_peak_rss_mb',
	...CHANGE_VIEWS.flatMap((k) => [`unvotes_${k}_after_unrelated_write_ms`, `unvotes_${k}_after_scope_write_ms`, `unvotes_${k}_repeat_ms`])
] as const;

export function unvotesDir(root: string): string | null {
	const candidates = [process.env.UNVOTES_DIR, join(root, '../shared/datasets/unvotes'), join(root, '../../shared/datasets/unvotes')].filter((d): d is string => !!d);
	return candidates.map((d) => resolve(d)).find((d) => existsSync(join(d, 'un_votes.csv')) && existsSync(join(d, 'un_roll_calls.csv'))) ?? null;
}

/** Peak and current resident set of a process, MB (Linux /proc). */
function rss(pid: number): { peak: number; now: number } {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
	return { peak: kb('VmHWM') / 1024, now: kb('VmRSS') / 1024 };
}

export async function runUnvotes(ctx: Context, port: number): Promise<SectionResult & { figures: Record<string, number> }> {
	const dir = unvotesDir(ctx.root);
	if (!dir) throw new Error('the UN votes are not there: put un_votes.csv and un_roll_calls.csv in ../shared/datasets/unvotes beside the clone, or set UNVOTES_DIR');
	const figures: Record<string, number> = {};
	const notes: Note[] = [];
	const problems: string[] = [];
	const dbFile = join(ctx.tmp, 'unvotes.db');

	// 1. The README's recipe, as a user runs it, under GNU time for its peak RSS.
	const command = ['node_modules/.bin/tsx', 'src/cli/index.ts', 'import', join(dir, 'un_votes.csv'), '--map', 'data/unvotes.mapping.json', '--create-missing'];
	log(`unvotes: importing with \`${command.slice(1).join(' ')}\``);
	const t0 = performance.now();
	const r = spawnSync('/usr/bin/time', ['-f', 'MAXRSS %M', ...command], { cwd: ctx.root, env: { ...process.env, DATABASE_URL: `file:${dbFile}` }, encoding: 'utf8', maxBuffer: 1 << 26 });
	const importMs = performance.now() - t0;
	if (r.status !== 0) throw new Error(`the import failed (${r.status}): ${(r.stderr || r.stdout).slice(-500)}`);
	const added = Number(/new:\s*([\d,]+)/.exec(r.stdout)?.[1]?.replace(/,/g, '') ?? NaN);
	const kib = Number(/MAXRSS (\d+)/.exec(r.stderr)?.[1]);
	figures.unvotes_events = added;
	figures.unvotes_import_rows_per_s = Math.round(added / (importMs / 1000));
	figures.unvotes_import_peak_rss_mb = round(kib / 1024, 0);
	figures.unvotes_db_file_mb = round(statSync(dbFile).size / 1024 / 1024, 1);
	notes.push({ what: 'import (CLI, README recipe, fresh database)', value: `${figures.unvotes_import_rows_per_s.toLocaleString('en')} rows/s`, note: `${added.toLocaleString('en')} new in ${(importMs / 1000).toFixed(1)} s with start-up; peak RSS ${Math.round(kib / 1024)} MB; database ${figures.unvotes_db_file_mb} MB` });
	log(`  imported ${added.toLocaleString('en')} events in ${(importMs / 1000).toFixed(0)} s, peak RSS ${Math.round(kib / 1024)} MB`);

	// 2. The production build on it.
	const build = await (ctx.build ?? buildAppInBackground(ctx.root));
	if (!build.ok) throw new Error(`vite build failed: ${build.error?.split('\n')[0]}`);
	let server: Server | null = await startServer(ctx.root, dbFile, port);
	try {
		const base = server.url;
		const pid = server.child.pid!;
		const issueUrl = `${base}/issues/${UNVOTES_ISSUE}`;
		const compareUrl = `${base}/compare?actors=${UNVOTES_FIVE.join(',')}&issues=${UNVOTES_ISSUE}`;
		// The server derives the stored change records in the background from its start (the import
		// wrote none): wait for it first, so that the figures below are not taken beside it.
		const fill = await measureChangesFill(base, pid);
		figures.unvotes_changes_fill_ms = fill.fillMs;
		figures.unvotes_changes_fill_cpu_ms = fill.cpuMs;
		figures.unvotes_changes_during_fill_first_ms = fill.firstMs;
		notes.push({
			what: 'change records derived after the start (background, every series)',
			value: `${(fill.fillMs / 1000).toFixed(1)} s`,
			note: `server CPU ${(fill.cpuMs / 1000).toFixed(1)} s; /changes answered meanwhile in ${fill.firstMs.toFixed(0)} ms (what was stored, with a notice); ${fill.polls} polls`
		});
		log(`  change records derived in ${(fill.fillMs / 1000).toFixed(1)} s (server CPU ${(fill.cpuMs / 1000).toFixed(1)} s); /changes meanwhile ${fill.firstMs.toFixed(0)} ms`);
		const home = await timeGet(`${base}/`);
		notes.push(timedNote('home page', home));
		const issue = await timeGet(issueUrl);
		notes.push(timedNote('issue page', issue));
		const compare = await timeGet(compareUrl);
		notes.push(timedNote(`compare page, ${UNVOTES_FIVE.join(', ')}`, compare));
		const identity = await (await fetch(issueUrl, { headers: { 'accept-encoding': 'identity' } })).text();
		Object.assign(figures, {
			unvotes_home_ms: home.p50,
			unvotes_home_first_ms: home.first,
			unvotes_issue_page_ms: issue.p50,
			unvotes_issue_page_first_ms: issue.first,
			unvotes_issue_page_kb: round(Buffer.byteLength(identity) / 1024, 1),
			unvotes_compare5_ms: compare.p50,
			unvotes_compare5_first_ms: compare.first
		});
		log(`  home ${home.p50} ms, issue page ${issue.p50} ms, compare of five ${compare.p50} ms`);
		for (const t of [home, issue, compare]) if (t.refused) problems.push(`${t.url} was refused (VIEW_MAX_EVENTS)`);

		const v = await measureViews(base, { issue: UNVOTES_ISSUE, actors: UNVOTES_FIVE, from: '1990-01-01', to: '2000-01-01', scopeActors: true }, 'unvotes_');
		// Every figure of the views (the pinned API and exports' live counterparts too: live_*).
		Object.assign(figures, v.figures);
		notes.push(...v.notes);
		problems.push(...v.refused.map((u) => `${u} was refused (VIEW_MAX_EVENTS)`));
		log(`  changes ${figures.unvotes_changes_page_ms} ms, who moved ${figures.unvotes_who_moved_ms} ms, as of: compare ${figures.unvotes_asof_compare_ms} ms, issue page ${figures.unvotes_asof_issue_ms} ms`);
		const five = `issues=${UNVOTES_ISSUE}&actors=${UNVOTES_FIVE.join(',')}`;
		const w = await measureChangesAfterWrites(base, {
			dbFile,
			pid,
			unrelated: 'brazil',
			scope: 'united-states',
			views: [
				{ key: 'changes_five', what: '/changes of the five', url: `${base}/changes?${five}` },
				{ key: 'who_moved_five', what: 'who moved 1990-2000, the five', url: `${base}/changes/between?from=1990-01-01&to=2000-01-01&${five}` },
				{ key: 'who_moved_all', what: 'who moved 1990-2000, all 200 countries', url: `${base}/changes/between?from=1990-01-01&to=2000-01-01&issues=${UNVOTES_ISSUE}` },
				{ key: 'changes_all', what: '/changes, no filter', url: `${base}/changes` }
			]
		}, 'unvotes_');
		Object.assign(figures, w.figures);
		notes.push(...w.notes);

		// 3. Chromium: navigation start to the first drawn chart, median of three loads each.
		const b = await chromium.launch(browserLaunchOptions());
		try {
			for (const [key, url, what] of [
				['unvotes_issue_chart_ms', issueUrl, 'issue page in Chromium: navigation to drawn chart'],
				['unvotes_compare5_chart_ms', compare.url, 'compare page of five in Chromium: navigation to drawn chart']
			] as const) {
				const times: number[] = [];
				let last = '';
				for (let k = 0; k < 3; k++) {
					const { context, figures: f, timedOut } = await loadPage(b, url, { expected: 1, timeoutMs: 60_000 });
					await context.close();
					if (timedOut || f.firstChart === null) {
						problems.push(`${url}: no chart drawn within 60 s`);
						break;
					}
					times.push(f.firstChart);
					last = `HTML ${Math.round(f.htmlBytes / 1024)} KB, first byte ${f.responseStart.toFixed(0)} ms, DOMContentLoaded ${f.domContentLoaded.toFixed(0)} ms`;
				}
				if (!times.length) continue;
				times.sort((x, y) => x - y);
				figures[key] = round(times[Math.floor(times.length / 2)]!, 1);
				notes.push({ what, value: `p50 ${figures[key]!.toFixed(0)} ms`, note: `${times.length} loads: ${times.map((t) => t.toFixed(0)).join(', ')} ms; last: ${last}` });
			}
		} finally {
			await b.close();
		}
		const mem = rss(pid);
		figures.unvotes_server_peak_rss_mb = round(mem.peak, 0);
		notes.push({ what: 'server peak RSS (VmHWM, start-up and every request above)', value: `${Math.round(mem.peak)} MB`, note: `${Math.round(mem.now)} MB at the end` });
		log(`  server peak RSS ${Math.round(mem.peak)} MB`);
	} finally {
		await server.stop();
		server = null;
	}
	return { figures, notes, problems };
}

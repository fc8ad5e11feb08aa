/**
 * `npm run bench`: how the read path holds up at size. Builds a skewed synthetic database
 * (tests/bench/generate.ts; full: 1,000,000 events, 500 actors, 50 issues; `--quick`: 200,000
 * events, 200 actors, 20 issues: 100,000 skewed plus the chart issue's 20 x 5,000 in both modes)
 * while `vite build` runs beside it, then runs its sections (tests/bench/sections/, one file each,
 * each returning figures): data, queries, import, http (autocannon, 10 connections, 10 s a
 * window, against the production build), views (issue 11's pages, one request at a time),
 * scaleout (sqld and an embedded replica), browser (Chromium). Prints a table and, with
 * `--json FILE`, writes every figure with the machine and the commit. Figures only, never
 * pass/fail; a section that fails, or a figure left unmeasured, makes the bench exit non-zero.
 *
 * `--unvotes` instead loads the real UN General Assembly votes with the README's recipe and
 * measures issue 10's targets on them (sections/unvotes.ts).
 *
 * Options: --quick, --unvotes, --json FILE, --keep-db FILE (keep the database there),
 * --only SECTION,... (the data section and these; `--only import` alone builds no database), --use-db FILE (a kept database instead of
 * building one; written to), BENCH_PORT (4312; the bench uses it to +7), BENCH_BUILD=always
 * (rebuild even when build/ is newer).
 * `npm run bench:legacy` runs the first benchmark (compare page at 20 x 5,000, hover, exports).
 */
import { execSync } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchTmp, buildAppInBackground } from './browser';
import { log, printTable, type Row } from './measure';
import { browser } from './sections/browser';
import { data } from './sections/data';
import { http, stopServer } from './sections/http';
import { importer } from './sections/importer';
import { queries } from './sections/queries';
import { asof } from './sections/asof';
import { installSqldInBackground, scaleout } from './sections/scaleout';
import { runUnvotes, UNVOTES_KEYS } from './sections/unvotes';
import { views } from './sections/views';
import { KEYS, type Context, type Figures, type Section } from './sections/types';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const option = (name: string) => {
	const i = args.indexOf(name);
	return i >= 0 ? args[i + 1] : undefined;
};
const quick = flag('--quick');
const unvotes = flag('--unvotes');
const port = Number(process.env.BENCH_PORT ?? 4312);
const jsonFile = option('--json');
const keepDb = option('--keep-db');
// --only a,b: run only these sections (after the data section, which every other needs, except
// the import section: it writes databases of its own, so `--only import` builds none).
const only = option('--only')?.split(',');
const standalone = !!only && only.every((s) => s === 'import');

const { tmp, cleanup } = benchTmp();

function machine() {
	const c = cpus();
	return {
		cores: c.length,
		cpu: c[0]?.model ?? 'unknown',
		memory_gb: Number((totalmem() / 1024 ** 3).toFixed(1)),
		free_memory_gb: Number((freemem() / 1024 ** 3).toFixed(1)),
		load_average: loadavg().map((l) => Number(l.toFixed(2))),
		node: process.version
	};
}

function commit(): string {
	try {
		const sha = execSync('git rev-parse --short HEAD', { cwd: ROOT, encoding: 'utf8' }).trim();
		const dirty = execSync('git status --porcelain --untracked-files=no', { cwd: ROOT, encoding: 'utf8' }).trim();
		return dirty ? `${sha}-dirty` : sha;
	} catch {
		return 'unknown';
	}
}

async function main(): Promise<number> {
	const started = performance.now();
	const before = machine();
	const mode = unvotes ? 'unvotes' : quick ? 'quick' : 'full';
	log(`${mode} run in ${tmp}; ${before.cores} cores, load average ${before.load_average.join(' ')}`);
	const useDb = option('--use-db');
	const ctx = { root: ROOT, tmp, quick, dbFile: useDb ?? join(tmp, 'bench.db'), reuse: !!useDb, actors: [], issues: [], loadSeconds: 10 } as unknown as Context;
	// The production build, in a child process while the database is written (a fresh clone has none).
	// (--unvotes builds after its import, so the import's figures are its own.)
	if (!unvotes && !standalone) {
		ctx.build = buildAppInBackground(ROOT);
		ctx.sqld = installSqldInBackground();
		// Rejections are reported by the scaleout section.
		ctx.sqld.catch(() => undefined);
	}
	const figures: Record<string, number> = {};
	const rows: Row[] = [];
	const failed: string[] = [];
	const keys: readonly string[] = unvotes ? UNVOTES_KEYS : KEYS;
	const sections: Section[] = unvotes
		? [{ name: 'unvotes', run: (c) => runUnvotes(c, port) }]
		: [data, { name: 'build', run: awaitBuild }, queries, asof, importer, http, views, scaleout, browser].filter(
				(s) => !only || (['data', 'build'].includes(s.name) && !standalone) || only.includes(s.name)
			);
	for (const section of sections) {
		// Without the database nothing else can run.
		if (failed.includes('data')) break;
		const t0 = performance.now();
		log(`section ${section.name}`);
		try {
			const r = await section.run(ctx);
			Object.assign(figures, r.figures);
			for (const n of r.notes) rows.push({ section: section.name, ...n });
			for (const problem of r.problems ?? []) rows.push({ section: section.name, what: 'ERROR', value: problem.slice(0, 200) });
			if (r.problems?.length) failed.push(section.name);
			log(`  ${section.name} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
		} catch (e) {
			failed.push(section.name);
			rows.push({ section: section.name, what: 'ERROR', value: (e as Error).message.split('\n')[0]!.slice(0, 200) });
			console.error(e);
		}
		rows.push({ section: section.name, what: 'section time', value: `${((performance.now() - t0) / 1000).toFixed(1)} s` });
	}
	await stopServer();
	ctx.db?.$client.close();
	if (keepDb) copyFileSync(unvotes ? join(tmp, 'unvotes.db') : ctx.dbFile, keepDb);
	const result: Record<string, unknown> = {};
	for (const k of keys) result[k] = figures[k] ?? null;
	// Figures beyond the required keys (scale-out, first requests) follow them.
	for (const [k, v] of Object.entries(figures)) if (!(k in result)) result[k] = v;
	result.machine = { ...machine(), load_average_at_start: before.load_average };
	result.commit = commit();
	result.mode = mode;
	result.seconds = Math.round((performance.now() - started) / 1000);
	if (failed.length) result.failed_sections = failed;
	console.log('');
	printTable(rows);
	console.log('');
	// --only: the figures of the sections run (the others' are not missing, just not asked for).
	for (const k of keys) if (!only || figures[k] !== undefined) console.log(`${k.padEnd(30)} ${figures[k] ?? '—'}`);
	console.log(`done in ${result.seconds} s; load average now ${(result.machine as { load_average: number[] }).load_average.join(' ')} on ${before.cores} cores (other work on the machine inflates every figure)`);
	if (jsonFile) writeFileSync(jsonFile, JSON.stringify(result, null, 2) + '\n');
	const missing = only ? [] : keys.filter((k) => figures[k] === undefined);
	if (missing.length) console.error(`missing figures: ${missing.join(', ')}`);
	return failed.length || missing.length ? 1 : 0;
}

/** Waits for the background build (started before the data section), so nothing timed runs beside it. */
async function awaitBuild(ctx: Context) {
	const b = await ctx.build!;
	if (!b.ok) throw new Error(`vite build failed: ${b.error?.split('\n')[0]}`);
	return { figures: {}, notes: [{ what: 'vite build (beside the data section)', value: b.built ? `${(b.ms / 1000).toFixed(1)} s` : 'up to date' }] };
}

let code = 1;
try {
	code = await main();
} catch (e) {
	console.error(e);
} finally {
	cleanup();
}
process.exit(code);

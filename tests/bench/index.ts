/**
 * `npm run bench`: how the read path holds up at size. Builds a skewed synthetic database
 * (full: 1,000,000 events, 500 actors, 50 issues; `--quick`: 100,000 events, 200 actors, 20
 * issues), then runs its sections (tests/bench/sections/, one file each, each returning
 * figures): data, import, queries, http (autocannon against the production build), browser
 * (Chromium). Prints a table and, with `--json FILE`, writes every figure with the machine and
 * the commit. Figures only, never pass/fail; a section that fails makes the bench exit non-zero.
 *
 * Options: --quick, --json FILE, --keep-db FILE (keep the database there), --only SECTION,... (the
 * data section and these), --use-db FILE (a kept database instead of building one; written to), BENCH_PORT (4312).
 * `npm run bench:legacy` runs the first benchmark (compare page at 20 x 5,000, hover, exports).
 */
import { execSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { killAllServers } from './browser';
import { log, printTable, type Row } from './measure';
import { browser } from './sections/browser';
import { data } from './sections/data';
import { http, stopServer } from './sections/http';
import { importer } from './sections/importer';
import { queries } from './sections/queries';
import { asof } from './sections/asof';
import { scaleout } from './sections/scaleout';
import { KEYS, type Context, type Figures, type Section } from './sections/types';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const option = (name: string) => {
	const i = args.indexOf(name);
	return i >= 0 ? args[i + 1] : undefined;
};
const quick = flag('--quick');
const jsonFile = option('--json');
const keepDb = option('--keep-db');
// --only a,b: run only these sections (after the data section, which every other needs).
const only = option('--only')?.split(',');

const tmp = mkdtempSync(join(tmpdir(), 'stance-bench-'));
let cleaned = false;
function cleanup() {
	if (cleaned) return;
	cleaned = true;
	killAllServers();
	rmSync(tmp, { recursive: true, force: true });
}
process.on('exit', cleanup);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

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
	log(`${quick ? 'quick' : 'full'} run in ${tmp}; ${before.cores} cores, load average ${before.load_average.join(' ')}`);
	const useDb = option('--use-db');
	const ctx = { root: ROOT, tmp, quick, dbFile: useDb ?? join(tmp, 'bench.db'), reuse: !!useDb, actors: [], issues: [], loadSeconds: quick ? 5 : 10 } as unknown as Context;
	const figures: Figures = {};
	const rows: Row[] = [];
	const failed: string[] = [];
	const sections: Section[] = [data, queries, asof, importer, http, scaleout, browser].filter((s) => !only || s.name === 'data' || only.includes(s.name));
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
	}
	await stopServer();
	ctx.db?.$client.close();
	if (keepDb) copyFileSync(ctx.dbFile, keepDb);
	const result: Record<string, unknown> = {};
	for (const k of KEYS) result[k] = figures[k] ?? null;
	result.machine = { ...machine(), load_average_at_start: before.load_average };
	result.commit = commit();
	result.mode = quick ? 'quick' : 'full';
	result.seconds = Math.round((performance.now() - started) / 1000);
	if (failed.length) result.failed_sections = failed;
	console.log('');
	printTable(rows);
	console.log('');
	for (const k of KEYS) console.log(`${k.padEnd(24)} ${figures[k] ?? '—'}`);
	console.log(`done in ${result.seconds} s; load average now ${(result.machine as { load_average: number[] }).load_average.join(' ')} on ${before.cores} cores (other work on the machine inflates every figure)`);
	if (jsonFile) writeFileSync(jsonFile, JSON.stringify(result, null, 2) + '\n');
	const missing = only ? [] : KEYS.filter((k) => figures[k] === undefined);
	if (missing.length) console.error(`missing figures: ${missing.join(', ')}`);
	return failed.length || missing.length ? 1 : 0;
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

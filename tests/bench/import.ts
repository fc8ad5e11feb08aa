/**
 * Bench section: the bulk import. Writes a 1,000,000-row CSV of events (IMPORT_BENCH_ROWS to
 * change it), imports it through the CLI's import path in a process of its own (so its peak RSS
 * is the import's), and reports rows/s and peak RSS. Also: the same import with the data-version
 * and activity triggers on events and sources dropped (what their work, done once per import, costs), and the full
 * UN General Assembly votes with the mapping in data/ when ../shared/datasets is there.
 * Figures only; nothing here asserts a timing.
 */
import { execFileSync } from 'node:child_process';
import { build } from 'esbuild';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface ImportBench {
	import_rows_per_s: number;
	import_peak_rss_mb: number;
	/** Rows per second of CPU time (user + system, all threads): less sensitive to a busy machine. */
	import_rows_per_cpu_s: number;
	/** The longest gap between answers to a read polled every 50 ms during a 200,000-row import in the same process. */
	import_read_max_gap_ms: number;
	/** The full UN votes, when ../shared/datasets is there. */
	import_unvotes_peak_rss_mb?: number;
	/** Every figure, as rows for the bench's table. */
	rows: { what: string; value: string; note?: string }[];
}

interface ChildFigures {
	rows: number;
	new: number;
	rejected: number;
	seconds: number;
	cpuSeconds: number;
	peakRssMb: number;
	startRssMb: number;
	maxGapMs: number;
}

async function writeCsv(file: string, rows: number) {
	const out = createWriteStream(file);
	out.write('actor,issue,date,position,summary\n');
	for (let i = 0; i < rows; i++) {
		const day = String(1 + (i % 28)).padStart(2, '0');
		const month = String(1 + (Math.floor(i / 28) % 12)).padStart(2, '0');
		const year = 1950 + (Math.floor(i / 336) % 75);
		if (!out.write(`Bench actor ${i % 500},Bench import issue ${i % 20},${year}-${month}-${day},${(i % 5) - 2},Row ${i}\n`)) await once(out, 'drain');
	}
	out.end();
	await once(out, 'finish');
}

/**
 * The child as one plain JavaScript file (our modules bundled, packages left to node_modules), so
 * that its peak RSS is the import's and node's, not tsx's: tsx compiles on a thread of its own and
 * adds about 50 MB (measured here: 115 MB resident after loading the importer through tsx).
 */
async function bundleChild(): Promise<string> {
	const dir = join(ROOT, 'node_modules/.cache/stance-bench');
	mkdirSync(dir, { recursive: true });
	const outfile = join(dir, 'importChild.mjs');
	await build({ entryPoints: [join(ROOT, 'tests/bench/importChild.ts')], bundle: true, platform: 'node', format: 'esm', packages: 'external', outfile, logLevel: 'error' });
	return outfile;
}

let child: string | null = null;

function runChild(db: string, input: string, extra: string[] = []): ChildFigures {
	const out = execFileSync(process.execPath, [child!, db, input, ...extra], {
		cwd: ROOT,
		encoding: 'utf8',
		maxBuffer: 1 << 24
	});
	return JSON.parse(out.trim().split('\n').pop()!) as ChildFigures;
}

const k = (n: number) => Math.round(n).toLocaleString('en-US');

/** quick: a 100,000-row CSV, without the trigger-less copy and the UN votes (the full run and --unvotes have those). */
export async function benchImport(opts: { quick?: boolean } = {}): Promise<ImportBench> {
	const dir = mkdtempSync(join(tmpdir(), 'stance-bench-import-'));
	const rows: ImportBench['rows'] = [];
	let unPeak: number | undefined;
	let probed: ChildFigures = { rows: 0, new: 0, rejected: 0, seconds: 0, cpuSeconds: 0, peakRssMb: 0, startRssMb: 0, maxGapMs: 0 };
	try {
		child = await bundleChild();
		const n = Number(process.env.IMPORT_BENCH_ROWS ?? (opts.quick ? 100_000 : 1_000_000));
		const csv = join(dir, 'events.csv');
		await writeCsv(csv, n);
		const main = runChild(join(dir, 'a.db'), csv);
		rows.push({
			what: `CSV of ${k(n)} events`,
			value: `${k(main.rows / main.seconds)} rows/s`,
			note: `${main.seconds.toFixed(1)} s wall, ${main.cpuSeconds.toFixed(1)} s CPU (${k(main.rows / main.cpuSeconds)} rows per CPU second), peak RSS ${main.peakRssMb.toFixed(0)} MB (${main.startRssMb.toFixed(0)} MB before the import), ${k(main.new)} new`
		});
		if (!opts.quick) {
			const bare = runChild(join(dir, 'b.db'), csv, ['--no-triggers']);
			rows.push({
				what: 'same, data-version and activity triggers dropped',
				value: `${k(bare.rows / bare.seconds)} rows/s`,
				note: `${bare.seconds.toFixed(1)} s wall, ${bare.cpuSeconds.toFixed(1)} s CPU: their work (once per import, set-based) costs ${(((main.cpuSeconds - bare.cpuSeconds) / n) * 1e6).toFixed(1)} us of CPU a row`
			});
		}
		// A server importing from its web form runs the import in its own process: does it keep answering?
		const small = join(dir, 'events-200k.csv');
		await writeCsv(small, Math.min(n, 200_000));
		probed = runChild(join(dir, 'p.db'), small, ['--probe']);
		rows.push({
			what: `reads during a ${k(probed.rows)}-row import in the same process`,
			value: `longest gap ${k(probed.maxGapMs)} ms`,
			note: 'a read every 50 ms (as /api/health would be) while the import runs; the duplicate check and the final batch run on a thread of their own'
		});
		const datasets = [join(ROOT, '../shared/datasets'), join(ROOT, '../../shared/datasets')].find((d) => existsSync(join(d, 'unvotes/un_votes.csv')));
		if (datasets && !opts.quick) {
			const un = runChild(join(dir, 'un.db'), join(datasets, 'unvotes/un_votes.csv'), [join(ROOT, 'data/unvotes.mapping.json')]);
			rows.push({
				what: `UN General Assembly votes (${k(un.rows)})`,
				value: `${k(un.rows / un.seconds)} rows/s`,
				note: `${un.seconds.toFixed(1)} s wall, ${un.cpuSeconds.toFixed(1)} s CPU (${k(un.rows / un.cpuSeconds)} rows per CPU second), peak RSS ${un.peakRssMb.toFixed(0)} MB, ${k(un.new)} new, ${k(un.rejected)} rejected`
			});
			unPeak = Math.round(un.peakRssMb);
		}
		return {
			import_rows_per_s: Math.round(main.rows / main.seconds),
			import_peak_rss_mb: Math.round(main.peakRssMb),
			import_rows_per_cpu_s: Math.round(main.rows / main.cpuSeconds),
			import_read_max_gap_ms: Math.round(probed.maxGapMs),
			...(unPeak !== undefined ? { import_unvotes_peak_rss_mb: unPeak } : {}),
			rows
		};
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

// `tsx tests/bench/import.ts` runs this section alone.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
	benchImport().then((r) => {
		for (const row of r.rows) console.log(`${row.what}: ${row.value}${row.note ? ` (${row.note})` : ''}`);
		const { rows: _rows, ...figures } = r;
		console.log(JSON.stringify(figures));
	});
}

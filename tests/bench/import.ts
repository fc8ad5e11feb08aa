/**
 * Bench section: the bulk import. Writes a 1,000,000-row CSV of events (IMPORT_BENCH_ROWS to
 * change it), imports it through the CLI's import path in a process of its own (so its peak RSS
 * is the import's), and reports rows/s and peak RSS. Also: the same import with the data-version
 * triggers on events and sources dropped (what those triggers cost the bulk path), and the full
 * UN General Assembly votes with the mapping in data/ when ../shared/datasets is there.
 * Figures only; nothing here asserts a timing.
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface ImportBench {
	import_rows_per_s: number;
	import_peak_rss_mb: number;
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

function runChild(db: string, input: string, extra: string[] = []): ChildFigures {
	const out = execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'tests/bench/importChild.ts'), db, input, ...extra], {
		cwd: ROOT,
		encoding: 'utf8',
		maxBuffer: 1 << 24
	});
	return JSON.parse(out.trim().split('\n').pop()!) as ChildFigures;
}

const k = (n: number) => Math.round(n).toLocaleString('en-US');

export async function benchImport(): Promise<ImportBench> {
	const dir = mkdtempSync(join(tmpdir(), 'stance-bench-import-'));
	const rows: ImportBench['rows'] = [];
	try {
		const n = Number(process.env.IMPORT_BENCH_ROWS ?? 1_000_000);
		const csv = join(dir, 'events.csv');
		await writeCsv(csv, n);
		const main = runChild(join(dir, 'a.db'), csv);
		rows.push({
			what: `CSV of ${k(n)} events`,
			value: `${k(main.rows / main.seconds)} rows/s`,
			note: `${main.seconds.toFixed(1)} s wall, ${main.cpuSeconds.toFixed(1)} s CPU (${k(main.rows / main.cpuSeconds)} rows per CPU second), peak RSS ${main.peakRssMb.toFixed(0)} MB, ${k(main.new)} new`
		});
		const bare = runChild(join(dir, 'b.db'), csv, ['--no-triggers']);
		rows.push({
			what: 'same, data-version triggers dropped',
			value: `${k(bare.rows / bare.seconds)} rows/s`,
			note: `${bare.seconds.toFixed(1)} s wall, ${bare.cpuSeconds.toFixed(1)} s CPU: the triggers cost ${(((main.cpuSeconds - bare.cpuSeconds) / n) * 1e6).toFixed(1)} us of CPU a row`
		});
		const datasets = [join(ROOT, '../shared/datasets'), join(ROOT, '../../shared/datasets')].find((d) => existsSync(join(d, 'unvotes/un_votes.csv')));
		if (datasets) {
			const un = runChild(join(dir, 'un.db'), join(datasets, 'unvotes/un_votes.csv'), [join(ROOT, 'data/unvotes.mapping.json')]);
			rows.push({
				what: `UN General Assembly votes (${k(un.rows)})`,
				value: `${k(un.rows / un.seconds)} rows/s`,
				note: `${un.seconds.toFixed(1)} s wall, peak RSS ${un.peakRssMb.toFixed(0)} MB, ${k(un.new)} new, ${k(un.rejected)} rejected`
			});
		}
		return { import_rows_per_s: Math.round(main.rows / main.seconds), import_peak_rss_mb: Math.round(main.peakRssMb), rows };
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

// `tsx tests/bench/import.ts` runs this section alone.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
	benchImport().then((r) => {
		for (const row of r.rows) console.log(`${row.what}: ${row.value}${row.note ? ` (${row.note})` : ''}`);
		console.log(JSON.stringify({ import_rows_per_s: r.import_rows_per_s, import_peak_rss_mb: r.import_peak_rss_mb }));
	});
}

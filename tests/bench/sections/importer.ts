/**
 * Import figures: rows per second and the peak memory of an import, run as a user runs it (the
 * CLI, in its own process, on a fresh database): `npm run cli -- import FILE.json`, the
 * streaming bulk import. --quick: 20,000 events of the bench generator as a dataset file.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataset, plan } from '../generate';
import { benchImport } from '../import';
import { log } from '../measure';
import { round } from './data';
import type { Context, Section } from './types';

export const importer: Section = {
	name: 'import',
	async run(ctx: Context) {
		// The full run uses the import issue's own section: a 1,000,000-row CSV, the same without
		// the data-version triggers (their cost), and the UN votes when ../shared/datasets is there.
		if (!ctx.quick) {
			const r = await benchImport();
			const { rows, ...figures } = r;
			return { figures, notes: rows };
		}
		const n = 20_000;
		const p = plan({ events: n, actors: 60, issues: 6, seed: 99 });
		const file = join(ctx.tmp, 'import.json');
		writeFileSync(file, JSON.stringify(dataset(p)));
		const command = ['node_modules/.bin/tsx', 'src/cli/index.ts', 'import', file];
		log(`import: ${p.total.toLocaleString('en')} events through \`${command.slice(1).join(' ')}\``);
		const t0 = performance.now();
		// GNU time reports the child's peak resident set (KiB) on stderr's last line.
		const r = spawnSync('/usr/bin/time', ['-f', 'MAXRSS %M', ...command], {
			cwd: ctx.root,
			env: { ...process.env, DATABASE_URL: `file:${join(ctx.tmp, 'import.db')}` },
			encoding: 'utf8'
		});
		const ms = performance.now() - t0;
		if (r.status !== 0) throw new Error(`the import failed (${r.status}): ${(r.stderr || r.stdout).slice(-500)}`);
		const kib = Number(/MAXRSS (\d+)/.exec(r.stderr)?.[1]);
		return {
			figures: { import_rows_per_s: Math.round(p.total / (ms / 1000)), import_peak_rss_mb: round(kib / 1024, 0) },
			notes: [{ what: 'import (CLI, one process, fresh database)', value: `${Math.round(p.total / (ms / 1000)).toLocaleString('en')} rows/s`, note: `${p.total.toLocaleString('en')} events in ${(ms / 1000).toFixed(1)} s including start-up and migrations; peak RSS ${Math.round(kib / 1024)} MB` }]
		};
	}
};

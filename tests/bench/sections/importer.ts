/**
 * Import figures: rows per second, rows per CPU second and the peak memory of the streaming bulk
 * import (the CLI's import path in a process of its own, on a fresh database). See ../import.ts.
 */
import { benchImport } from '../import';
import type { Context, Section } from './types';

export const importer: Section = {
	name: 'import',
	async run(ctx: Context) {
		// The import issue's own section: a CSV imported through the CLI's import path in a process
		// of its own (1,000,000 rows; --quick 100,000), its CPU, peak RSS and the server's longest
		// read gap during an import; the full run adds the same without the data-version triggers
		// and the UN votes when ../shared/datasets is there.
		const r = await benchImport({ quick: ctx.quick });
		const { rows, ...figures } = r;
		return { figures, notes: rows };
	}
};

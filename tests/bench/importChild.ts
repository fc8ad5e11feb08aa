/**
 * One bulk import in a process of its own, so that its peak memory is its own: prints one JSON
 * line with the report's counts, the wall time, the CPU time and the peak RSS.
 * Usage: tsx tests/bench/importChild.ts DB_FILE INPUT [mapping.json] [--no-triggers]
 */
import { createDb } from '../../src/lib/server/db/client';
import { migrateDb } from '../../src/lib/server/db/migrate';
import { readMappingFile, runImport } from '../../src/lib/server/import';
import { dirname, resolve } from 'node:path';

const [dbFile, input, ...rest] = process.argv.slice(2);
const mappingFile = rest.find((a) => a.endsWith('.json'));
const db = createDb({ url: `file:${dbFile}` });
await migrateDb(db, resolve('drizzle'));
if (rest.includes('--no-triggers')) {
	// The data-version triggers on the two tables a bulk import fills, to measure what they cost.
	for (const t of ['event_insert_version', 'source_insert_version']) await db.$client.execute(`DROP TRIGGER IF EXISTS ${t}`);
}
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const r = await runImport(db, {
	file: input!,
	mapping: mappingFile ? await readMappingFile(mappingFile) : undefined,
	mappingDir: mappingFile ? dirname(resolve(mappingFile)) : undefined,
	createMissing: true,
	scale: { min: -2, max: 2 },
	source: { outlet: 'Bench', title: null }
});
const cpu = process.cpuUsage(cpu0);
console.log(
	JSON.stringify({
		rows: r.rows,
		new: r.new,
		rejected: r.rejected,
		seconds: (performance.now() - t0) / 1000,
		cpuSeconds: (cpu.user + cpu.system) / 1e6,
		peakRssMb: process.resourceUsage().maxRSS / 1024
	})
);
db.$client.close();

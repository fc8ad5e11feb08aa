/**
 * One bulk import in a process of its own, so that its peak memory is its own: prints one JSON
 * line with the report's counts, the wall time, the CPU time (all threads: the import's database
 * thread included) and the peak RSS, with the RSS before the import began. With --probe it also
 * reads the database every 50 ms during the import, as a server answering /api/health would, and
 * reports the longest time between two answers (the import runs in this process as a web import
 * runs in the server's).
 * Usage: tsx tests/bench/importChild.ts DB_FILE INPUT [mapping.json] [--no-triggers] [--probe] [--indexes=keep|rebuild]
 * (--no-triggers: without the data-version and activity triggers, so without their work either)
 */
import { createDb } from '../../src/lib/server/db/client';
import { migrateDb } from '../../src/lib/server/db/migrate';
import { readMappingFile, runImport } from '../../src/lib/server/import';
import { BULK_TRIGGERS } from '../../src/lib/server/import/staging';
import { dirname, resolve } from 'node:path';
import { readFileSync } from 'node:fs';

const [dbFile, input, ...rest] = process.argv.slice(2);
const mappingFile = rest.find((a) => a.endsWith('.json'));
const db = createDb({ url: `file:${dbFile}` });
await migrateDb(db, resolve('drizzle'));
if (rest.includes('--no-triggers')) {
	// The per-row insert triggers on the two tables a bulk import fills: the import then does none of
	// their work (it does it once, set-based, for those it finds), to measure what that work costs.
	for (const t of BULK_TRIGGERS) await db.$client.execute(`DROP TRIGGER IF EXISTS ${t}`);
}
/**
 * This process's own peak RSS: VmHWM of its address space. Not `resourceUsage().maxRSS`: on Linux
 * that keeps the high-water mark of the address space exec replaced, i.e. the bench process's RSS
 * at fork time (2.2 GB after the as-of section of a full run), whatever the import used.
 */
function peakRssMb(): number {
	try {
		const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
		if (m) return Number(m[1]) / 1024;
	} catch {
		// not Linux
	}
	return process.resourceUsage().maxRSS / 1024;
}
// What the process holds before the import starts (node, our modules, the migrated database).
const startRssMb = process.memoryUsage().rss / 1048576;
let maxGapMs = 0;
let probe: ReturnType<typeof setInterval> | null = null;
if (rest.includes('--probe')) {
	let last = performance.now();
	let inFlight = false;
	probe = setInterval(() => {
		if (inFlight) return;
		inFlight = true;
		db.$client
			.execute('SELECT count(*) FROM actor')
			.then(() => {
				const now = performance.now();
				maxGapMs = Math.max(maxGapMs, now - last);
				if (process.env.PROBE_LOG && now - last > 300) console.error(`[gap] ${(now - last).toFixed(0)} ms ending at ${((now - t0) / 1000).toFixed(1)} s`);
				last = now;
			})
			.finally(() => (inFlight = false));
	}, 50);
}
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const r = await runImport(db, {
	file: input!,
	mapping: mappingFile ? await readMappingFile(mappingFile) : undefined,
	mappingDir: mappingFile ? dirname(resolve(mappingFile)) : undefined,
	createMissing: true,
	scale: { min: -2, max: 2 },
	source: { outlet: 'Bench', title: null },
	indexes: (['keep', 'rebuild'] as const).find((m) => rest.includes(`--indexes=${m}`)) ?? 'auto'
});
const cpu = process.cpuUsage(cpu0);
if (probe) clearInterval(probe);
console.log(
	JSON.stringify({
		rows: r.rows,
		new: r.new,
		rejected: r.rejected,
		seconds: (performance.now() - t0) / 1000,
		cpuSeconds: (cpu.user + cpu.system) / 1e6,
		peakRssMb: peakRssMb(),
		startRssMb,
		maxGapMs
	})
);
db.$client.close();

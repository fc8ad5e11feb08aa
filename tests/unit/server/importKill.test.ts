/**
 * A bulk import killed with SIGKILL at several moments (real child processes running the CLI on a
 * real database file) leaves the database as it was, or, once the final batch has committed,
 * with the whole import; the next start removes what the dead import left.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, type Client } from '@libsql/client';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = join(ROOT, 'src/cli/index.ts');
const ROWS = 80_000;

let dir: string;
let csv: string;

function cli(db: string, args: string[]): ChildProcess {
	return spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
		cwd: ROOT,
		env: { ...process.env, DATABASE_URL: `file:${db}`, SEED_DEMO: 'false' },
		stdio: ['ignore', 'pipe', 'pipe']
	});
}

function cliSync(db: string, args: string[]) {
	return spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], {
		cwd: ROOT,
		env: { ...process.env, DATABASE_URL: `file:${db}` },
		encoding: 'utf8'
	});
}

async function counts(c: Client) {
	const one = async (sql: string) => Number((await c.execute(sql)).rows[0]![0]);
	return {
		actors: await one('SELECT count(*) FROM actor'),
		issues: await one('SELECT count(*) FROM issue'),
		events: await one('SELECT count(*) FROM stance_event'),
		sources: await one('SELECT count(*) FROM source'),
		changes: await one('SELECT count(*) FROM change'),
		imports: await one('SELECT count(*) FROM import_run'),
		staging: await one("SELECT count(*) FROM sqlite_master WHERE name LIKE 'import_staging_%'"),
		// The final batch drops the per-row insert triggers and creates them again: a kill inside it must leave them.
		triggers: await one("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'")
	};
}

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'stance-kill-'));
	csv = join(dir, 'big.csv');
	const out = createWriteStream(csv);
	out.write('actor,issue,date,position,summary\n');
	for (let i = 0; i < ROWS; i++) {
		const day = String(1 + (i % 28)).padStart(2, '0');
		const month = String(1 + (Math.floor(i / 28) % 12)).padStart(2, '0');
		const line = `Country ${i % 150},Kill test issue,${1950 + (Math.floor(i / 336) % 70)}-${month}-${day},${(i % 5) - 2},Row ${i}\n`;
		if (!out.write(line)) await once(out, 'drain');
	}
	out.end();
	await once(out, 'finish');
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts an import into a database holding the demo data, kills it when `when` says so, and restarts. */
async function killAndRestart(name: string, when: (child: ChildProcess, db: Client, stderr: () => string) => Promise<void>) {
	const file = join(dir, `${name}.db`);
	const seeded = cliSync(file, ['seed']);
	expect(seeded.status, seeded.stderr).toBe(0);
	const c = createClient({ url: `file:${file}`, timeout: 5000 });
	try {
		const before = await counts(c);
		const child = cli(file, ['import', csv, '--create-missing', '--scale', '-2..2', '--source-outlet', 'Kill test']);
		let err = '';
		child.stderr!.on('data', (d) => (err += String(d)));
		const exited = once(child, 'exit');
		await when(child, c, () => err);
		child.kill('SIGKILL');
		const [code, signal] = (await exited) as [number | null, string | null];
		// The next start (any CLI command, or the server) cleans up.
		const restart = cliSync(file, ['migrate']);
		expect(restart.status, restart.stderr).toBe(0);
		const after = await counts(c);
		expect(after.staging).toBe(0);
		if (signal === 'SIGKILL' && after.events === before.events) {
			expect(after).toEqual({ ...before, imports: 0 });
		} else {
			// The kill came after the final batch committed: the whole import, never a part of it.
			expect(code === 0 || signal === 'SIGKILL').toBe(true);
			expect(after.events).toBe(before.events + ROWS);
			expect(after.sources).toBe(before.sources + ROWS);
			expect(after.changes).toBe(before.changes + 1);
			expect(after.triggers).toBe(before.triggers);
		}
		return { before, after, signal };
	} finally {
		c.close();
	}
}

async function until(check: () => Promise<boolean> | boolean, timeoutMs = 120_000) {
	const start = Date.now();
	// A read can meet the writer's lock: that is a "not yet", not a failure.
	while (!(await Promise.resolve().then(check).catch(() => false))) {
		if (Date.now() - start > timeoutMs) throw new Error('timed out waiting for the import to get there');
		await new Promise((r) => setTimeout(r, 20));
	}
}

describe('SIGKILL during a bulk import', () => {
	it('right after it started staging rows: nothing of it remains', async () => {
		const r = await killAndRestart('staging', async (_child, c) => {
			await until(async () => {
				const t = await c.execute("SELECT name FROM sqlite_master WHERE name LIKE 'import_staging_%'");
				if (!t.rows.length) return false;
				const n = await c.execute(`SELECT count(*) FROM ${String(t.rows[0]![0])}`).catch(() => null);
				return !!n && Number(n.rows[0]![0]) > 0;
			});
		});
		expect(r.signal).toBe('SIGKILL');
		expect(r.after.events).toBe(r.before.events);
	}, 180_000);

	it('half way through reading: nothing of it remains', async () => {
		const r = await killAndRestart('halfway', async (_child, c) => {
			await until(async () => {
				const t = await c.execute("SELECT name FROM sqlite_master WHERE name LIKE 'import_staging_%'");
				if (!t.rows.length) return false;
				const n = await c.execute(`SELECT count(*) FROM ${String(t.rows[0]![0])}`).catch(() => null);
				return !!n && Number(n.rows[0]![0]) >= ROWS / 2;
			});
		});
		expect(r.after.events).toBe(r.before.events);
	}, 180_000);

	it('during the final batch: all of it or none of it', async () => {
		await killAndRestart('commit', async (_child, _c, stderr) => {
			await until(() => /writing/.test(stderr()));
		});
	}, 180_000);
});

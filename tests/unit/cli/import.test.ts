/**
 * `npm run cli -- import FILE`, run as an operator runs it: the real CLI in a child process, on a
 * temporary database file. These check behaviour (exit status, which stream, what is named, what
 * was written), not wording: adjust `cli()` if the way the CLI is started changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createDb, type Db } from '../../../src/lib/server/db/client';
import { migrateDb } from '../../../src/lib/server/db/migrate';
import { DEMO_PATH, loadDemo } from '../../fixtures/demo';
import { tableCounts } from '../server/testDb';

const ROOT = resolve(import.meta.dirname, '../../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');

interface Run {
	code: number;
	stdout: string;
	stderr: string;
}

/** Runs the CLI with only the environment an operator would give it. */
function cli(dbFile: string, ...args: string[]): Promise<Run> {
	return new Promise((done) => {
		execFile(
			TSX,
			['src/cli/index.ts', ...args],
			{ cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: `file:${dbFile}` }, timeout: 60_000 },
			(error, stdout, stderr) => done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr })
		);
	});
}

let dir: string;
let n = 0;
const freshDb = () => join(dir, `import-${++n}.db`);

async function counts(file: string) {
	const db: Db = createDb({ url: `file:${file}` });
	try {
		return await tableCounts(db);
	} finally {
		db.$client.close();
	}
}

beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'stance-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cli import', { timeout: 120_000 }, () => {
	it('imports a valid dataset: exit 0, the counts on stdout, the rows in the database', async () => {
		const demo = loadDemo();
		const db = freshDb();
		const run = await cli(db, 'import', DEMO_PATH);
		expect(run.code, run.stderr).toBe(0);
		for (const count of [demo.actors.length, demo.issues.length, demo.events.length]) expect(run.stdout).toContain(String(count));
		expect(await counts(db)).toMatchObject({ actors: demo.actors.length, issues: demo.issues.length, events: demo.events.length });
	});

	it('refuses a dataset with problems: non-zero exit, every problem named on stderr, nothing written', async () => {
		const demo = loadDemo();
		demo.events[2]!.position = 9; // off the issue's scale
		(demo.events[5] as { speaker: string | null }).speaker = 'nobody-here'; // an unknown actor
		const file = join(dir, 'bad.json');
		writeFileSync(file, JSON.stringify(demo));
		// An existing, migrated database, as an operator would import into.
		const db = freshDb();
		const made = createDb({ url: `file:${db}` });
		await migrateDb(made, join(ROOT, 'drizzle'));
		made.$client.close();
		const run = await cli(db, 'import', file);
		expect(run.code).not.toBe(0);
		expect(run.stderr).toMatch(/events\[2\]\.position/);
		expect(run.stderr).toMatch(/events\[5\]\.speaker/);
		expect(run.stderr).toContain('nobody-here');
		expect(run.stdout).not.toMatch(/imported/i);
		expect(await counts(db)).toMatchObject({ actors: 0, issues: 0, events: 0, sources: 0 });
	});

	it('names the file when it cannot be read, and exits non-zero', async () => {
		const missing = join(dir, 'no-such-file.json');
		const run = await cli(freshDb(), 'import', missing);
		expect(run.code).not.toBe(0);
		expect(run.stderr).toContain('no-such-file.json');
	});

	it('without a file, says what is missing and exits non-zero', async () => {
		const run = await cli(freshDb(), 'import');
		expect(run.code).not.toBe(0);
		expect(run.stderr).toMatch(/import/);
		expect(run.stderr.toLowerCase()).toMatch(/file/);
	});
});

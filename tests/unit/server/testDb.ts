/**
 * A temporary database FILE per test file, with the real migrations applied (`:memory:` loses
 * its tables with this client). Call `close()` in afterAll.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDb, type Db } from '../../../src/lib/server/db/client';
import { migrateDb } from '../../../src/lib/server/db/migrate';
import { actor, issue, scaleLabel, source, stanceEvent } from '../../../src/lib/server/db/schema';
import { writeDataset, SEED_AUTHOR } from '../../../src/lib/server/write';
import { loadDemo } from '../../fixtures/demo';

const MIGRATIONS = fileURLToPath(new URL('../../../drizzle', import.meta.url));

export interface TestDb {
	db: Db;
	dir: string;
	close: () => void;
}

export async function openTestDb(): Promise<TestDb> {
	const dir = mkdtempSync(join(tmpdir(), 'stance-'));
	const db = createDb({ url: `file:${join(dir, 'test.db')}` });
	await migrateDb(db, MIGRATIONS);
	return {
		db,
		dir,
		close: () => {
			db.$client.close();
			rmSync(dir, { recursive: true, force: true });
		}
	};
}

/** A test database holding the demo dataset, written as the seed writes it on `now`. */
export async function openDemoDb(now = '2025-12-01'): Promise<TestDb> {
	const t = await openTestDb();
	await writeDataset(t.db, loadDemo(), { now, by: SEED_AUTHOR });
	return t;
}

/** Row counts of every table, to show that a refused write changed nothing. */
export interface TableCounts {
	actors: number;
	issues: number;
	labels: number;
	events: number;
	sources: number;
}

export async function tableCounts(db: Db): Promise<TableCounts> {
	const [actors, issues, labels, events, sources] = await Promise.all([
		db.$count(actor),
		db.$count(issue),
		db.$count(scaleLabel),
		db.$count(stanceEvent),
		db.$count(source)
	]);
	return { actors, issues, labels, events, sources };
}

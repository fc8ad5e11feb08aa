import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Db } from './db/client';
import { runOnce } from './db/startup';
import * as actors from './queries/actors';
import * as events from './queries/events';
import { SEED_AUTHOR, writeDataset, type Author, type WriteSummary } from './write';

export const DEMO_DATASET = resolve(process.env.DEMO_DATASET ?? 'data/demo.json');

/** Loads a dataset file (stance-tracker/v1 JSON) through the one write path. */
export async function importDatasetFile(db: Db, file: string, by?: Author): Promise<WriteSummary> {
	let json: unknown;
	try {
		// A byte order mark, as some editors on Windows write one, is not part of the JSON.
		json = JSON.parse((await readFile(file, 'utf8')).replace(/^\uFEFF/, ''));
	} catch (e) {
		throw new Error(`${file}: not readable JSON (${(e as Error).message})`);
	}
	return writeDataset(db, json, by ? { by } : {});
}

/** Seeds the demo dataset into a database that has no actors and no events; returns null otherwise. */
export async function seedIfEmpty(db: Db, file = DEMO_DATASET): Promise<WriteSummary | null> {
	const [a, e] = await Promise.all([actors.count(db), events.count(db)]);
	if (a > 0 || e > 0) return null;
	// Attributed to the seed, so histories and recent changes tell the demo data from real imports.
	return importDatasetFile(db, file, SEED_AUTHOR);
}

/**
 * `seedIfEmpty` for the server's start: of several instances starting at once on one database
 * (a libSQL server), only one seeds; the others find the claim taken and skip (db/startup.ts).
 */
export async function seedDemoOnce(db: Db, file = DEMO_DATASET): Promise<WriteSummary | null> {
	return runOnce(db, 'seed-demo', () => seedIfEmpty(db, file));
}

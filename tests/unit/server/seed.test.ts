import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importDatasetFile, seedIfEmpty } from '../../../src/lib/server/seed';
import { ValidationError } from '../../../src/lib/server/write';
import { DEMO_PATH, loadDemo } from '../../fixtures/demo';
import { openTestDb, tableCounts, type TestDb } from './testDb';

let t: TestDb;

beforeAll(async () => {
	t = await openTestDb();
});
afterAll(() => t?.close());

describe('seedIfEmpty', () => {
	it('seeds the demo dataset into an empty database, once', async () => {
		const demo = loadDemo();
		expect(await tableCounts(t.db)).toMatchObject({ actors: 0, events: 0 });
		expect(await seedIfEmpty(t.db, DEMO_PATH)).toEqual({ actors: demo.actors.length, issues: demo.issues.length, events: demo.events.length, context: demo.context.length });
		const seeded = await tableCounts(t.db);
		expect(seeded.events).toBe(demo.events.length);
		expect(await seedIfEmpty(t.db, DEMO_PATH)).toBeNull();
		expect(await tableCounts(t.db)).toEqual(seeded);
	});
});

describe('importDatasetFile', () => {
	it('names the file when it is not JSON', async () => {
		const file = join(t.dir, 'broken.json');
		writeFileSync(file, '{ "format": ');
		await expect(importDatasetFile(t.db, file)).rejects.toThrow(file);
	});

	it('names the file when it cannot be read', async () => {
		const file = join(t.dir, 'missing.json');
		await expect(importDatasetFile(t.db, file)).rejects.toThrow(/missing\.json: not readable JSON/);
	});

	it('accepts a file that starts with a UTF-8 byte order mark', async () => {
		const file = join(t.dir, 'bom.json');
		writeFileSync(file, '\uFEFF' + JSON.stringify({ format: 'stance-tracker/v1', actors: [{ slug: 'bom-land', name: 'Bom Land', kind: 'country' }] }), 'utf8');
		await expect(importDatasetFile(t.db, file)).resolves.toEqual({ actors: 1, issues: 0, events: 0, context: 0 });
	});

	it('refuses a file that fails validation, writing nothing', async () => {
		const file = join(t.dir, 'bad.json');
		writeFileSync(file, JSON.stringify({ format: 'stance-tracker/v1', actors: [{ slug: 'BAD', name: 'x', kind: 'country' }] }));
		const before = await tableCounts(t.db);
		await expect(importDatasetFile(t.db, file)).rejects.toBeInstanceOf(ValidationError);
		expect(await tableCounts(t.db)).toEqual(before);
	});
});

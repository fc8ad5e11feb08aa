/**
 * The final batch of a bulk import suspends the per-row triggers on events and sources and does
 * their work once (staging.ts, BULK_TRIGGERS): the data versions and the (issue, actor) activity
 * rows must come out exactly as the triggers would have left them, the triggers must be back for
 * every later write, and another process reading the same file must see the import.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '../../../src/lib/server/db/client';
import { runImport } from '../../../src/lib/server/import';
import { dataVersion, viewVersion } from '../../../src/lib/server/queries/meta';
import { seedIfEmpty } from '../../../src/lib/server/seed';
import * as write from '../../../src/lib/server/write';
import { DEMO_PATH } from '../../fixtures/demo';
import { eventInput } from '../../fixtures/factories';
import { openTestDb, type TestDb } from './testDb';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = join(ROOT, 'src/cli/index.ts');
const TODAY = '2026-06-01';
let t: TestDb;

beforeAll(async () => {
	t = await openTestDb();
	await seedIfEmpty(t.db, DEMO_PATH);
});
afterAll(() => t?.close());

async function rows(db: Db, sql: string, args: (string | number)[] = []) {
	return (await db.$client.execute({ sql, args })).rows.map((r) => Array.from(r));
}
/** Each issue's counter, by id. */
async function versions(db: Db) {
	return new Map((await rows(db, 'SELECT scope, n FROM data_version')).map((r) => [Number(r[0]), Number(r[1])]));
}
/** Events and sources per issue: what the triggers add to the issue's counter, one each. */
async function writesPerIssue(db: Db) {
	const r = await rows(
		db,
		`SELECT e.issue_id, count(*) + (SELECT count(*) FROM source s JOIN stance_event f ON f.id = s.event_id WHERE f.issue_id = e.issue_id)
		FROM stance_event e GROUP BY e.issue_id`
	);
	return new Map(r.map((x) => [Number(x[0]), Number(x[1])]));
}
/** The activity table, and what it must hold: recounted from the live events. */
async function activity(db: Db) {
	const order = 'ORDER BY 1, 2';
	return {
		kept: await rows(db, `SELECT issue_id, actor_id, events, first, last FROM issue_actor_activity ${order}`),
		recounted: await rows(db, `SELECT issue_id, actor_id, count(*), min(date), max(date) FROM stance_event WHERE deleted_at IS NULL GROUP BY 1, 2 ${order}`)
	};
}
const triggerSql = async (db: Db) => rows(db, "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name");

function csv(name: string, lines: string[]): string {
	const path = join(t.dir, name);
	writeFileSync(path, ['actor,issue,date,position,summary,source_outlet,more_sources', ...lines, ''].join('\n'));
	return path;
}

describe('a bulk import does the per-row triggers\' work once', () => {
	it('moves each issue\'s data version by its new events and sources, and keeps the activity rows, as the triggers would', async () => {
		const triggersBefore = await triggerSql(t.db);
		const before = await versions(t.db);
		const writesBefore = await writesPerIssue(t.db);
		const more = '"[{""outlet"": ""AP""}, {""outlet"": ""AFP""}]"';
		const r = await runImport(t.db, {
			file: csv('mixed.csv', [
				// a stored pair, earlier and later than its events
				'colombia,intelligence-sharing-us,1990-01-01,1,Early,Reuters,',
				`colombia,intelligence-sharing-us,2026-05-01,-1,Late,Reuters,${more}`,
				// a stored actor on a stored issue it had no event on, and an issue this import creates
				'france,intelligence-sharing-us,2001-02-03,0,New pair,Reuters,',
				'colombia,Triggers test issue,2010-01-01,2,Created issue,Reuters,',
				'colombia,Triggers test issue,2009-01-01,1,Created issue 2,Reuters,'
			]),
			now: TODAY,
			createMissing: true,
			scale: { min: -2, max: 2 }
		});
		expect(r.written).toBe(true);
		expect(r.new).toBe(5);
		const after = await versions(t.db);
		const writesAfter = await writesPerIssue(t.db);
		for (const [issue, n] of after) {
			if (issue < 0) continue;
			const added = (writesAfter.get(issue) ?? 0) - (writesBefore.get(issue) ?? 0);
			if (before.has(issue)) expect(n - before.get(issue)!, `issue ${issue}`).toBe(added);
			else expect(added).toBe(4); // the created issue: two events, one source each
		}
		const intel = Number((await rows(t.db, "SELECT id FROM issue WHERE slug = 'intelligence-sharing-us'"))[0]![0]);
		// Two events, four sources (one row names two further sources).
		expect(after.get(intel)! - before.get(intel)!).toBe(2 + 1 + 2 + 1 + 1 + 1);
		const a = await activity(t.db);
		expect(a.kept).toEqual(a.recounted);
		// The triggers are back, exactly as the migrations made them.
		expect(await triggerSql(t.db)).toEqual(triggersBefore);
	});

	it('leaves the triggers working for the writes that come after', async () => {
		const v = await viewVersion(t.db, ['intelligence-sharing-us']);
		await write.createEvent(t.db, eventInput({ actor: 'france', issue: 'intelligence-sharing-us', date: '2026-05-20' }), { userId: null, via: 'api' }, TODAY);
		expect(await viewVersion(t.db, ['intelligence-sharing-us'])).not.toBe(v);
		const a = await activity(t.db);
		expect(a.kept).toEqual(a.recounted);
	});

	it('re-importing the same file adds nothing and moves no version', async () => {
		const before = await versions(t.db);
		const r = await runImport(t.db, { file: join(t.dir, 'mixed.csv'), now: TODAY, createMissing: true, scale: { min: -2, max: 2 } });
		expect(r.new).toBe(0);
		expect(r.present).toBe(5);
		expect(await versions(t.db)).toEqual(before);
	});

	it('an import rebuilding the indexes keeps the same guarantees', async () => {
		const before = await versions(t.db);
		const writesBefore = await writesPerIssue(t.db);
		const lines = Array.from({ length: 300 }, (_, i) => `venezuela,intelligence-sharing-us,${1950 + (i % 70)}-0${1 + (i % 9)}-1${i % 10},1,Rebuilt ${i},Reuters,`);
		const r = await runImport(t.db, { file: csv('rebuilt.csv', lines), now: TODAY, indexes: 'rebuild' });
		expect(r.new).toBe(300);
		const after = await versions(t.db);
		const writesAfter = await writesPerIssue(t.db);
		for (const [issue, n] of after) if (issue > 0) expect(n - before.get(issue)!).toBe(writesAfter.get(issue)! - (writesBefore.get(issue) ?? 0));
		const a = await activity(t.db);
		expect(a.kept).toEqual(a.recounted);
	});

	it('an import rebuilding the indexes counts further sources, created issues and only the new rows', async () => {
		const before = await versions(t.db);
		const writesBefore = await writesPerIssue(t.db);
		const more = '"[{""outlet"": ""AP""}, {""outlet"": ""AFP""}]"';
		const lines = [
			// stored already (the first file of this suite): counted as present, adding nothing
			'colombia,intelligence-sharing-us,1990-01-01,1,Early,Reuters,',
			...Array.from({ length: 40 }, (_, i) => `peru,intelligence-sharing-us,${1960 + i}-01-01,-1,Rebuilt more ${i},Reuters,${i % 3 ? '' : more}`),
			...Array.from({ length: 10 }, (_, i) => `peru,Rebuild triggers issue,${1960 + i}-01-01,1,Rebuilt created ${i},Reuters,${i % 2 ? more : ''}`)
		];
		const r = await runImport(t.db, { file: csv('rebuilt-more.csv', lines), now: TODAY, createMissing: true, scale: { min: -2, max: 2 }, indexes: 'rebuild' });
		expect(r.new).toBe(50);
		expect(r.present).toBe(1);
		const after = await versions(t.db);
		const writesAfter = await writesPerIssue(t.db);
		const created = Number((await rows(t.db, "SELECT id FROM issue WHERE slug = 'rebuild-triggers-issue'"))[0]![0]);
		for (const [issue, n] of after) {
			if (issue <= 0) continue;
			const added = writesAfter.get(issue)! - (writesBefore.get(issue) ?? 0);
			if (issue === created) expect(added).toBe(10 + 10 + 5 * 2);
			else expect(n - before.get(issue)!, `issue ${issue}`).toBe(added);
		}
		const intel = Number((await rows(t.db, "SELECT id FROM issue WHERE slug = 'intelligence-sharing-us'"))[0]![0]);
		// 40 events, 40 first sources and 14 rows with two further sources each.
		expect(after.get(intel)! - before.get(intel)!).toBe(40 + 40 + 14 * 2);
		// Each source belongs to its own row's event.
		const withMore = await rows(
			t.db,
			`SELECT e.summary FROM stance_event e JOIN source s ON s.event_id = e.id AND s.ordinal = 2 AND s.outlet = 'AFP'
			WHERE e.summary LIKE 'Rebuilt more %' ORDER BY e.id`
		);
		expect(withMore.map((r) => r[0])).toEqual(Array.from({ length: 40 }, (_, i) => i).filter((i) => i % 3 === 0).map((i) => `Rebuilt more ${i}`));
		expect(await rows(t.db, "SELECT count(*) FROM stance_event e JOIN source s ON s.event_id = e.id AND s.ordinal = 0 AND s.outlet = 'Reuters' WHERE e.summary LIKE 'Rebuilt %'")).toEqual([[350]]);
		const a = await activity(t.db);
		expect(a.kept).toEqual(a.recounted);
	});

	it('another process\'s import is seen here: the versions this process\'s caches key on move, the activity rows count it', async () => {
		const v = { all: await dataVersion(t.db), issue: await viewVersion(t.db, ['intelligence-sharing-us']) };
		const file = csv('other.csv', ['un-human-rights-office,intelligence-sharing-us,2003-03-03,1,From the other process,Reuters,']);
		const child = spawnSync(process.execPath, ['--import', 'tsx', CLI, 'import', file], {
			cwd: ROOT,
			env: { ...process.env, DATABASE_URL: `file:${join(t.dir, 'test.db')}`, SEED_DEMO: 'false' },
			encoding: 'utf8'
		});
		expect(child.status, child.stderr).toBe(0);
		expect(await dataVersion(t.db)).not.toBe(v.all);
		expect(await viewVersion(t.db, ['intelligence-sharing-us'])).not.toBe(v.issue);
		const pair = await rows(
			t.db,
			`SELECT c.events, c.first, c.last FROM issue_actor_activity c JOIN actor a ON a.id = c.actor_id JOIN issue i ON i.id = c.issue_id
			WHERE a.slug = 'un-human-rights-office' AND i.slug = 'intelligence-sharing-us'`
		);
		const recount = await rows(
			t.db,
			`SELECT count(*), min(date), max(date) FROM stance_event e JOIN actor a ON a.id = e.actor_id JOIN issue i ON i.id = e.issue_id
			WHERE a.slug = 'un-human-rights-office' AND i.slug = 'intelligence-sharing-us' AND e.deleted_at IS NULL`
		);
		expect(pair).toEqual(recount);
		expect(await rows(t.db, "SELECT count(*) FROM stance_event WHERE summary = 'From the other process'")).toEqual([[1]]);
	}, 60_000);
});

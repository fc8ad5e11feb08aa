import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runImport, ImportRefused, type ImportOptions } from '../../../src/lib/server/import';
import { exportDataset } from '../../../src/lib/server/import/export';
import { KeyHashes } from '../../../src/lib/server/import/staging';
import { parseMapping } from '../../../src/lib/schemas/mapping';
import { seedIfEmpty } from '../../../src/lib/server/seed';
import { DEMO_PATH } from '../../fixtures/demo';
import { DATASETS } from '../../fixtures/datasets';
import { IDEAL_POINTS_ISSUE, IDEAL_POINTS_MIN_SHARE } from '../../../src/lib/domain/idealPoints';
import { stanceRuns } from '../../../src/lib/domain/changes';
import { openTestDb, tableCounts, type TestDb } from './testDb';

const TODAY = '2026-06-01';

let t: TestDb;
let n = 0;

beforeAll(async () => {
	t = await openTestDb();
	await seedIfEmpty(t.db, DEMO_PATH);
});
afterAll(() => t?.close());

/** Writes a file into the test folder and returns its path. */
function file(content: string | Buffer, ext = 'csv'): string {
	const path = join(t.dir, `input-${++n}.${ext}`);
	writeFileSync(path, content);
	return path;
}

const run = (path: string, o: Partial<ImportOptions> = {}) => runImport(t.db, { file: path, now: TODAY, ...o });

async function rows(sql: string, args: (string | number)[] = []) {
	return (await t.db.$client.execute({ sql, args })).rows;
}

const HEADER = 'actor,issue,date,position,summary,source_outlet';
const GOOD = 'colombia,intelligence-sharing-us,2025-10-01,1,A good row,Reuters';

describe('bad rows: every problem, with its file line and column', () => {
	const cases: [name: string, row: string, column: string, reason: RegExp][] = [
		['a wrong column count', 'colombia,intelligence-sharing-us,2025-10-01', '(row)', /has 3 columns; the header has 6/],
		['a date that is not one', 'colombia,intelligence-sharing-us,2025-13-01,1,x,Reuters', 'date', /"2025-13-01" is not a date/],
		['a date in the future', 'colombia,intelligence-sharing-us,2027-01-01,1,x,Reuters', 'date', /in the future/],
		['a position off the scale', 'colombia,intelligence-sharing-us,2025-10-01,7,x,Reuters', 'position', /7 is off the scale/],
		['a position that is not a number', 'colombia,intelligence-sharing-us,2025-10-01,yes,x,Reuters', 'position', /"yes" is not a number/],
		['an unknown actor', 'atlantis,intelligence-sharing-us,2025-10-01,1,x,Reuters', 'actor', /unknown actor "atlantis"/],
		['an unknown issue', 'colombia,whaling,2025-10-01,1,x,Reuters', 'issue', /unknown issue "whaling"/],
		['no source', 'colombia,intelligence-sharing-us,2025-10-01,1,x,', 'source_outlet', /no source/],
		// The same characters the API and forms refuse (domain/text.ts): before, a CSV row could store them.
		['a right-to-left override in the summary', 'colombia,intelligence-sharing-us,2025-10-01,1,a\u202eb,Reuters', 'summary', /bidirectional control/],
		['a noncharacter in the summary', 'colombia,intelligence-sharing-us,2025-10-01,1,a\uffffb,Reuters', 'summary', /noncharacters/]
	];
	for (const [name, row, column, reason] of cases) {
		it(`reports ${name} on its line`, async () => {
			const before = await tableCounts(t.db);
			const r = await run(file([HEADER, GOOD, GOOD.replace('2025-10-01', '2025-10-02'), row, ''].join('\n')));
			expect(r.written).toBe(false);
			expect(r.rejected).toBe(1);
			expect(r.problems).toContainEqual({ line: 4, column, reason: expect.stringMatching(reason) });
			expect(await tableCounts(t.db)).toEqual(before);
		});
	}

	it('reports a duplicate row with the line it repeats', async () => {
		const r = await run(file([HEADER, GOOD, 'colombia,intelligence-sharing-us,2025-10-03,1,b,Reuters', GOOD].join('\n')));
		expect(r.problems).toEqual([{ line: 4, column: '(row)', reason: expect.stringMatching(/duplicate of line 2/) }]);
		expect(r.written).toBe(false);
	});

	it('reports every duplicate among many rows, each with the first line of its key', async () => {
		// Enough rows for the hash table to grow several times; lines 2.. hold keys 0..2999, then three repeats.
		const lines = Array.from({ length: 3000 }, (_, i) => `colombia,intelligence-sharing-us,${1900 + (i % 100)}-01-01,1,Many ${i},Reuters`);
		const r = await run(file([HEADER, ...lines, lines[5], lines[2999], lines[5]].join('\n')));
		expect(r.problems).toEqual([
			{ line: 3002, column: '(row)', reason: expect.stringMatching(/duplicate of line 7 /) },
			{ line: 3003, column: '(row)', reason: expect.stringMatching(/duplicate of line 3001 /) },
			{ line: 3004, column: '(row)', reason: expect.stringMatching(/duplicate of line 7 /) }
		]);
		expect(r.written).toBe(false);
	});

	it('KeyHashes: the hashes met more than once, and none once it let go of its table', () => {
		const k = new KeyHashes();
		for (let i = 0; i < 20_000; i++) k.add(i * 7919 + 2 ** 40);
		k.add(2 ** 40);
		k.add(7919 * 3 + 2 ** 40);
		k.add(2 ** 40);
		expect(k.candidates()!.sort()).toEqual([2 ** 40, 7919 * 3 + 2 ** 40].sort());
		const small = new KeyHashes(3000);
		for (let i = 0; i < 5000; i++) small.add(i);
		expect(small.candidates()).toBeNull();
	});

	it('reports bytes that are not valid in the chosen encoding', async () => {
		const bytes = Buffer.concat([Buffer.from(`${HEADER}\n${GOOD}\ncolombia,intelligence-sharing-us,2025-10-04,1,caf`), Buffer.from([0xe9]), Buffer.from(',Reuters\n')]);
		const r = await run(file(bytes), { encoding: 'utf-8' });
		expect(r.problems).toContainEqual({ line: 3, column: 'summary', reason: expect.stringMatching(/bad encoding/) });
	});

	it('counts lines inside quoted cells, so later lines keep their numbers', async () => {
		const r = await run(file([HEADER, 'colombia,intelligence-sharing-us,2025-10-01,1,"two\nlines",Reuters', 'colombia,intelligence-sharing-us,2025-10-01,9,x,Reuters'].join('\n')));
		expect(r.problems).toEqual([{ line: 4, column: 'position', reason: expect.stringMatching(/off the scale/) }]);
	});

	it('reports every bad row of a file in one run, keeping the first 100 and counting the rest', async () => {
		const bad = Array.from({ length: 150 }, (_, i) => `colombia,intelligence-sharing-us,2025-10-01,${10 + i},x,Reuters`);
		const problems = join(t.dir, 'problems.tsv');
		const r = await run(file([HEADER, ...bad].join('\n')), { problemsFile: problems });
		expect(r.problemCount).toBe(150);
		expect(r.problems).toHaveLength(100);
		expect(r.problems[99]!.line).toBe(101);
		const written = readFileSync(problems, 'utf8').trim().split('\n');
		expect(written).toHaveLength(150);
		expect(written[149]).toMatch(/^151\tposition\t159 is off the scale/);
	});
});

describe('all or nothing', () => {
	it('writes nothing when good and bad rows are mixed, and the good ones when asked', async () => {
		const content = [HEADER, 'colombia,intelligence-sharing-us,2024-01-01,1,Mixed one,Reuters', 'colombia,intelligence-sharing-us,2024-01-02,5,Mixed two,Reuters'].join('\n');
		const before = await tableCounts(t.db);
		const refused = await run(file(content));
		expect(refused).toMatchObject({ written: false, new: 0, rejected: 1 });
		expect(await tableCounts(t.db)).toEqual(before);
		expect(await rows("SELECT * FROM import_run")).toHaveLength(0);

		const partial = await run(file(content), { goodRowsOnly: true });
		expect(partial).toMatchObject({ written: true, new: 1, rejected: 1 });
		expect((await tableCounts(t.db)).events).toBe(before.events + 1);
	});

	it('adds nothing when the same file comes twice, and says so', async () => {
		const path = file([HEADER, 'colombia,intelligence-sharing-us,2024-02-01,1,Twice,Reuters', 'united-states,intelligence-sharing-us,2024-02-01,-1,Twice,Reuters'].join('\n'));
		const first = await run(path);
		expect(first).toMatchObject({ written: true, new: 2, present: 0 });
		const counts = await tableCounts(t.db);
		const second = await run(path);
		expect(second).toMatchObject({ new: 0, present: 2, rejected: 0 });
		expect(await tableCounts(t.db)).toEqual(counts);
	});

	it('records one history entry per import, and each event names the import that created it', async () => {
		const r = await run(file([HEADER, 'colombia,intelligence-sharing-us,2024-03-01,1,History one,Reuters', 'colombia,intelligence-sharing-us,2024-03-02,0,History two,Reuters'].join('\n')), {
			name: 'history.csv'
		});
		const changes = await rows("SELECT after FROM change WHERE entity = 'import' AND entity_id = ?", [r.importId!]);
		expect(changes).toHaveLength(1);
		expect(JSON.parse(String(changes[0]![0]))).toMatchObject({ file: 'history.csv', rows: 2, new: 2, present: 0, rejected: 0 });
		const events = await rows("SELECT import_id FROM stance_event WHERE summary LIKE 'History %'");
		expect(events.map((e) => Number(e[0]))).toEqual([r.importId, r.importId]);
		expect(await rows("SELECT * FROM change WHERE entity = 'event' AND entity_id IN (SELECT id FROM stance_event WHERE import_id = ?)", [r.importId!])).toHaveLength(0);
	});

	it('writes nothing on a dry run but reports what would be new', async () => {
		const before = await tableCounts(t.db);
		const r = await run(file([HEADER, 'colombia,intelligence-sharing-us,2024-04-01,1,Dry,Reuters'].join('\n')), { dryRun: true });
		expect(r).toMatchObject({ written: false, dryRun: true, new: 1 });
		expect(await tableCounts(t.db)).toEqual(before);
	});
});

describe('encodings and delimiters', () => {
	it('keeps the accents of a Latin-1 file', async () => {
		const text = 'actor;issue;date;position;source_outlet\nSão Tomé & Príncipe;Acuerdo de pesca;2020;1;Diário\n';
		const r = await run(file(iconv.encode(text, 'latin1')), { createMissing: true });
		expect(r).toMatchObject({ written: true, encoding: 'windows-1252', delimiter: ';' });
		expect(await rows("SELECT name FROM actor WHERE slug = 'sao-tome-principe'")).toEqual([expect.objectContaining({ name: 'São Tomé & Príncipe' })]);
		expect(await rows("SELECT title FROM issue WHERE slug = 'acuerdo-de-pesca'")).toEqual([expect.objectContaining({ title: 'Acuerdo de pesca' })]);
		expect(await rows("SELECT outlet, e.date_precision FROM source JOIN stance_event e ON e.id = event_id WHERE outlet = 'Diário'")).toHaveLength(1);
	});

	it('keeps a UTF-8 character whose bytes fall on both sides of a read chunk', async () => {
		// Rows up to just before the 1 MiB mark (a multiple of the read size), then a row whose "é" starts on the mark's last byte.
		const lines = [HEADER];
		let size = HEADER.length + 1;
		for (let i = 0; size < (1 << 20) - 200; i++) {
			const line = `colombia,intelligence-sharing-us,${1900 + (i % 100)}-02-0${1 + (i % 9)},1,Chunk ${i},Reuters`;
			lines.push(line);
			size += line.length + 1;
		}
		const head = 'colombia,intelligence-sharing-us,2025-10-09,1,';
		const pad = 'x'.repeat((1 << 20) - 1 - size - head.length);
		lines.push(`${head}${pad}é split,Reuters`, '');
		const bytes = Buffer.from(lines.join('\n'));
		expect(bytes[(1 << 20) - 1]).toBe(0xc3);
		const r = await run(file(bytes), { dryRun: true });
		expect(r.problems).toEqual([]);
		expect(r.rows).toBe(lines.length - 2);
	});

	it('reads UTF-8 with a byte-order mark and tab delimiters', async () => {
		const r = await run(file(`\uFEFFactor\tissue\tdate\tposition\tsource_outlet\ncolombia\tintelligence-sharing-us\t2024-05\t1\tEl Tiempo\n`));
		expect(r).toMatchObject({ written: true, encoding: 'utf-8', delimiter: '\t', new: 1 });
		expect(await rows("SELECT date, date_precision FROM stance_event e JOIN source s ON s.event_id = e.id WHERE s.outlet = 'El Tiempo'")).toEqual([
			expect.objectContaining({ date: '2024-05-01', date_precision: 'month' })
		]);
	});
});

describe('column mappings', { timeout: 60_000 }, () => {
	it('maps columns, values and a joined file, and refuses a mapping that does not fit', async () => {
		writeFileSync(join(t.dir, 'rolls.csv'), 'rcid,when,symbol\n7,1999-05-01,A/RES/1\n8,1999-06-01,A/RES/2\n');
		const mapping = parseMapping({
			format: 'stance-tracker/mapping-v1',
			join: [{ as: 'roll', file: 'rolls.csv', key: 'rcid', on: 'rcid' }],
			fields: { actor: '{Country}', issue: 'Votes', date: '{roll.when}', position: '{vote}', source_outlet: 'UN', source_title: '{roll.symbol}' },
			values: { position: { yes: 1, abstain: 0, no: -1 } },
			issues: [{ slug: 'votes', title: 'Votes', scale: { min: -1, max: 1, labels: [{ value: -1, label: 'No' }, { value: 1, label: 'Yes' }] } }]
		});
		if (!mapping.ok) throw new Error('mapping');
		const r = await run(file('rcid,Country,vote\n7,Colombia,yes\n8,Colombia,abstain\n9,Colombia,no\n8,Colombia,maybe\n'), { mapping: mapping.mapping, createMissing: true });
		expect(r.problems).toEqual([
			{ line: 4, column: 'rcid', reason: '"9" is not in rolls.csv (column rcid)' },
			{ line: 5, column: 'vote', reason: expect.stringMatching(/"maybe" is not one of the mapped values/) }
		]);
		const good = await run(file('rcid,Country,vote\n7,Colombia,yes\n8,Colombia,abstain\n'), { mapping: mapping.mapping, createMissing: true });
		expect(good).toMatchObject({ written: true, new: 2, createdIssues: ['votes'] });
		expect(await rows("SELECT e.position, s.title FROM stance_event e JOIN source s ON s.event_id = e.id JOIN issue i ON i.id = e.issue_id WHERE i.slug = 'votes' ORDER BY e.date")).toEqual([
			expect.objectContaining({ position: 1, title: 'A/RES/1' }),
			expect.objectContaining({ position: 0, title: 'A/RES/2' })
		]);

		await expect(run(file('rcid,Nation,vote\n7,Colombia,yes\n'), { mapping: mapping.mapping })).rejects.toThrow(/fields.actor: the file has no column "Country"/);
		expect(parseMapping({ format: 'stance-tracker/mapping-v1', fields: { actorr: '{x}' } })).toMatchObject({ ok: false });
	});

	it('names the missing columns of a CSV without a mapping', async () => {
		await expect(run(file('who,what\na,b\n'))).rejects.toThrow(ImportRefused);
	});
});

describe('GDELT', { timeout: 60_000 }, () => {
	const sample = join(DATASETS, 'gdelt2-20191024143000.export.CSV');

	it('maps each row to the documented fields, and reports rows without an actor', async () => {
		const problems = join(t.dir, 'gdelt-problems.tsv');
		const r = await run(sample, { goodRowsOnly: true, problemsFile: problems });
		expect(r.format).toBe('gdelt');
		expect(r.rows).toBe(2111);
		const all = readFileSync(problems, 'utf8');
		expect(all).toMatch(/^1\tActor1Name \(column 7\)\tis empty: every row needs an actor$/m);
		expect(all).toMatch(/^\d+\t\(row\)\tduplicate of line \d+/m);
		expect(r.new).toBeGreaterThan(1000);

		// Pick a row with both actors and check every mapped field against its raw columns.
		const lines = readFileSync(sample, 'utf8').split('\n');
		const lineNo = lines.findIndex((l) => {
			const c = l.split('\t');
			return c[6] && c[16] && c[26] === '042';
		});
		const c = lines[lineNo]!.split('\t');
		const title = (s: string) => s.toLowerCase().replace(/(^|\s)(\S)/g, (_m, a, b) => a + b.toUpperCase());
		const found = await rows(
			`SELECT a.name, t.name AS target, e.date, e.position, e.kind, e.summary, s.url, s.published_on FROM stance_event e
			JOIN actor a ON a.id = e.actor_id LEFT JOIN actor t ON t.id = e.target_id JOIN source s ON s.event_id = e.id
			WHERE e.import_id = ? AND s.url = ? AND e.position = ? AND a.name = ?`,
			[r.importId!, c[60]!.trim(), Number(c[30]), title(c[6]!)]
		);
		expect(found[0]).toMatchObject({
			date: `${c[1]!.slice(0, 4)}-${c[1]!.slice(4, 6)}-${c[1]!.slice(6, 8)}`,
			kind: c[29] === '1' || c[29] === '3' ? 'statement' : 'action',
			summary: expect.stringContaining('Make a visit (CAMEO 042)'),
			published_on: `${c[59]!.slice(0, 4)}-${c[59]!.slice(4, 6)}-${c[59]!.slice(6, 8)}`
		});
		expect(await rows("SELECT scale_min, scale_max FROM issue WHERE slug = 'cooperation-and-conflict'")).toEqual([expect.objectContaining({ scale_min: -10, scale_max: 10 })]);
	});
});

describe('ideal points', { timeout: 60_000 }, () => {
	it('reads the Latin-1 file with its accents and stores each interval', async () => {
		const r = await run(join(DATASETS, 'unga-ideal-points-2020.csv'), { format: 'ideal-points' });
		expect(r).toMatchObject({ written: true, encoding: 'windows-1252', rejected: 0, rows: 10469 });
		expect(await rows("SELECT name FROM actor WHERE slug = 'stp'")).toEqual([expect.objectContaining({ name: 'São Tomé & Príncipe' })]);
		const [e] = await rows(
			"SELECT e.date, e.date_precision, e.position, e.position_low, e.position_high FROM stance_event e JOIN actor a ON a.id = e.actor_id WHERE a.slug = 'stp' ORDER BY e.date LIMIT 1"
		);
		expect(e).toMatchObject({ date: '1975-01-01', date_precision: 'year', position: -0.965489, position_low: -1.683689, position_high: -0.3721796 });
	});

	it('gives the issue it creates a smallest change of 5 % of the scale, so a shift is a move of about an interval\'s width, not every session', async () => {
		const [issue] = await rows('SELECT id, scale_min, scale_max, change_min_share FROM issue WHERE title = ?', [IDEAL_POINTS_ISSUE]);
		expect(issue).toMatchObject({ change_min_share: IDEAL_POINTS_MIN_SHARE });
		const points = (await rows("SELECT e.date, e.date_precision, e.position FROM stance_event e JOIN actor a ON a.id = e.actor_id WHERE a.slug = 'usa' AND e.issue_id = ? ORDER BY e.date", [Number(issue!.id)])).map(
			(p) => ({ date: String(p.date), datePrecision: p.date_precision as 'year', position: Number(p.position) })
		);
		const scale = { min: Number(issue!.scale_min), max: Number(issue!.scale_max), labels: [] };
		const shifts = (minShare: number) => stanceRuns({ series: { points }, scale, rules: { minShare } }).length - 1;
		// 73 sessions: under the default every session's move is a shift; under the issue's rule few are.
		expect(points.length).toBeGreaterThan(60);
		expect(shifts(0)).toBe(points.length - 1);
		expect(shifts(IDEAL_POINTS_MIN_SHARE)).toBeLessThan(points.length / 4);
		expect(shifts(IDEAL_POINTS_MIN_SHARE)).toBeGreaterThan(0);
	});
});

describe('export then import', { timeout: 60_000 }, () => {
	it('yields an identical dataset', async () => {
		const fresh = await openTestDb();
		const again = await openTestDb();
		try {
			await seedIfEmpty(fresh.db, DEMO_PATH);
			const first = join(fresh.dir, 'first.json');
			await exportDataset(fresh.db, { format: 'json', file: first });
			const r = await runImport(again.db, { file: first, now: TODAY });
			expect(r).toMatchObject({ written: true, rejected: 0 });
			const second = join(again.dir, 'second.json');
			await exportDataset(again.db, { format: 'json', file: second });
			// The same data; only the citation (the moment each copy was pinned to) differs.
			const data = (f: string) => readFileSync(f, 'utf8').split('\n').filter((l) => !/^"(asof|citation)":/.test(l));
			expect(data(second)).toEqual(data(first));
			expect(JSON.parse(readFileSync(first, 'utf8'))).toMatchObject({ asof: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), citation: { site: 'Stance Tracker', text: expect.stringContaining('as recorded on') } });
			expect(await tableCounts(again.db)).toEqual(await tableCounts(fresh.db));
			// The demo's context events came through: the file holds them and so does the database.
			expect(JSON.parse(readFileSync(second, 'utf8')).context).toContainEqual(expect.objectContaining({ issue: 'petro-accusations-sanctions', date: '2025-10-24', label: 'US sanctions on Petro' }));
			const count = async (db: TestDb) => Number((await db.db.$client.execute('SELECT count(*) FROM context_event')).rows[0]![0]);
			expect(await count(again)).toBe(await count(fresh));
			expect(await count(again)).toBeGreaterThan(0);
		} finally {
			fresh.close();
			again.close();
		}
	});

	it("keeps an issue's change rules and featured actors", async () => {
		const fresh = await openTestDb();
		const again = await openTestDb();
		try {
			await seedIfEmpty(fresh.db, DEMO_PATH);
			const issue = 'intelligence-sharing-us';
			await fresh.db.$client.execute({ sql: 'UPDATE issue SET change_min_share = 0.25, walk_back_days = 3, stale_after_days = 90 WHERE slug = ?', args: [issue] });
			await fresh.db.$client.execute({
				sql: `INSERT INTO issue_featured_actor (issue_id, actor_id, ordinal) SELECT i.id, a.id, CASE a.slug WHEN 'united-states' THEN 0 ELSE 1 END
					FROM issue i, actor a WHERE i.slug = ? AND a.slug IN ('united-states', 'colombia')`,
				args: [issue]
			});
			const first = join(fresh.dir, 'first.json');
			await exportDataset(fresh.db, { format: 'json', file: first });
			const written = (JSON.parse(readFileSync(first, 'utf8')) as { issues: { slug: string }[] }).issues.find((i) => i.slug === issue);
			expect(written).toMatchObject({ featured: ['united-states', 'colombia'], rules: { minShare: 0.25, walkBackDays: 3, staleAfterDays: 90 } });
			expect(await runImport(again.db, { file: first, now: TODAY })).toMatchObject({ written: true, rejected: 0 });
			const stored = async (db: TestDb) =>
				(
					await db.db.$client.execute({
						sql: `SELECT i.change_min_share, i.walk_back_days, i.stale_after_days, (SELECT group_concat(slug, ',') FROM (SELECT a.slug FROM issue_featured_actor f JOIN actor a ON a.id = f.actor_id WHERE f.issue_id = i.id ORDER BY f.ordinal)) AS featured
							FROM issue i WHERE i.slug = ?`,
						args: [issue]
					})
				).rows.map((r) => [0, 1, 2, 3].map((k) => r[k]));
			expect(await stored(again)).toEqual([[0.25, 3, 90, 'united-states,colombia']]);
			const second = join(again.dir, 'second.json');
			await exportDataset(again.db, { format: 'json', file: second });
			const data = (f: string) => readFileSync(f, 'utf8').split('\n').filter((l) => !/^"(asof|citation)":/.test(l));
			expect(data(second)).toEqual(data(first));
		} finally {
			fresh.close();
			again.close();
		}
	});

	it('names a featured actor the dataset does not know, and writes nothing', async () => {
		const doc = {
			format: 'stance-tracker/v1',
			actors: [],
			issues: [{ slug: 'whaling-test', title: 'Whaling (test)', scale: { min: -1, max: 1, labels: [{ value: 0, label: 'Neutral' }] }, featured: ['atlantis'] }],
			events: []
		};
		const r = await run(file(JSON.stringify(doc), 'json'));
		expect(r.written).toBe(false);
		expect(r.problems).toEqual([expect.objectContaining({ column: 'issues[0].featured[0]', reason: expect.stringContaining('unknown actor "atlantis"') })]);
		expect(await rows("SELECT id FROM issue WHERE slug = 'whaling-test'")).toEqual([]);
	});

	it('writes the citation as leading "# " lines of the CSV, which the importer reads past', async () => {
		const fresh = await openTestDb();
		try {
			await seedIfEmpty(fresh.db, DEMO_PATH);
			const at = String((await fresh.db.$client.execute('select at from change order by id desc limit 1')).rows[0]![0]);
			const csv = join(fresh.dir, 'all.csv');
			const n = await exportDataset(fresh.db, { format: 'csv', file: csv, origin: 'https://stances.example.org' });
			const lines = readFileSync(csv, 'utf8').replace(/^\uFEFF/, '').split('\r\n');
			expect(lines[0]).toMatch(/^# Stance Tracker export\. Suggested citation: “Stance Tracker dataset”\. Stance Tracker, as recorded on .* UTC\. Accessed .*\. https:\/\/stances\.example\.org\/$/);
			expect(lines[1]).toBe(`# asof: ${at}`);
			expect(lines[2]).toBe('# url: https://stances.example.org/');
			expect(lines[3]).toMatch(/^date,date_precision,actor,/);
			// Read back into the same database: every row is read, none refused, all already there.
			const r = await runImport(fresh.db, { file: csv, now: TODAY });
			expect(r).toMatchObject({ rejected: 0, rows: n, present: n });
		} finally {
			fresh.close();
		}
	});
});

describe('context events in a streamed JSON dataset', () => {
	const doc = (context: unknown[]) => JSON.stringify({ format: 'stance-tracker/v1', actors: [], issues: [], events: [], context });
	const strike = { issue: 'boat-strikes-legality', date: '2025-09-03', label: 'Second strike (test)', source: { outlet: 'Reuters', url: 'https://example.org/s' } };
	const stored = async () => rows("SELECT label, date, outlet, source_url FROM context_event WHERE label = 'Second strike (test)' AND deleted_at IS NULL");

	it('names each bad context event by its place and writes nothing', async () => {
		const r = await run(file(doc([strike, { ...strike, label: '' }, { ...strike, issue: 'whaling' }, { ...strike, endDate: '2025-09-01' }]), 'json'));
		expect(r.written).toBe(false);
		expect(r.problems).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ column: 'context[1].label', reason: 'must not be empty' }),
				expect.objectContaining({ column: 'context[2].issue', reason: expect.stringMatching(/unknown issue "whaling"/) }),
				expect.objectContaining({ column: 'context[3].endDate', reason: 'must not be before the start date' })
			])
		);
		expect(await stored()).toEqual([]);
	});

	it('adds a good one with its history, and does not add it again on a second import', async () => {
		const path = file(doc([strike]), 'json');
		expect(await run(path)).toMatchObject({ written: true, context: 1 });
		expect(await stored()).toEqual([expect.objectContaining({ label: 'Second strike (test)', date: '2025-09-03', outlet: 'Reuters', source_url: 'https://example.org/s' })]);
		const [c] = await rows("SELECT id FROM context_event WHERE label = 'Second strike (test)'");
		expect(await rows("SELECT action, via FROM change WHERE entity = 'context' AND entity_id = ?", [Number(c![0])])).toEqual([expect.objectContaining({ action: 'create', via: 'import' })]);
		await run(path);
		expect(await stored()).toHaveLength(1);
	});
});


describe('export as CSV then import', { timeout: 60_000 }, () => {
	it('yields an identical dataset, every source of every event included', async () => {
		const fresh = await openTestDb();
		const again = await openTestDb();
		try {
			await seedIfEmpty(fresh.db, DEMO_PATH);
			// An event with three sources, the second with no URL: all three must come back.
			const extra = join(fresh.dir, 'extra.json');
			writeFileSync(
				extra,
				JSON.stringify({
					format: 'stance-tracker/v1',
					events: [
						{
							actor: 'colombia', issue: 'intelligence-sharing-us', date: '2024-03-05', position: 1, kind: 'statement', summary: 'Three sources, one event',
							sources: [
								{ outlet: 'El Tiempo', url: 'https://example.org/a', title: 'First' },
								{ outlet: 'Semana', title: 'Second, "quoted", with commas' },
								{ outlet: 'Reuters', url: 'https://example.org/c', publishedOn: '2024-03-06' }
							]
						}
					]
				})
			);
			expect(await runImport(fresh.db, { file: extra, now: TODAY })).toMatchObject({ written: true, new: 1 });
			const json = join(fresh.dir, 'first.json');
			const csv = join(fresh.dir, 'first.csv');
			await exportDataset(fresh.db, { format: 'json', file: json });
			await exportDataset(fresh.db, { format: 'csv', file: csv });
			expect(readFileSync(csv, 'utf8')).toContain('[{""outlet"":""Semana"",""title"":""Second, \\""quoted\\"", with commas""');

			// The CSV carries events, not the actors' and issues' own fields: those come first, as a dataset without events.
			const dataset = JSON.parse(readFileSync(json, 'utf8')) as { events: unknown[] };
			const frame = join(again.dir, 'frame.json');
			writeFileSync(frame, JSON.stringify({ ...dataset, events: [] }));
			expect(await runImport(again.db, { file: frame, now: TODAY })).toMatchObject({ written: true });
			const r = await runImport(again.db, { file: csv, now: TODAY });
			expect(r).toMatchObject({ written: true, rejected: 0, new: dataset.events.length });

			const second = join(again.dir, 'second.json');
			await exportDataset(again.db, { format: 'json', file: second });
			// The same data; only the citation (the moment each copy was pinned to) differs.
			const data = (f: string) => readFileSync(f, 'utf8').split('\n').filter((l) => !/^"(asof|citation)":/.test(l));
			expect(data(second)).toEqual(data(json));
			expect(await tableCounts(again.db)).toEqual(await tableCounts(fresh.db));
			// And a second import of the same CSV adds nothing.
			expect(await runImport(again.db, { file: csv, now: TODAY })).toMatchObject({ new: 0, present: dataset.events.length });
		} finally {
			fresh.close();
			again.close();
		}
	});

	it('reports a more_sources cell that is not a list of sources, with its line', async () => {
		const path = file([`${HEADER},more_sources`, `${GOOD},"[{""title"":""no outlet""}]"`, `${GOOD.replace('A good row', 'Another')},not json`].join('\n'));
		const r = await run(path);
		expect(r.written).toBe(false);
		expect(r.problems).toEqual([
			expect.objectContaining({ line: 2, column: 'more_sources[0].outlet' }),
			expect.objectContaining({ line: 3, column: 'more_sources', reason: expect.stringMatching(/is not JSON/) })
		]);
	});
});

describe('an imported event\'s history', () => {
	it('names the import that created it', async () => {
		const { forRecord } = await import('../../../src/lib/server/queries/history');
		const r = await run(file([HEADER, 'colombia,intelligence-sharing-us,2023-01-01,1,History of one,Reuters'].join('\n')), { name: 'their-file.csv' });
		const [e] = await rows("SELECT id FROM stance_event WHERE summary = 'History of one'");
		const history = await forRecord(t.db, 'event', Number(e![0]));
		expect(history).toEqual([expect.objectContaining({ action: 'create', via: 'import', by: `an import (import #${r.importId} of their-file.csv)` })]);
	});
});

describe('a large import: the event indexes dropped and built again inside the final batch', () => {
	const indexes = async () => (await rows("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'stance_event' AND sql IS NOT NULL ORDER BY name")).map((r) => Array.from(r as unknown as ArrayLike<unknown>));
	const activity = async () =>
		(await rows('SELECT issue_id, actor_id, events, first, last FROM issue_actor_activity ORDER BY issue_id, actor_id')).map((r) => Array.from(r as unknown as ArrayLike<unknown>));
	const recounted = async () =>
		(
			await rows(
				'SELECT issue_id, actor_id, count(*), min(date), max(date) FROM stance_event WHERE deleted_at IS NULL GROUP BY issue_id, actor_id ORDER BY issue_id, actor_id'
			)
		).map((r) => Array.from(r as unknown as ArrayLike<unknown>));
	const version = async (slug: string) => Number((await rows('SELECT n FROM data_version WHERE scope = (SELECT id FROM issue WHERE slug = ?)', [slug]))[0]![0]);
	const lines = (tag: string) =>
		[HEADER, ...Array.from({ length: 300 }, (_, i) => `${i % 2 ? 'colombia' : 'united-states'},intelligence-sharing-us,${2000 + (i % 20)}-0${1 + (i % 9)}-1${i % 10},${(i % 3) - 1},${tag} ${i},Reuters`)].join('\n');

	it('writes every row, leaves the same indexes (used again by the reads), the activity counts and the data version as row-by-row writes would', async () => {
		const before = await indexes();
		const v = await version('intelligence-sharing-us');
		const r = await run(file(lines('Rebuilt')), { indexes: 'rebuild' });
		expect(r).toMatchObject({ written: true, new: 300, present: 0 });
		expect(await indexes()).toEqual(before);
		expect(await activity()).toEqual(await recounted());
		expect(await version('intelligence-sharing-us')).toBeGreaterThan(v);
		expect(String((await rows('PRAGMA integrity_check'))[0]![0])).toBe('ok');
		// The (actor, issue, date...) index answers a series again.
		const seriesIndex = String(before.find((i) => /\(`actor_id`,\s*`issue_id`,\s*`date`/.test(String(i[1])))![0]);
		const plan = await rows("EXPLAIN QUERY PLAN SELECT id FROM stance_event WHERE actor_id = 1 AND issue_id = 1 AND date >= '2000-01-01'");
		expect(plan.map((p) => String(p[3])).join(' ')).toContain(`INDEX ${seriesIndex}`);
	});

	it('finds the rows already there before it drops the indexes: the same file again adds nothing', async () => {
		const path = file(lines('Again'));
		expect(await run(path, { indexes: 'rebuild' })).toMatchObject({ new: 300, present: 0 });
		const counts = await tableCounts(t.db);
		expect(await run(path, { indexes: 'rebuild' })).toMatchObject({ new: 0, present: 300, rejected: 0 });
		expect(await run(path, { indexes: 'keep' })).toMatchObject({ new: 0, present: 300, rejected: 0 });
		expect(await tableCounts(t.db)).toEqual(counts);
	});

	it('leaves the indexes and the data as they were when the batch fails after dropping them', async () => {
		const before = await indexes();
		const counts = await tableCounts(t.db);
		// A real failure late in the batch (after the drop and the events' insert): a trigger refusing one source.
		await t.db.$client.execute("CREATE TRIGGER refuse_boom BEFORE INSERT ON source WHEN NEW.outlet = 'Boom' BEGIN SELECT RAISE(ABORT, 'boom refused'); END");
		try {
			const content = lines('Failing').replace(/Failing 299,Reuters$/, 'Failing 299,Boom');
			await expect(run(file(content), { indexes: 'rebuild' })).rejects.toThrow(/boom refused/);
		} finally {
			await t.db.$client.execute('DROP TRIGGER refuse_boom');
		}
		expect(await indexes()).toEqual(before);
		expect(await tableCounts(t.db)).toEqual(counts);
		expect(await rows("SELECT * FROM import_run WHERE status = 'running'")).toHaveLength(0);
		expect(await rows("SELECT name FROM sqlite_master WHERE name LIKE 'import_staging_%'")).toHaveLength(0);
	});
});

describe('rebuildIndexes (when the final batch rebuilds the event indexes)', () => {
	it('rebuilds for a large import into a table no larger than a few times the import, keeps them otherwise', async () => {
		const { rebuildIndexes } = await import('../../../src/lib/server/import/staging');
		expect(rebuildIndexes(1_000_000, 0)).toBe(true);
		expect(rebuildIndexes(870_109, 100)).toBe(true);
		expect(rebuildIndexes(1_000, 0)).toBe(false);
		expect(rebuildIndexes(50_000, 5_000_000)).toBe(false);
		// The measured crossover: about a fifth of the events already stored.
		expect(rebuildIndexes(250_000, 500_000)).toBe(true);
		expect(rebuildIndexes(100_000, 500_000)).toBe(true);
		expect(rebuildIndexes(60_000, 500_000)).toBe(false);
	});
});

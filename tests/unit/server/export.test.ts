import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { exportContext, parseImageSize, sizeFor, specFor } from '../../../src/lib/server/export';
import { eventsCsv, eventsCsvPages, safeCell, textStream, viewJson, viewJsonPages } from '../../../src/lib/server/exportData';
import { renderPng, renderSvg } from '../../../src/lib/server/render';
import { writeDataset } from '../../../src/lib/server/write';
import { openTestDb, type TestDb } from './testDb';

let t: TestDb;

const dataset = {
	format: 'stance-tracker/v1',
	actors: [
		{ slug: 'alpha', name: 'Álpha Land', kind: 'country', color: '#0072b2' },
		{ slug: 'beta', name: 'Beta', kind: 'country', color: '#d55e00' }
	],
	issues: [
		{
			slug: 'treaty',
			title: 'The treaty',
			scale: { min: -2, max: 2, labels: [{ value: -2, label: 'Against' }, { value: 0, label: 'Undecided' }, { value: 2, label: 'For' }] }
		}
	],
	events: [
		{
			actor: 'alpha', issue: 'treaty', date: '2025-03-01', position: -2, kind: 'statement',
			summary: '=cmd|calc', quote: '=HYPERLINK("http://evil")',
			sources: [{ outlet: '@outlet', url: 'https://example.org/a', title: '+plus, "quoted"\nnew line' }]
		},
		{ actor: 'beta', issue: 'treaty', date: '2025-04-01', position: 2, kind: 'statement', summary: 'Backs it', sources: [{ outlet: 'Wire' }] }
	]
};

beforeAll(async () => {
	t = await openTestDb();
	await writeDataset(t.db, dataset, '2026-01-01');
});
afterAll(() => t.close());

const url = (q: string) => new URL(`http://example.test/export/data.csv${q}`);

describe('safeCell', () => {
	it.each([
		['=1+1', "'=1+1"],
		['+1', "'+1"],
		['-1', "'-1"],
		['@SUM(A1)', "'@SUM(A1)"],
		['\tx', "'\tx"],
		['\rx', "'\rx"],
		['plain', 'plain']
	])('neutralises %j', (input, output) => expect(safeCell(input)).toBe(output));
	it('leaves numbers, negative ones too, as numbers', () => expect(safeCell(-2)).toBe(-2));
	it('writes null as an empty cell', () => expect(safeCell(null)).toBe(''));
});

describe('eventsCsv', () => {
	it('neutralises formulas, quotes per RFC 4180, keeps accents, starts with a BOM', async () => {
		const r = await exportContext(t.db, url('?issues=treaty'));
		if (!r.ok) throw new Error('export context refused');
		const csv = eventsCsv(r.ctx.model, r.ctx.loaded.actors, r.ctx.loaded.issues);
		expect(csv.charCodeAt(0)).toBe(0xfeff);
		expect(csv).toContain('\r\n');
		const rows: Record<string, string>[] = parse(csv, { columns: true, bom: true });
		expect(rows).toHaveLength(2);
		const alpha = rows.find((x) => x.actor === 'alpha')!;
		expect(alpha.quote).toBe(`'=HYPERLINK("http://evil")`);
		expect(alpha.summary).toBe("'=cmd|calc");
		expect(alpha.source_outlets).toBe("'@outlet");
		expect(alpha.source_titles).toBe(`'+plus, "quoted"\nnew line`);
		expect(alpha.actor_name).toBe('Álpha Land');
		expect(alpha.position).toBe('-2');
		expect(alpha.position_label).toBe('Against');
	});

	it('starts with the citation in unquoted "# " comment lines; a reader told so gets the same rows', async () => {
		const r = await exportContext(t.db, url('?issues=treaty'));
		if (!r.ok) throw new Error('export context refused');
		// A title with a straight quote, a comma and a line break must not break the comment lines.
		const citation = { ...r.ctx.citation, text: r.ctx.citation.text.replace('The treaty', 'The "treaty",\nsigned') };
		const csv = eventsCsv(r.ctx.model, r.ctx.loaded.actors, r.ctx.loaded.issues, citation);
		const lines = csv.slice(1).split('\r\n');
		expect(lines.slice(0, 3)).toEqual([
			expect.stringMatching(/^# Stance Tracker export\. Suggested citation: “The ”treaty”, signed”\. Stance Tracker, as recorded on .* UTC\. Accessed .*\. http:\/\/example\.test\/issues\/treaty\?asof=\S+$/),
			`# asof: ${r.ctx.citation.asof}`,
			`# url: ${r.ctx.citation.url}`
		]);
		expect(lines[3]).toMatch(/^id,date,/);
		const plain = parse(eventsCsv(r.ctx.model, r.ctx.loaded.actors, r.ctx.loaded.issues), { columns: true, bom: true });
		expect(parse(csv, { columns: true, bom: true, comment: '#', comment_no_infix: true })).toEqual(plain);
	});
});

describe('paged exports (eventsCsvPages, viewJsonPages)', () => {
	const kinds = ['=SUM(1)', 'plain', 'comma, "quoted"\nline', '-minus', 'Ünïcode ✓', '@at', 'last'];
	beforeAll(async () => {
		await writeDataset(
			t.db,
			{
				format: 'stance-tracker/v1',
				actors: [{ slug: 'page-one', name: 'Gämma', kind: 'country' }, { slug: 'page-two', name: '+Delta', kind: 'country' }],
				issues: [{ slug: 'paged', title: 'Paged "issue"', scale: { min: -2, max: 2, labels: [{ value: -2, label: 'Against' }, { value: 2, label: 'For' }] } }],
				events: kinds.map((summary, i) => ({
					actor: i % 2 ? 'page-two' : 'page-one', issue: 'paged', date: `2024-0${i + 1}-15`, position: (i % 5) - 2, kind: 'statement', summary,
					quote: i === 2 ? 'He said "no"' : undefined,
					sources: [{ outlet: i % 3 ? 'Wire' : '=Outlet', url: `https://example.org/${i}`, title: `T${i}` }, { outlet: 'Second' }]
				})),
				context: [
					{ issue: 'paged', date: '2024-02-01', label: '=Talks', source: { outlet: 'Wire' } },
					{ issue: 'paged', date: '2024-03-01', endDate: '2024-03-20', label: 'Round, two', source: { outlet: 'Wire' } }
				]
			},
			'2026-01-01'
		);
	});
	// The bytes a response sends, decoded keeping the BOM (Response.text() would drop it).
	const text = async (pieces: Iterator<string>) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(await new Response(textStream(pieces)).arrayBuffer());

	it('write a view of several pages to the same bytes as the whole export, citation and context included', async () => {
		const r = await exportContext(t.db, url('?actors=page-one,page-two&issues=paged'));
		if (!r.ok) throw new Error('expected the view');
		const { model, loaded, permalink, citation } = r.ctx;
		expect(model.events).toHaveLength(7);
		for (const page of [1, 3, 7, 100]) {
			const csvPieces = [...eventsCsvPages(model, loaded.actors, loaded.issues, citation, page)];
			expect(csvPieces.length).toBe(1 + Math.ceil(7 / page) + 1);
			expect(csvPieces.join('')).toBe(eventsCsv(model, loaded.actors, loaded.issues, citation));
			expect(await text(eventsCsvPages(model, loaded.actors, loaded.issues, citation, page))).toBe(eventsCsv(model, loaded.actors, loaded.issues, citation));
			expect(await text(viewJsonPages(model, loaded.actors, permalink, citation, page))).toBe(JSON.stringify(viewJson(model, loaded.actors, permalink, citation)));
			expect(await text(viewJsonPages(model, loaded.actors, permalink, null, page))).toBe(JSON.stringify(viewJson(model, loaded.actors, permalink, null)));
		}
		const rows: Record<string, string>[] = parse(eventsCsv(model, loaded.actors, loaded.issues), { columns: true, bom: true });
		expect(rows.map((row) => row.summary)).toEqual([...kinds.map((k) => (/^[=+\-@]/.test(k) ? `'${k}` : k)), "'=Talks", 'Round, two']);
	});

	it('write an empty view as the header (CSV) and an empty events list (JSON)', async () => {
		const r = await exportContext(t.db, url('?actors=page-one&issues=paged&from=2030-01-01&to=2030-12-31'));
		if (!r.ok) throw new Error('expected the view');
		const { model, loaded, permalink } = r.ctx;
		expect(model.events).toHaveLength(0);
		expect(await text(eventsCsvPages(model, loaded.actors, loaded.issues, null, 2))).toBe(eventsCsv(model, loaded.actors, loaded.issues));
		expect(await text(viewJsonPages(model, loaded.actors, permalink, null, 2))).toBe(JSON.stringify(viewJson(model, loaded.actors, permalink)));
	});
});

describe('exportContext', () => {
	it('refuses unknown slugs with a 404 naming them', async () => {
		const r = await exportContext(t.db, url('?actors=alpha,gamma&issues=treaty'));
		expect(r.ok).toBe(false);
		if (!r.ok) {
			expect(r.response.status).toBe(404);
			expect((await r.response.json()).error).toContain('gamma');
		}
	});
	it('names every actor on the issue when none is given, and files the view by name', async () => {
		const r = await exportContext(t.db, url('?issue=treaty'));
		if (!r.ok) throw new Error('refused');
		expect(r.ctx.loaded.shownActors.sort()).toEqual(['alpha', 'beta']);
		expect(r.ctx.filename('png')).toBe(`treaty-${r.ctx.model.range.from}-${r.ctx.model.range.to}.png`);
		expect(r.ctx.permalink).toBe('http://example.test/issues/treaty');
		const json = viewJson(r.ctx.model, r.ctx.loaded.actors, r.ctx.permalink);
		expect(json.series.map((s) => s.actor).sort()).toEqual(['alpha', 'beta']);
	});
});

describe('parseImageSize', () => {
	it('accepts sizes in range and leaves missing ones to the view', () => {
		expect(parseImageSize(new URLSearchParams('width=800&scale=2'))).toEqual({ size: { width: 800, height: null, scale: 2 } });
	});
	it.each([
		['width=10', 'width'],
		['height=5000', 'height'],
		['scale=1.5', 'scale'],
		['scale=0', 'scale'],
		['width=abc', 'width']
	])('refuses %s naming the parameter', (q, name) => {
		const r = parseImageSize(new URLSearchParams(q));
		expect('problems' in r && r.problems.join(' ')).toContain(`"${name}"`);
	});
});

describe('renderPng and renderSvg', () => {
	it('render the export at the asked size, the SVG with its text as text', async () => {
		const r = await exportContext(t.db, url('?issues=treaty'));
		if (!r.ok) throw new Error('refused');
		const spec = specFor(r.ctx, sizeFor(r.ctx, { width: 700, height: 400, scale: 2 }));
		const png = renderPng(spec, 2);
		expect(png.readUInt32BE(16)).toBe(1400);
		expect(png.readUInt32BE(20)).toBe(800);
		const svg = renderSvg(spec).toString('utf8');
		expect(svg).toMatch(/^<\?xml/);
		expect(svg).toContain('The treaty');
		expect(svg).toContain('Álpha Land');
	});
});

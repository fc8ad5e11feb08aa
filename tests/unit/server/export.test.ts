import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { buildCompareModel } from '../../../src/lib/charts/compareModel';
import { markInputs } from '../../../src/lib/charts/markers';
import { exportContext, parseImageSize, sizeFor, specFor } from '../../../src/lib/server/export';
import { eventsCsv, eventsCsvPages, safeCell, textStream, viewJson, viewJsonPages } from '../../../src/lib/server/exportData';
import { loadView } from '../../../src/lib/server/queries/view';
import { renderPng, renderSvg } from '../../../src/lib/server/render';
import { writeDataset } from '../../../src/lib/server/write';
import { eventsOf } from './exportEvents';
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

/**
 * The model as the exports built it before they read their events a page at a time: the view
 * loaded whole (every event with its sources, at once). The reference for the bytes.
 */
async function wholeModel(q: string) {
	const loaded = await loadView(t.db, url(q).searchParams);
	const model = buildCompareModel({
		view: { ...loaded.view, actors: loaded.shownActors, issues: loaded.shownIssues },
		issues: loaded.issues,
		actors: loaded.actors,
		events: loaded.events,
		context: loaded.context,
		...markInputs(loaded.marks)
	});
	return { model, loaded };
}

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
		const csv = eventsCsv(r.ctx.model, r.ctx.loaded.actors, r.ctx.loaded.issues, null, await eventsOf(r.ctx));
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
		const events = await eventsOf(r.ctx);
		const csv = eventsCsv(r.ctx.model, r.ctx.loaded.actors, r.ctx.loaded.issues, citation, events);
		const lines = csv.slice(1).split('\r\n');
		expect(lines.slice(0, 3)).toEqual([
			expect.stringMatching(/^# Stance Tracker export\. Suggested citation: “The ”treaty”, signed”\. Stance Tracker, as recorded on .* UTC\. Accessed .*\. http:\/\/example\.test\/issues\/treaty\?asof=\S+$/),
			`# asof: ${r.ctx.citation.asof}`,
			`# url: ${r.ctx.citation.url}`
		]);
		expect(lines[3]).toMatch(/^id,date,/);
		const plain = parse(eventsCsv(r.ctx.model, r.ctx.loaded.actors, r.ctx.loaded.issues, null, events), { columns: true, bom: true });
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
	const text = async (pieces: AsyncIterator<string>) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(await new Response(textStream(pieces)).arrayBuffer());
	const pieces = async (it: AsyncIterable<string>) => {
		const out: string[] = [];
		for await (const p of it) out.push(p);
		return out;
	};

	it('write a view read a page at a time to the same bytes as the view loaded whole, citation and context included', async () => {
		const q = '?actors=page-one,page-two&issues=paged';
		const r = await exportContext(t.db, url(q));
		if (!r.ok) throw new Error('expected the view');
		const { model, loaded, permalink, citation } = r.ctx;
		// The reference: every event with its sources loaded at once, as the exports did before.
		const whole = await wholeModel(q);
		expect(whole.model.events).toHaveLength(7);
		expect(r.ctx.eventIds).toEqual(whole.model.events.map((e) => e.id));
		const csv = eventsCsv(whole.model, whole.loaded.actors, whole.loaded.issues, citation);
		const json = (c: typeof citation | null) => JSON.stringify(viewJson(whole.model, whole.loaded.actors, permalink, c));
		for (const page of [1, 3, 7, 100]) {
			const csvPieces = await pieces(eventsCsvPages(model, loaded.actors, loaded.issues, citation, r.ctx.eventPages(page)));
			expect(csvPieces.length).toBe(1 + Math.ceil(7 / page) + 1);
			expect(csvPieces.join('')).toBe(csv);
			expect(await text(eventsCsvPages(model, loaded.actors, loaded.issues, citation, r.ctx.eventPages(page)))).toBe(csv);
			expect(await text(viewJsonPages(model, loaded.actors, permalink, citation, r.ctx.eventPages(page)))).toBe(json(citation));
			expect(await text(viewJsonPages(model, loaded.actors, permalink, null, r.ctx.eventPages(page)))).toBe(json(null));
		}
		const rows: Record<string, string>[] = parse(eventsCsv(whole.model, whole.loaded.actors, whole.loaded.issues), { columns: true, bom: true });
		expect(rows.map((row) => row.summary)).toEqual([...kinds.map((k) => (/^[=+\-@]/.test(k) ? `'${k}` : k)), "'=Talks", 'Round, two']);
		expect(rows[0]!.source_outlets).toBe("'=Outlet | Second");
	});

	it('write an empty view as the header (CSV) and an empty events list (JSON)', async () => {
		const q = '?actors=page-one&issues=paged&from=2030-01-01&to=2030-12-31';
		const r = await exportContext(t.db, url(q));
		if (!r.ok) throw new Error('expected the view');
		const { model, loaded, permalink } = r.ctx;
		expect(r.ctx.eventIds).toHaveLength(0);
		const whole = await wholeModel(q);
		expect(await text(eventsCsvPages(model, loaded.actors, loaded.issues, null, r.ctx.eventPages(2)))).toBe(eventsCsv(whole.model, whole.loaded.actors, whole.loaded.issues));
		expect(await text(viewJsonPages(model, loaded.actors, permalink, null, r.ctx.eventPages(2)))).toBe(JSON.stringify(viewJson(whole.model, whole.loaded.actors, permalink)));
	});

	it('end the pages with an error when the view\'s data changes while they are read, not when another issue\'s does', async () => {
		const r = await exportContext(t.db, url('?actors=page-one,page-two&issues=paged'));
		if (!r.ok) throw new Error('expected the view');
		const pages = r.ctx.eventPages(3);
		expect((await pages.next()).value).toHaveLength(3);
		// A write elsewhere (another issue) leaves the export going.
		await t.db.$client.execute("update stance_event set summary = summary || '.' where id = (select e.id from stance_event e join issue i on i.id = e.issue_id where i.slug = 'treaty' limit 1)");
		expect((await pages.next()).value).toHaveLength(3);
		// A write to the view's issue ends it: the file would mix two states of the record.
		await t.db.$client.execute("update stance_event set summary = summary || '.' where id = (select e.id from stance_event e join issue i on i.id = e.issue_id where i.slug = 'paged' limit 1)");
		await expect(pages.next()).rejects.toThrow(/changed while the export was being written/);
		// The response body errors too: the download ends unfinished instead of passing for a whole file.
		const again = await exportContext(t.db, url('?actors=page-one,page-two&issues=paged'));
		if (!again.ok) throw new Error('expected the view');
		const body = textStream(eventsCsvPages(again.ctx.model, again.ctx.loaded.actors, again.ctx.loaded.issues, null, again.ctx.eventPages(3)));
		const reader = body.getReader();
		await reader.read();
		await t.db.$client.execute("update stance_event set summary = summary || '.' where id = (select e.id from stance_event e join issue i on i.id = e.issue_id where i.slug = 'paged' limit 1)");
		await expect((async () => {
			for (;;) if ((await reader.read()).done) return;
		})()).rejects.toThrow(/changed while the export was being written/);
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
		const json = viewJson(r.ctx.model, r.ctx.loaded.actors, r.ctx.permalink, null, await eventsOf(r.ctx));
		expect(json.series.map((s) => s.actor).sort()).toEqual(['alpha', 'beta']);
		expect(json.events.map((e) => e.sources.map((s) => s.outlet))).toEqual([['@outlet'], ['Wire']]);
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
		const spec = await specFor(r.ctx, sizeFor(r.ctx, { width: 700, height: 400, scale: 2 }));
		const png = renderPng(spec, 2);
		expect(png.readUInt32BE(16)).toBe(1400);
		expect(png.readUInt32BE(20)).toBe(800);
		const svg = renderSvg(spec).toString('utf8');
		expect(svg).toMatch(/^<\?xml/);
		expect(svg).toContain('The treaty');
		expect(svg).toContain('Álpha Land');
	});
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { contextMarks } from '../../../src/lib/charts/contextMarks';
import { buildStanceLineConfig } from '../../../src/lib/charts/stanceLine';
import { toDay } from '../../../src/lib/charts/timeAxis';
import { exportContext, sizeFor, specFor } from '../../../src/lib/server/export';
import { eventsCsv, viewJson } from '../../../src/lib/server/exportData';
import { renderPng, renderSvg } from '../../../src/lib/server/render';
import * as write from '../../../src/lib/server/write';
import { issue } from '../../fixtures/factories';
import { eventsOf } from './exportEvents';
import { openTestDb, type TestDb } from './testDb';

const source = { outlet: 'Wire', url: 'https://example.org/c' };
const dataset = {
	format: 'stance-tracker/v1',
	actors: [
		{ slug: 'alpha', name: 'Alpha', kind: 'country', color: '#0072b2' },
		{ slug: 'beta', name: 'Beta', kind: 'country', color: '#d55e00' }
	],
	issues: ['treaty', 'other'].map((slug) => ({ slug, title: `The ${slug}`, scale: { min: -2, max: 2, labels: [{ value: -2, label: 'Against' }, { value: 2, label: 'For' }] } })),
	events: [
		{ actor: 'alpha', issue: 'treaty', date: '2025-03-01', position: -2, kind: 'statement', summary: 'No', sources: [{ outlet: 'Wire' }] },
		{ actor: 'alpha', issue: 'treaty', date: '2025-06-01', position: 2, kind: 'statement', summary: 'Yes', sources: [{ outlet: 'Wire' }] },
		{ actor: 'beta', issue: 'treaty', date: '2025-04-01', position: 0, kind: 'statement', summary: 'Maybe', sources: [{ outlet: 'Wire' }] },
		{ actor: 'alpha', issue: 'other', date: '2025-03-01', position: 1, kind: 'statement', summary: 'Fine', sources: [{ outlet: 'Wire' }] }
	],
	context: [
		{ issue: 'treaty', date: '2025-03-10', label: 'Treaty text published', source },
		{ issue: 'treaty', date: '2025-05-01', endDate: '2025-05-20', label: 'Round of talks', source },
		{ issue: 'other', date: '2025-03-15', label: 'Only on the other issue', source }
	]
};

let t: TestDb;
beforeAll(async () => {
	t = await openTestDb();
	await write.writeDataset(t.db, dataset, '2026-01-01');
});
afterAll(() => t.close());

const ctxOf = async (q: string) => {
	const r = await exportContext(t.db, new URL(`http://example.test/export/chart.svg?${q}`));
	if (!r.ok) throw new Error(await r.response.text());
	return r.ctx;
};
const svgOf = async (q: string) => {
	const ctx = await ctxOf(q);
	return renderSvg(await specFor(ctx, sizeFor(ctx, { width: 900, height: 500, scale: 1 }))).toString('utf8');
};
/** The words written in the context colour, in order (the SVG writes each word as its own <text>). */
const contextWords = (svg: string) =>
	[...svg.matchAll(/<text fill="#7A5200"[^>]*>([^<]*)</g)]
		.map((m) => m[1])
		.filter(Boolean)
		.join(' ');
const pngOf = async (q: string) => {
	const ctx = await ctxOf(q);
	return renderPng(await specFor(ctx, sizeFor(ctx, { width: 900, height: 500, scale: 1 })), 1);
};

describe('context events on the shared chart config', () => {
	it('turns a day into a line and a span into a band, with a short dated label', () => {
		expect(
			contextMarks([
				{ date: '2025-09-02', datePrecision: 'day', endDate: null, label: 'First US strike on a boat' },
				{ date: '2025-05-01', datePrecision: 'day', endDate: '2025-05-20', label: 'Talks' },
				{ date: '2025-10-01', datePrecision: 'month', endDate: null, label: 'A month' }
			])
		).toEqual([
			{ from: toDay('2025-09-02'), to: toDay('2025-09-02'), label: '2 Sep 2025: First US strike on a boat' },
			{ from: toDay('2025-05-01'), to: toDay('2025-05-20'), label: '1 May 2025 to 20 May 2025: Talks' },
			{ from: toDay('2025-10-01'), to: toDay('2025-10-31'), label: 'Oct 2025: A month' }
		]);
	});

	it('reserves a strip above the plot for the labels only when there is context', () => {
		const range = { from: '2025-01-01', to: '2025-12-31' };
		const plain = buildStanceLineConfig({ issue: issue(), series: [], range });
		const withContext = buildStanceLineConfig({ issue: issue(), series: [], range, context: [{ from: 1, to: 1, label: 'x' }] });
		const top = (c: typeof plain) => (c.options!.layout!.padding as { top: number }).top;
		expect(top(withContext)).toBeGreaterThan(top(plain));
		expect(withContext.plugins!.map((p) => p.id)).toContain('stanceContext');
	});
});

describe('context events in the image and data exports', () => {
	it('writes each label of the issue in the SVG, in the overlay, lanes and side-by-side modes', async () => {
		for (const mode of ['overlay', 'lanes', 'side']) {
			const words = contextWords(await svgOf(`issues=treaty&from=2025-01-01&to=2025-12-31&mode=${mode}`));
			expect(words, mode).toContain('10 Mar 2025: Treaty text published');
			expect(words, mode).toContain('1 May 2025 to 20 May 2025: Round of talks');
			expect(words, mode).not.toContain('Only on the other issue');
		}
	});

	it('draws the span as a band and the day as a dashed line in the context colour', async () => {
		const svg = await svgOf('issues=treaty&from=2025-01-01&to=2025-12-31');
		// The band: a translucent fill; the line: a path of 5-pixel dashes.
		expect(svg).toMatch(/fill="#7A5200" fill-opacity="0\.1\d*"/);
		expect(svg).toMatch(/<path fill="#7A5200"[^>]*d="M[\d.]+ (\d+)L[\d.]+ \d+L/);
	});

	it('leaves out context outside the range', async () => {
		const words = contextWords(await svgOf('issues=treaty&from=2025-04-01&to=2025-12-31'));
		expect(words).not.toContain('Treaty text published');
		expect(words).toContain('Round of talks');
	});

	it('lists the context in the CSV (kind "context") and the JSON of the chart data', async () => {
		const ctx = await ctxOf('issues=treaty&from=2025-01-01&to=2025-12-31');
		const events = await eventsOf(ctx);
		const rows = parse(eventsCsv(ctx.model, ctx.loaded.actors, ctx.loaded.issues, null, events).replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[];
		const context = rows.filter((r) => r.kind === 'context');
		expect(context.map((r) => [r.date, r.end_date, r.summary, r.issue, r.source_urls])).toEqual([
			['2025-03-10', '', 'Treaty text published', 'treaty', 'https://example.org/c'],
			['2025-05-01', '2025-05-20', 'Round of talks', 'treaty', 'https://example.org/c']
		]);
		expect(rows.filter((r) => r.kind !== 'context')).toHaveLength(3);
		const json = viewJson(ctx.model, ctx.loaded.actors, ctx.permalink, null, events);
		expect(json.context.map((c) => c.label)).toEqual(['Treaty text published', 'Round of talks']);
	});

	it('changes the PNG when a context event is deleted', async () => {
		const q = 'issues=treaty&from=2025-01-01&to=2025-12-31';
		const before = await pngOf(q);
		const [id] = (await t.db.$client.execute("select id from context_event where label = 'Treaty text published'")).rows.map((r) => Number(r[0]));
		await write.deleteContextEvent(t.db, id!, undefined, { userId: null, via: 'api' });
		const after = await pngOf(q);
		expect(after.equals(before)).toBe(false);
		expect(contextWords(await svgOf(q))).not.toContain('Treaty text published');
		await write.restoreContextEvent(t.db, id!, { userId: null, via: 'api' });
		expect((await pngOf(q)).equals(before)).toBe(true);
	});
});

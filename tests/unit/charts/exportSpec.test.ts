import { describe, expect, it } from 'vitest';
import { buildCompareModel } from '../../../src/lib/charts/compareModel';
import { buildExportSpec, defaultExportSize, exportFilename, exportModelOf, exportTitle, rankOutlets } from '../../../src/lib/charts/exportSpec';
import { renderPng, renderSvg } from '../../../src/lib/server/render';
import type { ExportSpecInput } from '../../../src/lib/server/render/task';
import type { CompareView } from '../../../src/lib/domain/view';
import { actor, event, issue } from '../../fixtures/factories';

const colombia = actor();
const us = actor({ slug: 'united-states', name: 'United States', color: '#3f5fb5', countryCode: 'US' });
const intel = issue();
const legality = issue({ slug: 'boat-strikes-legality', title: 'Legality of the US boat strikes' });

const events = [
	event({ id: 1, actor: 'colombia', date: '2025-11-11', position: -2, speaker: 'gustavo-petro', sources: [{ outlet: 'Reuters', title: null, url: null, publishedOn: null }] }),
	event({ id: 2, actor: 'colombia', date: '2025-11-13', position: 1, speaker: 'pedro-sanchez', sources: [{ outlet: 'Social media post', title: null, url: null, publishedOn: null }] }),
	event({ id: 3, actor: 'united-states', date: '2025-11-12', position: 1, sources: [{ outlet: 'Reuters', title: null, url: null, publishedOn: null }] }),
	event({ id: 4, actor: 'united-states', issue: 'boat-strikes-legality', date: '2025-10-01', position: 2, sources: [{ outlet: 'NBC News', title: null, url: null, publishedOn: null }] })
];

function view(overrides: Partial<CompareView> = {}): CompareView {
	return { actors: ['colombia', 'united-states'], issues: ['intelligence-sharing-us'], mode: 'overlay', range: 'all', from: null, to: null, focus: null, ...overrides };
}

const model = (v: CompareView) => buildCompareModel({ view: v, issues: [intel, legality], actors: [colombia, us], events, today: '2026-01-01' });

describe('exportTitle', () => {
	it('names the actor and the issue for one of each', () => {
		expect(exportTitle(model(view({ actors: ['colombia'] })), ['Colombia'])).toBe('Colombia – Intelligence sharing with US agencies');
	});
	it('is the issue for several actors on one issue', () => {
		expect(exportTitle(model(view()), ['Colombia', 'United States'])).toBe('Intelligence sharing with US agencies');
	});
	it('lists actors across several issues', () => {
		const m = model(view({ issues: ['intelligence-sharing-us', 'boat-strikes-legality'] }));
		expect(exportTitle(m, ['Colombia', 'United States'])).toBe('Colombia and United States on 2 issues');
	});
});

describe('exportFilename', () => {
	it('says what the file is', () => {
		expect(exportFilename({ actors: ['colombia'], issues: ['intelligence-sharing-us'], allActors: false, range: { from: '2025-09-01', to: '2025-11-30' }, ext: 'png' })).toBe(
			'colombia-intelligence-sharing-us-2025-09-01-2025-11-30.png'
		);
	});
	it('leaves actors out of an issue page view and counts long lists', () => {
		const range = { from: '2025-01-01', to: '2025-12-31' };
		expect(exportFilename({ actors: ['a', 'b'], issues: ['x'], allActors: true, range, ext: 'csv' })).toBe('x-2025-01-01-2025-12-31.csv');
		expect(exportFilename({ actors: ['a', 'b', 'c', 'd'], issues: ['x', 'y', 'z'], allActors: false, range, ext: 'svg' })).toBe(
			'4-actors-3-issues-2025-01-01-2025-12-31.svg'
		);
	});
});

describe('buildExportSpec', () => {
	const spec = (v: CompareView) =>
		buildExportSpec({ model: exportModelOf(model(v)), mode: v.mode, focus: v.focus, actors: [colombia, us], width: 1000, height: 600, permalink: 'http://x/compare', exportedOn: '2026-01-02' });

	it('overlay: one panel per issue with every actor, legend in view order, sources by frequency', () => {
		const s = spec(view({ issues: ['intelligence-sharing-us', 'boat-strikes-legality'] }));
		expect(s.panels).toHaveLength(2);
		expect(s.panels.map((p) => p.caption)).toEqual(['Intelligence sharing with US agencies', 'Legality of the US boat strikes']);
		expect(s.panels[0]!.config.data.datasets.map((d) => d.label)).toEqual(['Colombia', 'United States']);
		expect(s.legend).toEqual([
			{ label: 'Colombia', color: colombia.color },
			{ label: 'United States', color: us.color }
		]);
		expect(s.sources[0]).toBe('Reuters');
		expect(s.credit).toContain('2 January 2026');
		expect(s.credit).toContain('http://x/compare');
	});
	it('one issue: no captions, the scale in the subtitle', () => {
		const s = spec(view());
		expect(s.panels.map((p) => p.caption)).toEqual([null]);
		expect(s.subtitle).toContain('Halt (−2)');
		expect(s.subtitle).toContain('Expand (+2)');
	});
	it('side by side: a panel per actor and issue, in a grid', () => {
		const s = spec(view({ mode: 'side' }));
		expect(s.panels.map((p) => p.caption)).toEqual(['Colombia – Intelligence sharing with US agencies', 'United States – Intelligence sharing with US agencies']);
		expect(s.columns).toBe(2);
		expect(s.panels.every((p) => p.config.data.datasets.length === 1)).toBe(true);
	});
	it('lanes: one bar chart per issue', () => {
		const s = spec(view({ mode: 'lanes' }));
		expect(s.panels[0]!.config.type).toBe('bar');
	});
	it('paints every panel background, so the picture is white, not transparent', () => {
		const opts = spec(view()).panels[0]!.config.options as { plugins: { stanceBackground: { color?: string } } };
		expect(opts.plugins.stanceBackground.color).toBe('#ffffff');
	});
});

describe('defaultExportSize', () => {
	it('is 1000 x 600 for one chart and grows with panels', () => {
		expect(defaultExportSize(model(view()), 'overlay')).toEqual({ width: 1000, height: 600 });
		const two = defaultExportSize(model(view({ issues: ['intelligence-sharing-us', 'boat-strikes-legality'] })), 'overlay');
		expect(two.height).toBeGreaterThan(600);
		expect(defaultExportSize(model(view()), 'side').height).toBeLessThan(defaultExportSize(model(view({ issues: ['intelligence-sharing-us', 'boat-strikes-legality'] })), 'side').height);
	});
});

describe('exportModelOf (what a render worker receives)', () => {
	// Every feature an image draws: uncertainty intervals, month and year dates, changes (a
	// reversal and a clarification), mixed signals, two actors' divergence, a context day and a
	// span, a corrected event, sources cited more and less often.
	const src = (outlet: string) => ({ outlet, title: `${outlet} story`, url: `https://example.org/${outlet}`, publishedOn: '2025-01-01' });
	const rich = [
		event({ id: 11, actor: 'colombia', date: '2025-01-10', position: 2, speaker: 'gustavo-petro', quote: 'We go on', sources: [src('Reuters'), src('AP')] }),
		event({ id: 12, actor: 'colombia', date: '2025-01-12', position: -1, speaker: 'pedro-sanchez', positionLow: -2, positionHigh: 0, sources: [src('El Tiempo')] }),
		event({ id: 13, actor: 'colombia', date: '2025-03-01', datePrecision: 'month', position: -2, kind: 'reversal', sources: [src('Reuters')] }),
		event({ id: 14, actor: 'colombia', date: '2025-06-20', position: 1, sources: [src('AP'), src('Reuters')] }),
		event({ id: 15, actor: 'united-states', date: '2025-01-05', position: 2, sources: [src('NBC News')] }),
		event({ id: 16, actor: 'united-states', date: '2025-01-01', datePrecision: 'year', position: 1, positionLow: 0.5, positionHigh: 1.5, sources: [] }),
		event({ id: 17, actor: 'united-states', date: '2025-05-02', position: -2, sources: [src('AP')] })
	];
	const context = [
		{ id: 1, issue: 'intelligence-sharing-us', date: '2025-02-01', datePrecision: 'day' as const, endDate: null, label: 'Talks', source: src('Wire') },
		{ id: 2, issue: 'intelligence-sharing-us', date: '2025-04-01', datePrecision: 'day' as const, endDate: '2025-04-20', label: 'Suspension', source: src('Wire') }
	];
	const richModel = (v: CompareView) =>
		buildCompareModel({ view: v, issues: [intel, legality], actors: [colombia, us], events: rich, context, corrected: [14], today: '2026-01-01' });
	const input = (v: CompareView, m: ExportSpecInput['model'], actors: ExportSpecInput['actors']): ExportSpecInput => ({
		model: m, mode: v.mode, focus: v.focus, actors, width: 900, height: 520, permalink: 'http://x/compare', exportedOn: '2026-01-02'
	});

	it.each([
		['overlay', view()],
		['overlay with a focus', view({ focus: 'colombia' })],
		['side by side', view({ mode: 'side' })],
		['lanes', view({ mode: 'lanes' })],
		['a chosen range', view({ from: '2025-01-08', to: '2025-05-31' })]
	])('draws the same image as the whole model: %s', (_name, v) => {
		const m = richModel(v);
		// As before: the panels whole (every point with its event and sources), every actor whole.
		const whole = input(v, { ...exportModelOf(m), panels: m.panels }, [colombia, us, actor({ slug: 'other', name: 'Other' })]);
		// As a worker gets it: copied by the structured clone algorithm, as postMessage copies it.
		const slim = structuredClone(input(v, exportModelOf(m), [colombia, us].map(({ slug, name, color }) => ({ slug, name, color }))));
		expect(m.panels.flatMap((p) => p.markers).length).toBeGreaterThan(0);
		expect(renderSvg(buildExportSpec(slim)).equals(renderSvg(buildExportSpec(whole)))).toBe(true);
		expect(renderPng(buildExportSpec(slim), 1).equals(renderPng(buildExportSpec(whole), 1))).toBe(true);
	});

	it('carries no event words or sources: each point is its date, position, id and interval', () => {
		const m = exportModelOf(richModel(view()));
		const points = m.panels.flatMap((p) => p.series.flatMap((s) => s.points));
		expect(points.length).toBe(7);
		for (const p of points) expect(Object.keys(p).sort()).toEqual(['date', 'datePrecision', 'eventId', 'position', 'positionHigh', 'positionLow']);
		expect(JSON.stringify(m)).not.toContain('We go on');
		expect(JSON.stringify(m)).not.toContain('https://example.org');
	});

	it('ranks the sources line by how many events cite each outlet, then by name', () => {
		// AP and Reuters three events each, El Tiempo and NBC News one.
		expect(exportModelOf(richModel(view())).sources).toEqual(['AP', 'Reuters', 'El Tiempo', 'NBC News']);
		expect(rankOutlets([['b', 1], ['a', 1], ['c', 2], ['b', 2]])).toEqual(['b', 'c', 'a']);
	});
});

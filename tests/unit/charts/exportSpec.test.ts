import { describe, expect, it } from 'vitest';
import { buildCompareModel } from '../../../src/lib/charts/compareModel';
import { buildExportSpec, defaultExportSize, exportFilename, exportTitle } from '../../../src/lib/charts/exportSpec';
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
		buildExportSpec({ model: model(v), mode: v.mode, focus: v.focus, actors: [colombia, us], width: 1000, height: 600, permalink: 'http://x/compare', exportedOn: '2026-01-02' });

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

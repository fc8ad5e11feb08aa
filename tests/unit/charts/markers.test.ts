import { describe, expect, it } from 'vitest';
import { buildCompareModel } from '../../../src/lib/charts/compareModel';
import { buildExportSpec, exportModelOf } from '../../../src/lib/charts/exportSpec';
import { changeMarkers, changesHref, markedChangeViews, significantMarkers, type ChangeMarker } from '../../../src/lib/charts/markers';
import type { DrawnMarker } from '../../../src/lib/charts/plugins';
import { buildStanceLanesConfig } from '../../../src/lib/charts/stanceLanes';
import { buildStanceLineConfig } from '../../../src/lib/charts/stanceLine';
import { toDay } from '../../../src/lib/charts/timeAxis';
import { renderPng } from '../../../src/lib/server/render';
import { actor, colombiaIntelligenceEvents, event, issue } from '../../fixtures/factories';

const INTEL = 'intelligence-sharing-us';
const actors = [
	actor({ slug: 'colombia', name: 'Colombia', color: '#b83808' }),
	actor({ slug: 'united-states', name: 'the United States', countryCode: 'US', color: '#4060b8' }),
	actor({ slug: 'gustavo-petro', name: 'Gustavo Petro', kind: 'person', parent: 'colombia', countryCode: null, role: 'President' }),
	actor({ slug: 'pedro-sanchez', name: 'Pedro Sánchez', kind: 'person', parent: 'colombia', countryCode: null }),
	actor({ slug: 'armando-benedetti', name: 'Armando Benedetti', kind: 'person', parent: 'colombia', countryCode: null })
];
const issues = [issue({ slug: INTEL })];
// The demo story: Maintain since September, Halt in November (dated 11 November), Maintain again on 13 November.
const events = [event({ id: 100, date: '2025-09-15', position: 1, createdAt: '2025-12-01T09:00:00.000Z' }), ...colombiaIntelligenceEvents(), event({ id: 201, actor: 'united-states', date: '2025-11-05', position: 1 })];
const view = { actors: ['colombia', 'united-states'], issues: [INTEL], mode: 'overlay' as const, range: 'all' as const, from: null, to: null, focus: null };
const model = (over: Partial<Parameters<typeof buildCompareModel>[0]> = {}) =>
	buildCompareModel({ view, issues, actors, events, today: '2026-01-01', ...over });
const drawn = (config: { options?: { plugins?: unknown } }) =>
	(config.options?.plugins as Record<string, { markers: DrawnMarker[]; corrected?: number[] }>).stanceChangeMarkers!;

describe('change markers', () => {
	it('marks Colombia’s reversal on 11 November 2025 and its clarification on 13 November, by class', () => {
		const [panel] = model().panels;
		expect(panel!.markers.map((m) => [m.actor, m.day, m.class, m.confirmation])).toEqual([
			['colombia', toDay('2025-11-11'), 'reversal', null],
			['colombia', toDay('2025-11-13'), 'clarification', null]
		]);
		expect(panel!.markers[0]!.label).toMatch(/^Colombia, 11 November 2025: reversal, .+ to .+$/);
	});

	it('shows an editor’s override as a filled marker of the new class, and a confirmation as filled of the same class', () => {
		const confirmations = new Map([
			[103, { eventId: 103, class: 'reversal' as const, reason: 'An outright reversal' }],
			[102, { eventId: 102, class: 'reversal' as const, reason: null }]
		]);
		const [panel] = model({ confirmations }).panels;
		expect(panel!.markers.map((m) => [m.class, m.confirmation])).toEqual([
			['reversal', 'confirmed'],
			['reversal', 'overridden']
		]);
		expect(panel!.markers[1]!.label).toContain('set by an editor; the rules say clarification');
	});

	it('leaves out changes outside the range', () => {
		const [panel] = model({ view: { ...view, range: 'custom' as never, from: '2025-11-12', to: '2025-11-30' } }).panels;
		expect(panel!.markers.map((m) => m.class)).toEqual(['clarification']);
	});

	it('carries the markers into the line and lanes configs, on the right dataset and lane, skipping aggregated series', () => {
		const m = model();
		const [panel] = m.panels;
		const line = buildStanceLineConfig({ issue: panel!.issue, series: panel!.series, range: m.range, markers: panel!.markers, corrected: [102] });
		const opts = drawn(line);
		expect(opts.markers.map((d) => [d.dataset, d.class])).toEqual([
			[0, 'reversal'],
			[0, 'clarification']
		]);
		expect(opts.corrected).toEqual([102]);
		const lanes = buildStanceLanesConfig({ issue: panel!.issue, series: [...panel!.series].reverse(), range: m.range, markers: panel!.markers });
		expect(drawn(lanes).markers.map((d) => d.lane)).toEqual([1, 1]);
		const aggregated = panel!.series.map((s) => ({ ...s, periods: [], bucket: 'month' as const }));
		expect(drawn(buildStanceLineConfig({ issue: panel!.issue, series: aggregated, range: m.range, markers: panel!.markers })).markers).toEqual([]);
	});

	it('gives each marked change a card with the quotes before and after, speakers resolved', () => {
		const [panel] = model().panels;
		const cards = markedChangeViews(panel!, { actors, issues });
		expect(cards.map((c) => [c.eventId, c.class, c.before.speakerName, c.after.speakerName])).toEqual([
			[102, 'reversal', null, 'Gustavo Petro'],
			[103, 'clarification', 'Gustavo Petro', 'Pedro Sánchez']
		]);
	});

	it('draws the markers in the exported image, with their legend', () => {
		const m = model();
		const spec = buildExportSpec({ model: exportModelOf(m), mode: 'overlay', focus: null, actors, width: 800, height: 500, permalink: 'https://example.test/x', exportedOn: '2026-01-01' });
		expect(spec.markers).toBe(true);
		const without = buildExportSpec({
			model: exportModelOf({ ...m, panels: m.panels.map((p) => ({ ...p, markers: [] })) }),
			mode: 'overlay',
			focus: null,
			actors,
			width: 800,
			height: 500,
			permalink: 'https://example.test/x',
			exportedOn: '2026-01-01'
		});
		expect(without.markers).toBe(false);
		expect(renderPng(spec, 1).equals(renderPng(without, 1))).toBe(false);
	});

	it('marks nothing for a series without changes', () => {
		expect(changeMarkers({ changes: [], range: { from: '2025-01-01', to: '2025-12-31' }, scale: issues[0]!.scale, names: new Map() })).toEqual([]);
	});
});

describe('significantMarkers', () => {
	const mark = (eventId: number, day: number, cls: ChangeMarker['class'], from: number, to: number): ChangeMarker => ({
		eventId,
		actor: 'colombia',
		day,
		from,
		to,
		class: cls,
		confirmation: null,
		label: `change ${eventId}`
	});

	it('keeps every marker, oldest first, when they fit', () => {
		const r = significantMarkers([mark(2, 20, 'shift', 0, 1), mark(1, 10, 'reversal', 1, -1)], 5);
		expect(r.kept.map((m) => m.eventId)).toEqual([1, 2]);
		expect(r.omitted).toBe(0);
	});

	it('past the cap keeps reversals first, then the larger moves, then the newer, and says how many it left out', () => {
		const all = [
			mark(1, 10, 'shift', 0, 1),
			mark(2, 20, 'clarification', -2, 2),
			mark(3, 30, 'shift', -2, 2),
			mark(4, 40, 'reversal', 1, -1),
			mark(5, 50, 'shift', 0, 1),
			mark(6, 60, 'clarification', 0, 1)
		];
		const r = significantMarkers(all, 3);
		// The reversal, the 4-point shift, then of the two 1-point shifts the newer; back in date order.
		expect(r.kept.map((m) => m.eventId)).toEqual([3, 4, 5]);
		expect(r.omitted).toBe(3);
	});

	it('links the changes page filtered to the chart', () => {
		expect(changesHref({ issues: ['un-votes'], actors: ['france', 'china'], range: { from: '1990-01-01', to: '2000-12-31' } })).toBe(
			'/changes?issues=un-votes&actors=france%2Cchina&from=1990-01-01&to=2000-12-31'
		);
	});
});

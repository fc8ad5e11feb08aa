import { describe, it, expect } from 'vitest';
import { buildCompareModel, DIVERGENCE_LEVELS, panelNarratives } from '../../../src/lib/charts/compareModel';
import { toDay } from '../../../src/lib/charts/timeAxis';
import type { StanceEvent } from '../../../src/lib/domain/types';
import type { CompareView } from '../../../src/lib/domain/view';
import { actor, colombiaIntelligenceEvents, event, issue } from '../../fixtures/factories';

const INTEL = 'intelligence-sharing-us';
const BOATS = 'boat-strikes-legality';

const actors = [
	actor({ slug: 'colombia', name: 'Colombia', color: '#b83808' }),
	actor({ slug: 'united-states', name: 'the United States', countryCode: 'US', color: '#4060b8' }),
	actor({ slug: 'france', name: 'France', countryCode: 'FR', color: '#208060' }),
	actor({ slug: 'gustavo-petro', name: 'Gustavo Petro', kind: 'person', parent: 'colombia', countryCode: null }),
	actor({ slug: 'pedro-sanchez', name: 'Pedro Sánchez', kind: 'person', parent: 'colombia', countryCode: null }),
	actor({ slug: 'armando-benedetti', name: 'Armando Benedetti', kind: 'person', parent: 'colombia', countryCode: null })
];
const issues = [issue({ slug: INTEL }), issue({ slug: BOATS, title: 'Legality of the US strikes on boats' })];

function view(overrides: Partial<CompareView> = {}): CompareView {
	return { actors: [], issues: [], mode: 'overlay', range: 'all', from: null, to: null, focus: null, ...overrides };
}

/** Colombia's demo story on intelligence sharing, the US steady at "Maintain", and a few strike stances. */
function story(): StanceEvent[] {
	return [
		...colombiaIntelligenceEvents(),
		event({ id: 201, actor: 'united-states', date: '2025-11-05', position: 1 }),
		event({ id: 301, actor: 'colombia', issue: BOATS, date: '2025-09-03', position: -2 }),
		event({ id: 302, actor: 'united-states', issue: BOATS, date: '2025-09-02', position: 2 }),
		event({ id: 303, actor: 'france', issue: BOATS, date: '2025-11-12', position: -1 })
	];
}

const build = (v: Partial<CompareView>, events = story()) =>
	buildCompareModel({ view: view(v), issues, actors, events, today: '2026-01-01' });

describe('buildCompareModel', () => {
	it('makes one panel per chosen issue, in the view’s issue order', () => {
		const model = build({ actors: ['colombia', 'united-states'], issues: [BOATS, INTEL] });
		expect(model.panels.map((p) => p.issue.slug)).toEqual([BOATS, INTEL]);
	});

	it('orders each panel’s series by the view’s actor order, not by the data', () => {
		const model = build({ actors: ['france', 'united-states', 'colombia'], issues: [BOATS] });
		const [panel] = model.panels;
		expect(panel!.series.map((s) => s.actor.slug)).toEqual(['france', 'united-states', 'colombia']);
		expect(panel!.domainSeries.map((s) => s.actor)).toEqual(['france', 'united-states', 'colombia']);
		expect(panel!.series[0]!.actor).toMatchObject({ name: 'France', color: '#208060' });
	});

	it('leaves out actors without events on an issue, and issues it does not know', () => {
		const model = build({ actors: ['france', 'colombia'], issues: ['atlantis', INTEL] });
		expect(model.panels.map((p) => p.issue.slug)).toEqual([INTEL]);
		expect(model.panels[0]!.series.map((s) => s.actor.slug)).toEqual(['colombia']);
	});

	it('gives no panels when no issue is chosen', () => {
		expect(build({ actors: ['colombia'] }).panels).toEqual([]);
	});

	it('writes the divergence sentence when exactly two actors are compared', () => {
		const [boats] = build({ actors: ['colombia', 'united-states'], issues: [BOATS] }).panels;
		expect(boats!.divergence).toBe(
			`Colombia and the United States diverged (${DIVERGENCE_LEVELS}+ points apart) from 3 September 2025 and still do.`
		);
	});

	it('says when two actors never diverged', () => {
		const [intel] = build({ actors: ['united-states', 'colombia'], issues: [INTEL] }, [
			event({ actor: 'united-states', date: '2025-11-05', position: 1 }),
			event({ actor: 'colombia', date: '2025-11-06', position: 0 })
		]).panels;
		expect(intel!.divergence).toBe('the United States and Colombia never stood 2 or more points apart.');
	});

	it('writes no divergence sentence for one actor or for three', () => {
		expect(build({ actors: ['colombia'], issues: [BOATS] }).panels[0]!.divergence).toBeNull();
		expect(build({ actors: ['colombia', 'united-states', 'france'], issues: [BOATS] }).panels[0]!.divergence).toBeNull();
	});

	it('writes no divergence sentence when one of the two has no stance on the issue', () => {
		const [intel] = build({ actors: ['colombia', 'france'], issues: [INTEL] }).panels;
		expect(intel!.divergence).toBeNull();
		expect(intel!.bands.filter((b) => b.kind === 'divergence')).toEqual([]);
	});

	it('shades a divergence band that runs to just past the range end while still open', () => {
		const model = build({ actors: ['colombia', 'united-states'], issues: [BOATS] });
		const div = model.panels[0]!.bands.filter((b) => b.kind === 'divergence');
		expect(div).toEqual([{ from: toDay('2025-09-03'), to: toDay(model.range.to) + 1, kind: 'divergence', label: 'Apart by 4' }]);
	});

	it('shades a closed divergence band to its exclusive end', () => {
		// Colombia's November halt (month-dated) stands 3 below the US from its first word on the 5th;
		// Sánchez's word on the 13th closes it.
		const [intel] = build({ actors: ['colombia', 'united-states'], issues: [INTEL] }).panels;
		expect(intel!.bands.filter((b) => b.kind === 'divergence')).toEqual([
			{ from: toDay('2025-11-05'), to: toDay('2025-11-13'), kind: 'divergence', label: 'Apart by 3' }
		]);
		expect(intel!.divergence).toContain('from 5 November 2025 to 12 November 2025');
	});

	it('finds mixed signals and shades them as bands over whole days', () => {
		const [intel] = build({ actors: ['colombia', 'united-states', 'france'], issues: [INTEL] }).panels;
		expect(intel!.mixed).toHaveLength(1);
		expect(intel!.mixed[0]).toMatchObject({ actor: 'colombia', from: '2025-11-11', to: '2025-11-13', eventIds: [102, 103, 104] });
		expect(intel!.bands).toHaveLength(1);
		expect(intel!.bands[0]).toMatchObject({
			from: toDay('2025-11-11'),
			to: toDay('2025-11-13') + 1,
			kind: 'mixed',
			label: 'Mixed signals: Colombia'
		});
	});

	it('collects the ids of events in mixed signals across panels', () => {
		const model = build({ actors: ['colombia', 'united-states'], issues: [BOATS, INTEL] });
		expect([...model.mixedEventIds].sort()).toEqual([102, 103, 104]);
	});

	it('has no mixed-signal ids when no actor sends mixed signals', () => {
		expect(build({ actors: ['united-states', 'france'], issues: [INTEL, BOATS] }).mixedEventIds.size).toBe(0);
	});

	it('keeps only events of the chosen actors and issues', () => {
		const model = build({ actors: ['united-states', 'france'], issues: [BOATS] });
		expect(model.events.map((e) => e.id).sort()).toEqual([302, 303]);
	});

	it('honours explicit from and to', () => {
		const model = build({ actors: ['colombia', 'united-states'], issues: [INTEL, BOATS], from: '2025-11-10', to: '2025-11-12' });
		expect(model.range).toEqual({ from: '2025-11-10', to: '2025-11-12' });
	});

	it('keeps only the events within the range, ends included', () => {
		const model = build({ actors: ['colombia', 'united-states', 'france'], issues: [INTEL, BOATS], from: '2025-11-05', to: '2025-11-12' });
		// 101 is dated only to November, which overlaps the range.
		expect(model.events.map((e) => e.id).sort()).toEqual([101, 102, 201, 303]);
	});

	it('keeps a month-dated event whose month overlaps the range', () => {
		// Event 101 is dated only to November 2025: it may fall on any day of the range.
		const model = build({ actors: ['colombia'], issues: [INTEL], from: '2025-11-05', to: '2025-11-10' });
		expect(model.events.map((e) => e.id)).toEqual([101]);
	});

	it('fills the missing end from the default range when only one is given', () => {
		const model = build({ actors: ['colombia'], issues: [INTEL], from: '2025-10-01' });
		expect(model.range.from).toBe('2025-10-01');
		// Default range: 1 to 13 November, padded by a week.
		expect(model.range.to).toBe('2025-11-20');
	});

	it('counts a quick range back from the latest chosen event', () => {
		const model = build({ actors: ['colombia', 'united-states'], issues: [BOATS], range: '30d' });
		// The latest chosen event on the strikes is Colombia's, on 3 September.
		expect(model.range).toEqual({ from: '2025-08-04', to: '2025-09-03' });
		expect(model.events.map((e) => e.id).sort()).toEqual([301, 302]);
	});

	it('shows the padded extent of the chosen events by default', () => {
		expect(build({ actors: ['colombia', 'united-states'], issues: [INTEL] }).range).toEqual({ from: '2025-10-25', to: '2025-11-20' });
	});

	it('falls back to the month before today when there are no events', () => {
		const model = build({ actors: ['colombia'], issues: [INTEL] }, []);
		expect(model.range).toEqual({ from: '2025-12-02', to: '2026-01-01' });
		expect(model.panels[0]!.series).toEqual([]);
		expect(model.events).toEqual([]);
	});
});

describe('panelNarratives', () => {
	it("tells each actor's story on a panel, from its changes, in the view's actor order", () => {
		const [panel] = build({ actors: ['united-states', 'colombia'], issues: [INTEL] }).panels;
		const told = panelNarratives(panel!, { actors, today: '2026-01-01' });
		expect(told.map((n) => n.actor)).toEqual(['united-states', 'colombia']);
		expect(told[0]!.text).toBe("the United States's stance on intelligence sharing with US agencies has been Maintain since 5 November 2025 (1 event from 1 source; last stated 5 November 2025).");
		expect(told[1]!.text).toBe(
			"Colombia's stance on intelligence sharing with US agencies moved from Halt to Maintain on 13 November 2025, a clarification, stated by Pedro Sánchez and Armando Benedetti. It has held Maintain since 13 November 2025 (2 events from 1 source; last stated 13 November 2025)."
		);
		// One actor's, for a side-by-side panel; a stance not restated for over a year says so.
		expect(panelNarratives(panel!, { actors, today: '2027-01-01', only: 'colombia' }).map((n) => n.actor)).toEqual(['colombia']);
		expect(panelNarratives(panel!, { actors, today: '2027-01-01', only: 'colombia' })[0]!.text).toContain('No recent statement');
	});
});

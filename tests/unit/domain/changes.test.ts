import { describe, it, expect } from 'vitest';
import {
	allChanges,
	detectChanges,
	filterChanges,
	latestChanges,
	stanceRuns,
	whoMoved,
	WALK_BACK_DAYS,
	type ClassConfirmation
} from '../../../src/lib/domain/changes';
import { addDays } from '../../../src/lib/domain/dates';
import { buildSeries } from '../../../src/lib/domain/series';
import type { StanceEvent } from '../../../src/lib/domain/types';
import { loadDemo } from '../../fixtures/demo';
import { colombiaIntelligenceEvents, event, scale, series } from '../../fixtures/factories';

const s22 = scale();
const changesOf = (events: StanceEvent[], sc = s22) => detectChanges({ series: series(events), scale: sc });

/** The demo dataset as stance events, with ids in file order. */
function demoEvents(): StanceEvent[] {
	return loadDemo().events.map((e, i) =>
		event({
			...e,
			id: i + 1,
			kind: e.kind as StanceEvent['kind'],
			createdAt: `2025-12-01T00:00:${String(i).padStart(2, '0')}.000Z`
		})
	);
}

describe('detectChanges', () => {
	it('gives no change for one event', () => {
		expect(changesOf([event({ date: '2025-01-01', position: 1 })])).toEqual([]);
	});

	it('gives no change for a restatement of the same position', () => {
		expect(changesOf([event({ date: '2025-01-01', position: 1 }), event({ date: '2025-05-01', position: 1 })])).toEqual([]);
	});

	it('classes a small move on one side as a shift, with its size, share and direction', () => {
		const changes = changesOf([event({ date: '2025-01-01', position: -1 }), event({ date: '2025-05-01', position: -2 })]);
		expect(changes).toHaveLength(1);
		expect(changes[0]).toMatchObject({ class: 'shift', basis: 'partial', delta: -1, share: 0.25, direction: 'hardening', toward: 'min' });
	});

	it('classes a move across the midpoint as a reversal', () => {
		const changes = changesOf([
			event({ date: '2025-01-01', position: 1, speaker: 'petro' }),
			event({ date: '2025-06-01', position: -2, speaker: 'petro' })
		]);
		expect(changes[0]).toMatchObject({ class: 'reversal', basis: 'midpoint', delta: -3, share: 0.75, toward: 'min' });
	});

	it('does not count landing on the midpoint as crossing it', () => {
		const changes = changesOf([event({ date: '2025-01-01', position: -1 }), event({ date: '2025-05-01', position: 0 })]);
		expect(changes[0]!.class).toBe('shift');
		expect(changes[0]!.direction).toBe('softening');
	});

	it('classes a same-day clarification by another speaker, back toward the earlier stance', () => {
		const changes = changesOf([
			event({ date: '2025-01-01', position: 1, speaker: null }),
			event({ date: '2025-11-11', position: -2, speaker: 'petro' }),
			event({ date: '2025-11-11', position: 1, speaker: 'sanchez' })
		]);
		expect(changes.map((c) => [c.to.date, c.class, c.basis])).toEqual([
			['2025-11-11', 'reversal', 'midpoint'],
			['2025-11-11', 'clarification', 'other-speaker']
		]);
	});

	it('classes a return toward the earlier stance by another speaker as a clarification, even weeks later', () => {
		const changes = changesOf([
			event({ date: '2025-01-01', position: 1, speaker: 'petro' }),
			event({ date: '2025-06-01', position: -2, speaker: 'petro' }),
			event({ date: '2025-09-01', position: -1, speaker: 'sanchez' })
		]);
		expect(changes.map((c) => c.class)).toEqual(['reversal', 'clarification']);
	});

	it('does not call it a clarification when the same speaker restated the stance left', () => {
		const changes = changesOf([
			event({ date: '2025-01-01', position: 1, speaker: 'petro' }),
			event({ date: '2025-06-01', position: -2, speaker: 'petro' }),
			event({ date: '2025-06-02', position: -2, speaker: 'sanchez' }),
			event({ date: '2025-09-01', position: 1, speaker: 'sanchez' })
		]);
		expect(changes[1]).toMatchObject({ class: 'reversal', basis: 'midpoint' });
	});

	it('classes a walk-back by the same speaker within the window as a clarification', () => {
		const changes = changesOf([
			event({ date: '2025-01-01', position: 1, speaker: 'petro' }),
			event({ date: '2025-03-01', position: -1, speaker: 'petro' }),
			event({ date: addDays('2025-03-01', WALK_BACK_DAYS), position: 1, speaker: 'petro' })
		]);
		expect(changes[1]).toMatchObject({ class: 'clarification', basis: 'walk-back', direction: 'sideways' });
	});

	it('classes the same walk-back one day past the window as a reversal', () => {
		const changes = changesOf([
			event({ date: '2025-01-01', position: 1, speaker: 'petro' }),
			event({ date: '2025-03-01', position: -1, speaker: 'petro' }),
			event({ date: addDays('2025-03-01', WALK_BACK_DAYS + 1), position: 1, speaker: 'petro' })
		]);
		expect(changes.map((c) => c.class)).toEqual(['reversal', 'reversal']);
	});

	it('dates a stance first known only to a month by its first exact event within that month', () => {
		const changes = changesOf([
			event({ id: 1, date: '2025-01-01', datePrecision: 'year', position: 1 }),
			event({ id: 2, date: '2025-11-01', datePrecision: 'month', position: -2, speaker: 'petro', quote: 'Intelligence is not for killing' }),
			event({ id: 3, date: '2025-11-11', position: -2, speaker: 'petro' })
		]);
		expect(changes).toHaveLength(1);
		expect(changes[0]!.to.eventId).toBe(3);
		expect(changes[0]!.to.date).toBe('2025-11-11');
		expect(changes[0]!.after.map((p) => p.eventId)).toEqual([2, 3]);
		expect(changes[0]!.quoteAfter?.eventId).toBe(2);
	});

	it('keeps a month-precision date when no exact event falls within that month', () => {
		const changes = changesOf([
			event({ date: '2025-01-01', datePrecision: 'year', position: 1 }),
			event({ date: '2025-11-01', datePrecision: 'month', position: -2 }),
			event({ date: '2025-12-03', position: -2 })
		]);
		expect(changes[0]!.to.date).toBe('2025-11-01');
		expect(changes[0]!.to.datePrecision).toBe('month');
	});

	it('makes one change of ties on one date, listing every event of that day', () => {
		const changes = changesOf(colombiaIntelligenceEvents());
		expect(changes).toHaveLength(1);
		const [c] = changes;
		expect(c!.from.eventId).toBe(102);
		expect(c!.to.eventId).toBe(103);
		expect(c!.toPoints.map((p) => p.eventId)).toEqual([103, 104]);
		expect(c!.before.map((p) => p.eventId)).toEqual([101, 102]);
		expect(c!).toMatchObject({ delta: 3, share: 0.75, direction: 'softening', class: 'clarification', basis: 'recorded-kind' });
	});

	it('applies per-issue thresholds: moves under minShare are restatements and add up', () => {
		const events = [
			event({ date: '2025-01-01', position: 0 }),
			event({ date: '2025-02-01', position: 0.5 }),
			event({ date: '2025-03-01', position: 1 })
		];
		expect(detectChanges({ series: series(events), scale: s22 }).map((c) => c.delta)).toEqual([0.5, 0.5]);
		const coarse = detectChanges({ series: series(events), scale: s22, rules: { minShare: 0.25 } });
		expect(coarse.map((c) => [c.from.date, c.to.date, c.delta])).toEqual([['2025-02-01', '2025-03-01', 0.5]]);
		// A move of exactly the threshold counts.
		const run = stanceRuns({ series: series(events), scale: s22, rules: { minShare: 0.25 } });
		expect(run.map((r) => r.from)).toEqual(['2025-01-01', '2025-03-01']);
	});

	it('applies a per-issue walk-back window', () => {
		const events = [
			event({ date: '2025-01-01', position: 1, speaker: 'petro' }),
			event({ date: '2025-03-01', position: -1, speaker: 'petro' }),
			event({ date: '2025-03-20', position: 1, speaker: 'petro' })
		];
		expect(detectChanges({ series: series(events), scale: s22 })[1]!.class).toBe('reversal');
		expect(detectChanges({ series: series(events), scale: s22, rules: { walkBackDays: 30 } })[1]!.class).toBe('clarification');
	});

	it('shows a confirmed class as confirmed and an overridden one with its reason', () => {
		const events = [
			event({ id: 11, date: '2025-01-01', position: 1, speaker: 'petro' }),
			event({ id: 12, date: '2025-06-01', position: -2, speaker: 'petro' }),
			event({ id: 13, date: '2025-09-01', position: -1, speaker: 'petro' })
		];
		const confirmations = new Map<number, ClassConfirmation>([
			[12, { eventId: 12, class: 'reversal', reason: null }],
			[13, { eventId: 13, class: 'clarification', reason: 'The ministry said the June statement was misreported.' }]
		]);
		const [a, b] = detectChanges({ series: series(events), scale: s22, confirmations });
		expect(a).toMatchObject({ class: 'reversal', ruleClass: 'reversal', basis: 'editor', confirmation: { status: 'confirmed' } });
		expect(b).toMatchObject({
			class: 'clarification',
			ruleClass: 'shift',
			ruleBasis: 'partial',
			basis: 'editor',
			confirmation: { status: 'overridden', reason: 'The ministry said the June statement was misreported.' }
		});
	});

	it('takes the recorded kind over the geometry', () => {
		const reversal = changesOf([event({ date: '2025-01-01', position: 1 }), event({ date: '2025-05-01', position: 2, kind: 'reversal' })]);
		expect(reversal[0]!.class).toBe('reversal');
		const clarification = changesOf([event({ date: '2025-01-01', position: -1 }), event({ date: '2025-05-01', position: 2, kind: 'clarification' })]);
		expect(clarification[0]!.class).toBe('clarification');
	});

	it('measures share and direction on an asymmetric scale', () => {
		const s010 = scale({ min: 0, max: 10, labels: [{ value: 0, label: 'Low' }, { value: 10, label: 'High' }] });
		const changes = changesOf(
			[event({ date: '2025-01-01', position: 6 }), event({ date: '2025-05-01', position: 9 }), event({ date: '2025-09-01', position: 4 })],
			s010
		);
		expect(changes.map((c) => [c.delta, c.share, c.direction, c.class])).toEqual([
			[3, 0.3, 'hardening', 'shift'],
			[-5, 0.5, 'softening', 'reversal']
		]);
	});
});

describe('on the demo data', () => {
	const events = demoEvents();
	const demo = loadDemo();
	const scales = new Map(demo.issues.map((i) => [i.slug, i.scale]));
	const seriesList = buildSeries({ events });
	const speakerOf = (id: number) => events.find((e) => e.id === id)!.speaker;

	it('reads Colombia on intelligence sharing as a reversal on 11 November 2025 (Petro) and a clarification on 13 November (Sánchez, Benedetti)', () => {
		const colombia = filterChanges(allChanges({ seriesList, scales }), { actors: ['colombia'], issues: ['intelligence-sharing-us'] });
		expect(colombia.map((c) => [c.to.date, c.class])).toEqual([
			['2025-11-13', 'clarification'],
			['2025-11-11', 'reversal']
		]);
		const [clarification, reversal] = colombia;
		expect(reversal!.toPoints.map((p) => speakerOf(p.eventId))).toEqual(['gustavo-petro']);
		expect(clarification!.toPoints.map((p) => speakerOf(p.eventId))).toEqual(['pedro-sanchez', 'armando-benedetti']);
		expect(clarification!.basis).toBe('other-speaker');
	});

	it('lists Colombia among who moved between 2025-11-10 and 2025-11-14, with Petro’s and Sánchez’s quotes', () => {
		const movers = whoMoved({ seriesList, scales, from: '2025-11-10', to: '2025-11-14' }).filter((m) => m.issue === 'intelligence-sharing-us');
		const colombia = movers.find((m) => m.actor === 'colombia')!;
		expect(colombia.net).toBe('returned');
		expect(colombia.atStart!.position).toBe(1);
		expect(colombia.atEnd.position).toBe(1);
		const quotes = colombia.changes.map((c) => c.quoteAfter?.event.quote);
		expect(quotes).toEqual(['Intelligence is not for killing', 'continuous flow of information']);
		// The United States first states a stance on 12 November: from no known position.
		const us = movers.find((m) => m.actor === 'united-states')!;
		expect(us).toMatchObject({ atStart: null, net: 'changed' });
	});

	it('leaves out actors whose stance held across the dates', () => {
		const movers = whoMoved({ seriesList, scales, from: '2025-11-14', to: '2025-11-30' });
		expect(movers).toEqual([]);
	});
});

describe('latestChanges', () => {
	const scales = new Map([
		['intelligence-sharing-us', s22],
		['boat-strikes-legality', s22]
	]);
	const events = [
		...colombiaIntelligenceEvents(),
		event({ id: 201, actor: 'united-kingdom', date: '2025-10-01', position: 1 }),
		event({ id: 202, actor: 'united-kingdom', date: '2025-11-01', position: -1 }),
		event({ id: 301, actor: 'france', issue: 'boat-strikes-legality', date: '2025-09-01', position: 0, createdAt: '2025-12-02T00:00:00.000Z' }),
		event({ id: 302, actor: 'france', issue: 'boat-strikes-legality', date: '2025-11-13', position: -2, createdAt: '2025-12-02T00:00:01.000Z' }),
		event({ id: 401, actor: 'nowhere', issue: 'no-scale', date: '2025-11-01', position: 0 }),
		event({ id: 402, actor: 'nowhere', issue: 'no-scale', date: '2025-11-20', position: 1 })
	];
	const seriesList = buildSeries({ events });

	it('lists changes newest first, then by recording order on the same date', () => {
		const changes = latestChanges({ seriesList, scales, limit: 10 });
		expect(changes.map((c) => c.to.eventId)).toEqual([302, 103, 202]);
	});

	it('keeps to the limit', () => {
		expect(latestChanges({ seriesList, scales, limit: 2 }).map((c) => c.to.eventId)).toEqual([302, 103]);
		expect(latestChanges({ seriesList, scales, limit: 0 })).toEqual([]);
	});

	it('skips series whose issue has no known scale', () => {
		const changes = latestChanges({ seriesList, scales, limit: 10 });
		expect(changes.some((c) => c.issue === 'no-scale')).toBe(false);
	});

	it('uses each issue’s own rules', () => {
		const rules = new Map([['intelligence-sharing-us', { minShare: 0.8 }]]);
		expect(latestChanges({ seriesList, scales, rules, limit: 10 }).map((c) => c.to.eventId)).toEqual([302]);
	});
});

describe('filterChanges', () => {
	const all = allChanges({
		seriesList: buildSeries({
			events: [
				event({ actor: 'a', date: '2025-01-01', position: 1 }),
				event({ actor: 'a', date: '2025-02-01', position: -1 }),
				event({ actor: 'b', date: '2025-01-01', position: 1 }),
				event({ actor: 'b', date: '2025-03-01', position: 2 })
			]
		}),
		scales: new Map([['intelligence-sharing-us', s22]])
	});

	it('filters by actor, class and an inclusive date range', () => {
		expect(filterChanges(all, { actors: ['a'] }).map((c) => c.actor)).toEqual(['a']);
		expect(filterChanges(all, { classes: ['shift'] }).map((c) => c.actor)).toEqual(['b']);
		expect(filterChanges(all, { from: '2025-02-01', to: '2025-02-01' }).map((c) => c.actor)).toEqual(['a']);
		expect(filterChanges(all, { from: '2025-02-02' }).map((c) => c.actor)).toEqual(['b']);
		expect(filterChanges(all, {})).toHaveLength(2);
	});
});

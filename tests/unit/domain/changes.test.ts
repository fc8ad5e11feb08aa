import { describe, it, expect } from 'vitest';
import { detectChanges, latestChanges, WALK_BACK_DAYS } from '../../../src/lib/domain/changes';
import { addDays } from '../../../src/lib/domain/dates';
import { buildSeries } from '../../../src/lib/domain/series';
import type { StanceEvent } from '../../../src/lib/domain/types';
import { colombiaIntelligenceEvents, event, scale, series } from '../../fixtures/factories';

const s22 = scale();
const changesOf = (events: StanceEvent[], sc = s22) => detectChanges({ series: series(events), scale: sc });

describe('detectChanges', () => {
	it("classes Sánchez's +1 after Petro's -2 as a clarification, and restatements as no change", () => {
		const changes = changesOf(colombiaIntelligenceEvents());
		expect(changes).toHaveLength(1);
		const [c] = changes;
		expect(c!.class).toBe('clarification');
		expect(c!.from.eventId).toBe(102);
		expect(c!.to.eventId).toBe(103);
		expect(c!.from.date).toBe('2025-11-11');
		expect(c!.to.date).toBe('2025-11-13');
		expect(c!.delta).toBe(3);
		expect(c!.share).toBe(0.75);
		expect(c!.direction).toBe('softening');
		expect(c!).toMatchObject({ actor: 'colombia', issue: 'intelligence-sharing-us' });
	});

	it('classes a return toward the earlier stance by another speaker as a clarification, even as a statement', () => {
		const changes = changesOf([
			event({ date: '2025-01-01', position: 1, speaker: 'petro' }),
			event({ date: '2025-06-01', position: -2, speaker: 'petro' }),
			event({ date: '2025-09-01', position: -1, speaker: 'sanchez' })
		]);
		expect(changes.map((c) => c.class)).toEqual(['reversal', 'clarification']);
	});

	it('classes a quick walk-back by the same speaker as a clarification', () => {
		const changes = changesOf([
			event({ date: '2025-01-01', position: 1, speaker: 'petro' }),
			event({ date: '2025-03-01', position: -1, speaker: 'petro' }),
			event({ date: addDays('2025-03-01', WALK_BACK_DAYS), position: 1, speaker: 'petro' })
		]);
		expect(changes[1]!.class).toBe('clarification');
	});

	it('classes a crossing of the midpoint by the same speaker after 60 days as a reversal', () => {
		const changes = changesOf([
			event({ date: '2025-01-01', position: 1, speaker: 'petro' }),
			event({ date: '2025-03-01', position: -1, speaker: 'petro' }),
			event({ date: addDays('2025-03-01', 60), position: 1, speaker: 'petro' })
		]);
		expect(changes.map((c) => c.class)).toEqual(['reversal', 'reversal']);
		expect(changes[1]!.direction).toBe('sideways');
	});

	it('classes a walk-back just past the walk-back window as a reversal', () => {
		const changes = changesOf([
			event({ date: '2025-01-01', position: 1, speaker: 'petro' }),
			event({ date: '2025-03-01', position: -1, speaker: 'petro' }),
			event({ date: addDays('2025-03-01', WALK_BACK_DAYS + 1), position: 1, speaker: 'petro' })
		]);
		expect(changes[1]!.class).toBe('reversal');
	});

	it('does not count landing on the midpoint as crossing it', () => {
		const changes = changesOf([event({ date: '2025-01-01', position: -1 }), event({ date: '2025-05-01', position: 0 })]);
		expect(changes[0]!.class).toBe('shift');
		expect(changes[0]!.direction).toBe('softening');
	});

	it('classes a partial move on one side as a shift', () => {
		const changes = changesOf([event({ date: '2025-01-01', position: -1 }), event({ date: '2025-05-01', position: -2 })]);
		expect(changes).toHaveLength(1);
		expect(changes[0]).toMatchObject({ class: 'shift', delta: -1, share: 0.25, direction: 'hardening' });
	});

	it('takes the recorded kind over the geometry', () => {
		const reversal = changesOf([event({ date: '2025-01-01', position: 1 }), event({ date: '2025-05-01', position: 2, kind: 'reversal' })]);
		expect(reversal[0]!.class).toBe('reversal');
		const clarification = changesOf([event({ date: '2025-01-01', position: -1 }), event({ date: '2025-05-01', position: 2, kind: 'clarification' })]);
		expect(clarification[0]!.class).toBe('clarification');
	});

	it('gives no change for equal positions or a single point', () => {
		expect(changesOf([event({ date: '2025-01-01', position: 1 }), event({ date: '2025-05-01', position: 1 })])).toEqual([]);
		expect(changesOf([event({ date: '2025-01-01', position: 1 })])).toEqual([]);
	});

	it('measures share and direction on an asymmetric scale', () => {
		const s010 = scale({ min: 0, max: 10, labels: [{ value: 0, label: 'Low' }, { value: 10, label: 'High' }] });
		const changes = changesOf(
			[
				event({ date: '2025-01-01', position: 6 }),
				event({ date: '2025-05-01', position: 9 }),
				event({ date: '2025-09-01', position: 4 })
			],
			s010
		);
		expect(changes.map((c) => [c.delta, c.share, c.direction, c.class])).toEqual([
			[3, 0.3, 'hardening', 'shift'],
			[-5, 0.5, 'softening', 'reversal']
		]);
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
});

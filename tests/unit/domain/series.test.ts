import { describe, it, expect } from 'vitest';
import { buildSeries, compareEvents, dateExtent, latest, stanceAt, toSteps, type Series } from '../../../src/lib/domain/series';
import { event, series } from '../../fixtures/factories';

const ids = (s: Series) => s.points.map((p) => p.eventId);

describe('compareEvents', () => {
	it('orders by period start before anything else', () => {
		const month = event({ date: '2025-11-20', datePrecision: 'month', createdAt: '2026-01-01T00:00:00.000Z' });
		const day = event({ date: '2025-11-02', createdAt: '2025-01-01T00:00:00.000Z' });
		expect(compareEvents(month, day)).toBeLessThan(0);
		expect(compareEvents(day, month)).toBeGreaterThan(0);
	});
	it('is zero only for the same event', () => {
		const a = event({ id: 7 });
		expect(compareEvents(a, { ...a })).toBe(0);
	});
});

describe('buildSeries', () => {
	it('orders points by date whatever the input order', () => {
		const s = series([
			event({ id: 3, date: '2025-11-13' }),
			event({ id: 1, date: '2025-09-01' }),
			event({ id: 2, date: '2025-10-05' })
		]);
		expect(s.points.map((p) => p.date)).toEqual(['2025-09-01', '2025-10-05', '2025-11-13']);
	});

	it('orders events on one date by when they were recorded, not by id', () => {
		const s = series([
			event({ id: 1, date: '2025-11-13', createdAt: '2025-11-13T12:00:00.000Z' }),
			event({ id: 2, date: '2025-11-13', createdAt: '2025-11-13T09:00:00.000Z' })
		]);
		expect(ids(s)).toEqual([2, 1]);
	});

	it('falls back to id when date and recording time are equal', () => {
		const at = '2025-11-13T09:00:00.000Z';
		const s = series([event({ id: 9, createdAt: at }), event({ id: 4, createdAt: at })]);
		expect(ids(s)).toEqual([4, 9]);
	});

	it('keeps two events on one day as two points', () => {
		const s = series([
			event({ id: 1, date: '2025-11-13', position: 1, speaker: 'pedro-sanchez' }),
			event({ id: 2, date: '2025-11-13', position: 1, speaker: 'armando-benedetti' })
		]);
		expect(s.points).toHaveLength(2);
		expect(s.points.map((p) => p.event.speaker)).toEqual(['pedro-sanchez', 'armando-benedetti']);
	});

	it('places a month-precision event at the start of its month, before the days of that month', () => {
		const s = series([
			event({ id: 1, date: '2025-11-05', position: -1, createdAt: '2025-11-05T00:00:00.000Z' }),
			event({ id: 2, date: '2025-11-20', datePrecision: 'month', position: -2, createdAt: '2025-12-01T00:00:00.000Z' })
		]);
		expect(ids(s)).toEqual([2, 1]);
		expect(s.points[0]).toMatchObject({ date: '2025-11-01', datePrecision: 'month', position: -2 });
		expect(s.points[0]!.event.date).toBe('2025-11-20');
	});

	it('places a year-precision event at 1 January', () => {
		const s = series([event({ id: 1, date: '2025-03-01' }), event({ id: 2, date: '2025-07-07', datePrecision: 'year' })]);
		expect(s.points.map((p) => p.date)).toEqual(['2025-01-01', '2025-03-01']);
	});

	it('makes one series per actor and issue, in order of first appearance', () => {
		const list = buildSeries({
			events: [
				event({ actor: 'france', date: '2025-11-11' }),
				event({ actor: 'colombia', date: '2025-11-13' }),
				event({ actor: 'colombia', date: '2025-11-01' }),
				event({ actor: 'colombia', issue: 'boat-strikes-legality', date: '2025-11-09' })
			]
		});
		expect(list.map((s) => [s.actor, s.issue, s.points.length])).toEqual([
			['colombia', 'intelligence-sharing-us', 2],
			['colombia', 'boat-strikes-legality', 1],
			['france', 'intelligence-sharing-us', 1]
		]);
	});

	it('does not reorder the array it was given', () => {
		const input = [event({ id: 2, date: '2025-11-13' }), event({ id: 1, date: '2025-11-01' })];
		buildSeries({ events: input });
		expect(input.map((e) => e.id)).toEqual([2, 1]);
	});

	it('gives no series for no events', () => {
		expect(buildSeries({ events: [] })).toEqual([]);
	});
});

describe('stanceAt', () => {
	const s = series([
		event({ id: 1, date: '2025-11-01', position: -2 }),
		event({ id: 2, date: '2025-11-11', position: -1 }),
		event({ id: 3, date: '2025-11-13', position: 1, createdAt: '2025-11-13T09:00:00.000Z' }),
		event({ id: 4, date: '2025-11-13', position: 2, createdAt: '2025-11-13T10:00:00.000Z' })
	]);

	it('is null before the first point', () => {
		expect(stanceAt(s, '2025-10-31')).toBeNull();
	});
	it('is the point of that date on the date itself', () => {
		expect(stanceAt(s, '2025-11-11')?.eventId).toBe(2);
		expect(stanceAt(s, '2025-11-01')?.eventId).toBe(1);
	});
	it('holds the earlier stance between two points', () => {
		expect(stanceAt(s, '2025-11-12')?.eventId).toBe(2);
		expect(stanceAt(s, '2025-11-05')?.position).toBe(-2);
	});
	it('is the later-recorded point when two share the date', () => {
		expect(stanceAt(s, '2025-11-13')?.eventId).toBe(4);
	});
	it('holds the last stance after the last point', () => {
		expect(stanceAt(s, '2030-01-01')?.eventId).toBe(4);
	});
	it('is null for an empty series', () => {
		expect(stanceAt({ actor: 'x', issue: 'y', points: [] }, '2025-11-13')).toBeNull();
	});
});

describe('latest', () => {
	it('is the last point, or null for an empty series', () => {
		const s = series([event({ id: 1, date: '2025-11-13', position: 1 }), event({ id: 2, date: '2025-11-01', position: -2 })]);
		expect(latest(s)?.eventId).toBe(1);
		expect(latest({ actor: 'x', issue: 'y', points: [] })).toBeNull();
	});
});

describe('toSteps', () => {
	it('makes one open step for one point', () => {
		const s = series([event({ id: 1, date: '2025-11-11', position: -2 })]);
		expect(toSteps(s)).toMatchObject([{ from: '2025-11-11', to: null, position: -2 }]);
	});

	it('holds each stance until the next date and leaves the last open', () => {
		const s = series([
			event({ id: 1, date: '2025-11-01', position: -2 }),
			event({ id: 2, date: '2025-11-11', position: -1 }),
			event({ id: 3, date: '2025-11-13', position: 1 })
		]);
		expect(toSteps(s).map((st) => [st.from, st.to, st.position])).toEqual([
			['2025-11-01', '2025-11-11', -2],
			['2025-11-11', '2025-11-13', -1],
			['2025-11-13', null, 1]
		]);
	});

	it('collapses points on one date into the last recorded one', () => {
		const s = series([
			event({ id: 1, date: '2025-11-11', position: -2 }),
			event({ id: 2, date: '2025-11-13', position: 1, createdAt: '2025-11-13T09:00:00.000Z' }),
			event({ id: 3, date: '2025-11-13', position: 2, createdAt: '2025-11-13T10:00:00.000Z' })
		]);
		const steps = toSteps(s);
		expect(steps).toHaveLength(2);
		expect(steps[0]!.to).toBe('2025-11-13');
		expect(steps[1]).toMatchObject({ from: '2025-11-13', to: null, position: 2 });
		expect(steps[1]!.point.eventId).toBe(3);
	});

	it('keeps a step for a repeated position (a restatement is still an event)', () => {
		const s = series([event({ id: 1, date: '2025-11-01', position: -2 }), event({ id: 2, date: '2025-11-11', position: -2 })]);
		expect(toSteps(s).map((st) => st.point.eventId)).toEqual([1, 2]);
	});

	it('gives no steps for no points', () => {
		expect(toSteps({ actor: 'x', issue: 'y', points: [] })).toEqual([]);
	});
});

describe('dateExtent', () => {
	it('spans the earliest and latest point over all series', () => {
		const list = buildSeries({
			events: [
				event({ actor: 'a', date: '2025-11-13' }),
				event({ actor: 'a', date: '2025-10-24' }),
				event({ actor: 'b', date: '2025-09-20', datePrecision: 'month' }),
				event({ actor: 'b', date: '2025-11-12' })
			]
		});
		expect(dateExtent(list)).toEqual({ from: '2025-09-01', to: '2025-11-13' });
	});
	it('is null when there are no points', () => {
		expect(dateExtent([])).toBeNull();
		expect(dateExtent([{ actor: 'a', issue: 'i', points: [] }])).toBeNull();
	});
});

import { describe, it, expect } from 'vitest';
import {
	aggregateSeries,
	aggregationNote,
	levelSharesByPeriod,
	nearestLevel,
	nextBucket,
	pickBucket,
	type AggregatePoint,
	type Bucket,
	type PositionAt
} from '../../../src/lib/domain/aggregate';
import { addDays } from '../../../src/lib/domain/dates';
import { scale } from '../../fixtures/factories';

const pts = (...list: [string, number][]): PositionAt[] => list.map(([date, position]) => ({ date, position }));

/** A seeded generator, so a failing random case can be replayed. */
function rng(seed: number) {
	let s = seed >>> 0;
	return () => {
		s = (s * 1664525 + 1013904223) >>> 0;
		return s / 2 ** 32;
	};
}

/** A series of `n` events from `start`, with bursts, quiet stretches and stance changes. */
function randomSeries(seed: number, n: number, start = '2000-01-01'): PositionAt[] {
	const r = rng(seed);
	const out: PositionAt[] = [];
	let date = start;
	let position = 0;
	for (let i = 0; i < n; i++) {
		const gap = r() < 0.05 ? Math.floor(r() * 400) : Math.floor(r() * 3);
		date = addDays(date, gap);
		if (r() < 0.15) position = Math.floor(r() * 5) - 2;
		out.push({ date, position });
	}
	return out;
}

/**
 * The promise: every change p -> q in view lands in a period whose band spans the whole move and
 * whose change count includes it.
 */
function expectEveryChangeVisible(points: readonly PositionAt[], periods: readonly AggregatePoint[], from: string | null, to: string | null) {
	let checked = 0;
	for (let i = 1; i < points.length; i++) {
		const p = points[i - 1]!;
		const q = points[i]!;
		if (p.position === q.position) continue;
		if ((from && q.date < from) || (to && q.date > to)) continue;
		const period = periods.find((a) => a.date <= q.date && q.date <= a.end);
		expect(period, `change to ${q.date} has a period`).toBeDefined();
		expect(period!.min, `band of ${period!.date} reaches ${Math.min(p.position, q.position)}`).toBeLessThanOrEqual(Math.min(p.position, q.position));
		expect(period!.max).toBeGreaterThanOrEqual(Math.max(p.position, q.position));
		expect(period!.changes).toBeGreaterThan(0);
		checked++;
	}
	return checked;
}

describe('aggregateSeries', () => {
	it('gives mean, min, max and count per month', () => {
		const out = aggregateSeries({ points: pts(['2020-01-03', 1], ['2020-01-20', 1], ['2020-01-31', -1], ['2020-02-10', 2]), bucket: 'month' });
		expect(out).toEqual([
			{ date: '2020-01-01', end: '2020-01-31', mean: 1 / 3, min: -1, max: 1, count: 3, opening: null, closing: -1, changes: 1 },
			{ date: '2020-02-01', end: '2020-02-29', mean: 2, min: -1, max: 2, count: 1, opening: -1, closing: 2, changes: 1 }
		]);
	});

	it('puts periods by year with the year as the date', () => {
		const out = aggregateSeries({ points: pts(['2019-03-01', 0], ['2019-12-31', 0], ['2021-06-01', 1]), bucket: 'year' });
		expect(out.map((a) => [a.date, a.end, a.count])).toEqual([
			['2019-01-01', '2019-12-31', 2],
			['2021-01-01', '2021-12-31', 1]
		]);
	});

	it('leaves quiet periods out rather than inventing events', () => {
		const out = aggregateSeries({ points: pts(['2020-01-10', 1], ['2020-05-10', 1]), bucket: 'month' });
		expect(out.map((a) => a.date)).toEqual(['2020-01-01', '2020-05-01']);
	});

	it('is empty for an empty series', () => {
		expect(aggregateSeries({ points: [], bucket: 'month' })).toEqual([]);
	});

	describe('never hides a change of stance', () => {
		it('a change at a period boundary: the new period’s band reaches back to the stance carried in', () => {
			const out = aggregateSeries({ points: pts(['2020-01-31', 1], ['2020-02-01', -1], ['2020-02-15', -1]), bucket: 'month' });
			expect(out[1]).toMatchObject({ mean: -1, min: -1, max: 1, opening: 1, closing: -1, changes: 1 });
		});

		it('a change after a long quiet stretch shows in the period it lands in', () => {
			const out = aggregateSeries({ points: pts(['2015-03-01', 2], ['2019-07-04', -2]), bucket: 'year' });
			expect(out[1]).toMatchObject({ date: '2019-01-01', min: -2, max: 2, changes: 1 });
		});

		it('a one-day walk-back inside a busy month widens the band though the mean barely moves', () => {
			const month = Array.from({ length: 28 }, (_, d) => [`2020-02-${String(d + 1).padStart(2, '0')}`, 1] as [string, number]);
			month[10] = ['2020-02-11', -2];
			const out = aggregateSeries({ points: pts(...month), bucket: 'month' });
			expect(out).toHaveLength(1);
			expect(out[0]!.mean).toBeGreaterThan(0.8);
			expect(out[0]).toMatchObject({ min: -2, max: 1, changes: 2 });
		});

		it('a change whose means are equal on both sides is still counted and spanned', () => {
			// January ends on +1, February opens on -1: both months average 0.
			const out = aggregateSeries({ points: pts(['2020-01-05', -1], ['2020-01-25', 1], ['2020-02-05', -1], ['2020-02-25', 1]), bucket: 'month' });
			expect(out.map((a) => a.mean)).toEqual([0, 0]);
			expect(out[1]).toMatchObject({ min: -1, max: 1, opening: 1, changes: 2 });
		});

		it('a flat series has no changes and a zero-width band', () => {
			const out = aggregateSeries({ points: pts(['2020-01-05', 1], ['2020-03-25', 1]), bucket: 'month' });
			expect(out.every((a) => a.min === 1 && a.max === 1 && a.changes === 0)).toBe(true);
		});

		it('holds for random series at every zoom level a chart picks', () => {
			let checked = 0;
			for (let seed = 1; seed <= 20; seed++) {
				const points = randomSeries(seed, 3000);
				const last = points.at(-1)!.date;
				for (const [from, to, width] of [
					['2000-01-01', last, 1200],
					['2000-01-01', last, 300],
					[addDays(last, -800), last, 600],
					[addDays(last, -200), last, 150]
				] as const) {
					const inView = points.filter((p) => p.date >= from && p.date <= to).length;
					const bucket = pickBucket({ from, to, width, events: inView });
					if (!bucket) continue;
					const periods = aggregateSeries({ points, bucket, from, to });
					checked += expectEveryChangeVisible(points, periods, from, to);
					expect(periods.reduce((n, a) => n + a.count, 0)).toBe(points.filter((p) => p.date >= periods[0]!.date && p.date <= to).length);
				}
			}
			expect(checked).toBeGreaterThan(1000);
		});
	});

	it('takes the stance carried in from before `from` without counting those events', () => {
		const out = aggregateSeries({ points: pts(['2019-05-01', 2], ['2020-03-01', 0]), bucket: 'month', from: '2020-01-15' });
		expect(out).toEqual([{ date: '2020-03-01', end: '2020-03-31', mean: 0, min: 0, max: 2, count: 1, opening: 2, closing: 0, changes: 1 }]);
	});

	it('includes the whole first period when `from` falls inside it', () => {
		const out = aggregateSeries({ points: pts(['2020-01-02', 1], ['2020-01-20', -1]), bucket: 'month', from: '2020-01-15' });
		expect(out[0]!.count).toBe(2);
	});

	it('stops at `to`', () => {
		const out = aggregateSeries({ points: pts(['2020-01-02', 1], ['2020-05-20', -1]), bucket: 'month', to: '2020-04-30' });
		expect(out.map((a) => a.date)).toEqual(['2020-01-01']);
	});
});

describe('levelSharesByPeriod', () => {
	const s = scale({ min: -1, max: 1, labels: [{ value: -1, label: 'No' }, { value: 0, label: 'Abstain' }, { value: 1, label: 'Yes' }] });

	it('splits each period’s events over the scale’s levels', () => {
		const out = levelSharesByPeriod({ points: pts(['2020-01-01', 1], ['2020-01-02', 1], ['2020-01-03', 1], ['2020-01-04', -1], ['2020-02-01', 0]), bucket: 'month', scale: s });
		expect(out[0]!.shares).toEqual([
			{ value: -1, count: 1, share: 0.25 },
			{ value: 1, count: 3, share: 0.75 }
		]);
		expect(out[1]!.shares).toEqual([{ value: 0, count: 1, share: 1 }]);
		expect(out[1]).toMatchObject({ opening: -1, closing: 0, changes: 1 });
	});

	it('reads positions between labels at the nearest level', () => {
		const out = levelSharesByPeriod({ points: pts(['2020-01-01', 0.8], ['2020-01-02', -0.4]), bucket: 'year', scale: s });
		expect(out[0]!.shares.map((x) => x.value)).toEqual([0, 1]);
	});

	it('keeps a change between identical-looking periods visible through opening and changes', () => {
		const out = levelSharesByPeriod({ points: pts(['2020-01-01', 1], ['2020-01-31', -1], ['2020-02-01', 1], ['2020-02-28', -1]), bucket: 'month', scale: s });
		expect(out[0]!.shares).toEqual(out[1]!.shares);
		expect(out[1]).toMatchObject({ opening: -1, changes: 2 });
	});

	it('shares add up to one in every period', () => {
		const out = levelSharesByPeriod({ points: randomSeries(7, 2000), bucket: 'month', scale: scale() });
		for (const p of out) expect(p.shares.reduce((n, x) => n + x.share, 0)).toBeCloseTo(1, 10);
	});
});

describe('nearestLevel', () => {
	it('breaks ties toward the midpoint, as labelFor does', () => {
		expect(nearestLevel(scale(), 0.5)).toBe(0);
		expect(nearestLevel(scale(), -1.5)).toBe(-1);
		expect(nearestLevel(scale(), 1.9)).toBe(2);
	});
});

describe('pickBucket', () => {
	it('draws every event while there are no more events than pixels', () => {
		expect(pickBucket({ from: '2000-01-01', to: '2020-01-01', width: 800, events: 800 })).toBeNull();
	});
	it('aggregates by month when each month gets a few pixels', () => {
		expect(pickBucket({ from: '2018-01-01', to: '2020-01-01', width: 800, events: 5000 })).toBe('month');
	});
	it('aggregates by year over long ranges', () => {
		expect(pickBucket({ from: '1946-01-01', to: '2024-12-31', width: 1000, events: 5000 })).toBe('year');
	});
	it('switches back to individual events as the range narrows', () => {
		const wide = pickBucket({ from: '1990-01-01', to: '2020-01-01', width: 900, events: 20000 });
		const narrow = pickBucket({ from: '2019-10-01', to: '2020-01-01', width: 900, events: 400 });
		expect([wide, narrow]).toEqual(['year', null]);
	});
});

describe('nextBucket', () => {
	it.each([
		['2020-01-15', 'month', '2020-02-01'],
		['2020-12-01', 'month', '2021-01-01'],
		['2020-06-30', 'year', '2021-01-01']
	] as [string, Bucket, string][])('%s by %s -> %s', (date, bucket, next) => {
		expect(nextBucket(date, bucket)).toBe(next);
	});
});

describe('aggregationNote', () => {
	it('says how the chart is aggregated and over how many events', () => {
		expect(aggregationNote('month', 12345)).toBe('Monthly averages of 12,345 events');
		expect(aggregationNote('year', 800)).toBe('Yearly averages of 800 events');
	});
});

describe('aggregateSeries: uncertainty intervals', () => {
	it("gives a period the mean interval of its events that have one, and how many do; none when none has one", () => {
		const periods = aggregateSeries({
			points: [
				{ date: '2020-01-05', position: 1, positionLow: 0, positionHigh: 2 },
				{ date: '2020-01-20', position: 0, positionLow: -1, positionHigh: 0.5 },
				{ date: '2020-01-25', position: 0 },
				{ date: '2020-02-03', position: 1 }
			],
			bucket: 'month'
		});
		expect(periods[0]!.interval).toEqual({ low: -0.5, high: 1.25, events: 2 });
		expect(periods[1]!.interval).toBeUndefined();
	});
});

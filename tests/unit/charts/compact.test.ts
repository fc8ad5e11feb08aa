import { describe, it, expect } from 'vitest';
import { packSeries, unpackSeries } from '../../../src/lib/charts/compact';
import type { ChartPoint } from '../../../src/lib/charts/stanceLine';
import { buildStanceLineConfig, type StanceDatum } from '../../../src/lib/charts/stanceLine';
import { buildStanceLanesConfig, type LaneDatum } from '../../../src/lib/charts/stanceLanes';
import { addDays } from '../../../src/lib/domain/dates';
import { issue, scale } from '../../fixtures/factories';

const pts = (n: number, start = '2000-01-01', every = 3): ChartPoint[] =>
	Array.from({ length: n }, (_, i) => ({ date: addDays(start, i * every), position: (i % 5) - 2, eventId: i + 1, datePrecision: 'day' as const }));
const co = { slug: 'colombia', name: 'Colombia', color: '#b83808' };

describe('packSeries / unpackSeries', () => {
	it('ships every point while there are fewer events than pixels, and unpacks them unchanged', () => {
		const points = [...pts(3), { date: '2000-02-01', position: 1, eventId: 9, datePrecision: 'month' as const }];
		const range = { from: '1999-12-01', to: '2000-03-01' };
		const c = packSeries({ actor: 'colombia', points, range, scale: scale() });
		expect(c.bucket).toBeNull();
		expect(unpackSeries(c, co).points).toEqual(points);
	});

	it("ships the events' uncertainty intervals with their points, and draws them as the points' intervals", () => {
		const points = [
			{ date: '2000-01-10', position: 0.5, positionLow: -0.25, positionHigh: 1.25, eventId: 1, datePrecision: 'day' as const },
			{ date: '2000-02-10', position: 1, eventId: 2, datePrecision: 'day' as const }
		];
		const c = packSeries({ actor: 'colombia', points, range: { from: '2000-01-01', to: '2000-03-01' }, scale: scale() });
		expect(c.intervals).toEqual([0, -0.25, 1.25]);
		const s = unpackSeries(c, co);
		expect(s.points).toEqual(points);
		const data = buildStanceLineConfig({ issue: issue(), series: [s], range: { from: '2000-01-01', to: '2000-03-01' } }).data.datasets[0]!.data as StanceDatum[];
		expect(data.map((d) => d.interval ?? null)).toEqual([{ low: -0.25, high: 1.25 }, null, null]);
	});

	it('aggregates a busy series and keeps the counts', () => {
		const points = pts(3000, '2000-01-01', 2);
		const range = { from: '2000-01-01', to: '2016-12-31' };
		const c = packSeries({ actor: 'colombia', points, range, scale: scale(), width: 1000 });
		expect(c.bucket).toBe('month');
		expect(c.points).toEqual([]);
		const s = unpackSeries(c, co);
		expect(s.periods!.reduce((n, p) => n + p.count, 0)).toBe(3000);
		expect(s.periods![0]).toMatchObject({ date: '2000-01-01', end: '2000-01-31', min: -2, max: 2 });
	});

	it('packs an aggregated lane as shares per period', () => {
		const c = packSeries({ actor: 'colombia', points: pts(3000, '2000-01-01', 2), range: { from: '2000-01-01', to: '2016-12-31' }, scale: scale(), width: 1000, lanes: true });
		const s = unpackSeries(c, co);
		expect(s.shares![0]!.shares.map((x) => x.value)).toEqual([-2, -1, 0, 1, 2]);
		expect(s.shares!.reduce((n, p) => n + p.count, 0)).toBe(3000);
	});

	it('stays small: a year-aggregated series over 75 years is a few kilobytes', () => {
		const c = packSeries({ actor: 'colombia', points: pts(5000, '1946-01-01', 5), range: { from: '1946-01-01', to: '2020-12-31' }, scale: scale() });
		expect(c.bucket).toBe('year');
		expect(JSON.stringify(c).length).toBeLessThan(4000);
	});
});

describe('charts draw an aggregated series', () => {
	const range = { from: '2000-01-01', to: '2016-12-31' };
	const s = unpackSeries(packSeries({ actor: 'colombia', points: pts(3000, '2000-01-01', 2), range, scale: scale(), width: 1000 }), { ...co });

	it('as a mean line whose points carry their band, count and a tooltip text', () => {
		const config = buildStanceLineConfig({ issue: issue(), series: [s], range });
		const data = config.data.datasets[0]!.data as StanceDatum[];
		expect(data[0]!.period).toMatchObject({ min: -2, max: 2, bucket: 'month' });
		expect(data[0]!.period!.text).toMatch(/^Colombia, January 2000: \d+ events, average .*ranging Halt to Expand/);
		expect(config.plugins!.map((p) => p.id)).toContain('periodBands');
	});

	it('as lanes split by the share of each stance', () => {
		const lanes = unpackSeries(packSeries({ actor: 'colombia', points: pts(3000, '2000-01-01', 2), range, scale: scale(), width: 1000, lanes: true }), co);
		const config = buildStanceLanesConfig({ issue: issue(), series: [lanes], range });
		const data = config.data.datasets[0]!.data as LaneDatum[];
		expect(data[0]!.shares!.map((x) => x.value)).toEqual([-2, -1, 0, 1, 2]);
		expect(data[0]!.text).toMatch(/^Colombia, January 2000: \d+ events: /);
		expect(data[0]!.eventId).toBeNull();
	});
});

describe('packSeries: mean intervals of periods', () => {
	it('carries each period’s mean interval through packing, to the chart’s band and the period’s words', () => {
		const pts = Array.from({ length: 60 }, (_, i) => ({
			date: `2020-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + Math.floor(i / 12)).padStart(2, '0')}`,
			datePrecision: 'day' as const,
			position: 1,
			positionLow: i % 12 === 0 ? 0 : null,
			positionHigh: i % 12 === 0 ? 2 : null,
			eventId: i + 1
		})).sort((a, b) => a.date.localeCompare(b.date));
		const packed = packSeries({ actor: 'colombia', points: pts, range: { from: '2020-01-01', to: '2020-12-31' }, width: 50, scale: scale() });
		expect(packed.bucket).toBe('month');
		const s = unpackSeries(packed, { slug: 'colombia', name: 'Colombia', color: '#b83808' });
		const jan = s.periods!.find((p) => p.date.startsWith('2020-01'))!;
		expect(jan.count).toBe(5);
		expect(jan.interval).toEqual({ low: 0, high: 2, events: 5 });
		expect(s.periods!.filter((p) => p.interval).length).toBe(1);
		const config = buildStanceLineConfig({ issue: issue(), series: [s], range: { from: '2020-01-01', to: '2020-12-31' } });
		const datum = (config.data.datasets[0]!.data as { period?: { text: string }; interval?: { low: number; high: number } }[]).find((d) => d.interval)!;
		expect(datum.interval).toEqual({ low: 0, high: 2 });
		expect(datum.period!.text).toContain('mean interval 0 to +2');
	});
});

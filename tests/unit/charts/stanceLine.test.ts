import { describe, it, expect } from 'vitest';
import { backgroundPlugin } from '../../../src/lib/charts/plugins';
import { buildStanceLineConfig, spreadOffset, stanceData, type ChartSeries } from '../../../src/lib/charts/stanceLine';
import { THEMES } from '../../../src/lib/charts/theme';
import { timeTicks, toDay } from '../../../src/lib/charts/timeAxis';
import type { DateRange } from '../../../src/lib/charts/range';
import { actor, issue, points, scale } from '../../fixtures/factories';
import { axis, builtTicks, pluginOptions, scripted } from './chartAccess';

const range: DateRange = { from: '2025-10-25', to: '2025-11-20' };

function twoActors(): ChartSeries[] {
	return [
		{ actor: actor({ slug: 'colombia', name: 'Colombia', color: '#b83808' }), points: points(['2025-11-01', -2, 'month'], ['2025-11-11', -2], ['2025-11-13', 1]) },
		{ actor: actor({ slug: 'united-states', name: 'United States', color: '#4060b8' }), points: points(['2025-11-12', 1]) }
	];
}

describe('spreadOffset', () => {
	it('is 0 for a single line', () => {
		expect(spreadOffset(0, 1, 1)).toBe(0);
	});

	it('is symmetric around the true position', () => {
		for (const n of [2, 3, 4, 7]) {
			const offsets = Array.from({ length: n }, (_, i) => spreadOffset(i, n, 1));
			offsets.forEach((o, i) => expect(o).toBeCloseTo(-offsets[n - 1 - i]!, 12));
			expect(offsets.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 12);
			expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
			expect(new Set(offsets).size).toBe(n);
		}
		expect(spreadOffset(1, 3, 1)).toBe(0);
	});

	it('keeps the whole spread within 40% of one level, whatever the count', () => {
		for (const step of [1, 5, 0.5]) {
			for (let n = 2; n <= 30; n++) {
				const spread = spreadOffset(n - 1, n, step) - spreadOffset(0, n, step);
				expect(spread).toBeGreaterThan(0);
				expect(spread).toBeLessThanOrEqual(step * 0.4 + 1e-12);
			}
		}
	});

	it('keeps neighbouring lines at most 8% of a level apart', () => {
		expect(spreadOffset(1, 2, 1) - spreadOffset(0, 2, 1)).toBeCloseTo(0.08, 12);
		expect(spreadOffset(1, 2, 10) - spreadOffset(0, 2, 10)).toBeCloseTo(0.8, 12);
	});
});

describe('stanceData', () => {
	const end = toDay('2025-11-20');

	it('maps each point to a day and position, then carries the last stance to the range end', () => {
		const data = stanceData(points(['2025-11-11', -2], ['2025-11-13', 1]), end);
		expect(data).toHaveLength(3);
		expect(data[0]).toMatchObject({ x: toDay('2025-11-11'), y: -2, position: -2, end: null });
		expect(data[1]).toMatchObject({ x: toDay('2025-11-13'), y: 1, position: 1 });
		expect(data[2]).toEqual({ x: end, y: 1, position: 1, eventId: null, end: null });
		expect(data[0]!.eventId).not.toBeNull();
	});

	it('adds no carry point when the last point is at or past the range end', () => {
		const data = stanceData(points(['2025-11-11', -2], ['2025-11-20', 1]), end);
		expect(data).toHaveLength(2);
		expect(data.every((d) => d.eventId !== null)).toBe(true);
	});

	it('sets the period end only for dates known to a month or year', () => {
		const data = stanceData(points(['2025-01-01', 2, 'year'], ['2025-11-01', -2, 'month'], ['2025-11-11', -1]), end);
		expect(data[0]!.end).toBe(toDay('2025-12-31'));
		expect(data[1]!.end).toBe(toDay('2025-11-30'));
		expect(data[2]!.end).toBeNull();
		expect(data[3]!.end).toBeNull();
	});

	it('moves y by the offset but keeps the true position', () => {
		const data = stanceData(points(['2025-11-11', -2]), end, 0.04);
		expect(data.map((d) => d.y)).toEqual([-1.96, -1.96]);
		expect(data.map((d) => d.position)).toEqual([-2, -2]);
	});

	it('is empty for no points', () => {
		expect(stanceData([], end)).toEqual([]);
	});
});

describe('buildStanceLineConfig', () => {
	it('draws one stepped dataset per actor with its colour and name', () => {
		const series = twoActors();
		const config = buildStanceLineConfig({ issue: issue(), series, range });
		expect(config.type).toBe('line');
		const ds = config.data.datasets;
		expect(ds.map((d) => d.label)).toEqual(['Colombia', 'United States']);
		expect(ds.map((d) => d.borderColor)).toEqual(['#b83808', '#4060b8']);
		expect(ds.map((d) => d.stepped)).toEqual(['before', 'before']);
		expect(ds[0]!.data).toEqual(stanceData(series[0]!.points, toDay(range.to)));
		expect(ds[1]!.data).toEqual(stanceData(series[1]!.points, toDay(range.to)));
	});

	it('hands Chart.js parsed points and fixed axis bounds from the range', () => {
		const config = buildStanceLineConfig({ issue: issue(), series: twoActors(), range });
		expect(config.options?.parsing).toBe(false);
		expect(axis(config, 'x').min).toBe(toDay('2025-10-25'));
		expect(axis(config, 'x').max).toBe(toDay('2025-11-20'));
	});

	it("ticks the y axis at the scale's labels, in value order, and names them", () => {
		const shuffled = issue({ scale: scale({ labels: [...scale().labels].reverse() }) });
		const config = buildStanceLineConfig({ issue: shuffled, series: twoActors(), range });
		const ticks = builtTicks(config, 'y');
		expect(ticks.map((t) => t.value)).toEqual([-2, -1, 0, 1, 2]);
		const y = axis(config, 'y');
		expect(ticks.map((t, i) => y.ticks.callback(t.value, i, ticks))).toEqual(['Halt', 'Restrict', 'Unclear', 'Maintain', 'Expand']);
		expect(y.min).toBeLessThan(-2);
		expect(y.max).toBeGreaterThan(2);
	});

	it('ticks the x axis at calendar dates, fewer when compact', () => {
		const wide = buildStanceLineConfig({ issue: issue(), series: twoActors(), range: { from: '2025-01-01', to: '2025-11-20' } });
		const ticks = builtTicks(wide, 'x');
		expect(ticks).toEqual(timeTicks(toDay('2025-01-01'), toDay('2025-11-20'), 8));
		expect(axis(wide, 'x').ticks.callback(ticks[0]!.value, 0, ticks)).toBe('Jan 2025');
		const compact = buildStanceLineConfig({ issue: issue(), series: twoActors(), range: { from: '2025-01-01', to: '2025-11-20' }, compact: true });
		expect(builtTicks(compact, 'x').length).toBeLessThan(ticks.length);
	});

	it('paints the background only when asked, in the theme colour', () => {
		const plain = buildStanceLineConfig({ issue: issue(), series: twoActors(), range });
		expect(pluginOptions(plain, 'stanceBackground')?.color).toBeUndefined();
		const light = buildStanceLineConfig({ issue: issue(), series: twoActors(), range, background: true });
		expect(pluginOptions(light, 'stanceBackground')?.color).toBe(THEMES.light.background);
		const dark = buildStanceLineConfig({ issue: issue(), series: twoActors(), range, background: true, theme: 'dark' });
		expect(pluginOptions(dark, 'stanceBackground')?.color).toBe(THEMES.dark.background);
		expect(light.plugins).toContain(backgroundPlugin);
	});

	it('fades every actor but the focused one and draws the focused one on top', () => {
		const config = buildStanceLineConfig({ issue: issue(), series: twoActors(), range, focus: 'united-states' });
		const [co, us] = config.data.datasets;
		expect(us!.borderColor).toBe('#4060b8');
		expect(co!.borderColor).toBe('#b8380833');
		expect(us!.order).toBeLessThan(co!.order!);
		expect(us!.borderWidth).toBeGreaterThan(co!.borderWidth as number);
	});

	it('fades nobody without a focus', () => {
		const config = buildStanceLineConfig({ issue: issue(), series: twoActors(), range, focus: null });
		expect(config.data.datasets.map((d) => d.borderColor)).toEqual(['#b83808', '#4060b8']);
	});

	it('nudges lines apart only when spread is asked for, keeping true positions', () => {
		const same: ChartSeries[] = [
			{ actor: actor({ slug: 'a', name: 'A' }), points: points(['2025-11-11', 1]) },
			{ actor: actor({ slug: 'b', name: 'B' }), points: points(['2025-11-11', 1]) }
		];
		const flat = buildStanceLineConfig({ issue: issue(), series: same, range });
		expect(flat.data.datasets.map((d) => d.data[0]!.y)).toEqual([1, 1]);
		const spread = buildStanceLineConfig({ issue: issue(), series: same, range, spread: true });
		const ys = spread.data.datasets.map((d) => d.data[0]!.y);
		expect(ys[0]).toBeLessThan(1);
		expect(ys[1]).toBeGreaterThan(1);
		expect(spread.data.datasets.map((d) => d.data[0]!.position)).toEqual([1, 1]);
	});

	it('marks events, not the carry point, and shows approximate dates as diamonds', () => {
		const config = buildStanceLineConfig({ issue: issue(), series: twoActors(), range });
		const ds = config.data.datasets[0]!;
		const [month, day, , carry] = ds.data;
		expect(carry!.eventId).toBeNull();
		expect(scripted<number>(ds.pointRadius, carry)).toBe(0);
		expect(scripted<number>(ds.pointRadius, day)).toBeGreaterThan(0);
		expect(scripted<string>(ds.pointStyle, month)).toBe('rectRot');
		expect(scripted<string>(ds.pointStyle, day)).toBe('circle');
		expect(scripted<string>(ds.pointBackgroundColor, month)).toBe(THEMES.light.background);
		expect(scripted<string>(ds.pointBackgroundColor, day)).toBe('#b83808');
	});

	it('draws an empty chart for no series', () => {
		const config = buildStanceLineConfig({ issue: issue(), series: [], range });
		expect(config.data.datasets).toEqual([]);
		expect(builtTicks(config, 'y')).toHaveLength(5);
	});
});

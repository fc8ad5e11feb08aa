import { describe, it, expect } from 'vitest';
import { buildStanceLanesConfig, laneData } from '../../../src/lib/charts/stanceLanes';
import type { ChartSeries } from '../../../src/lib/charts/stanceLine';
import { THEMES } from '../../../src/lib/charts/theme';
import { toDay } from '../../../src/lib/charts/timeAxis';
import { stanceColor, textOn } from '../../../src/lib/domain/colors';
import { actor, issue, points } from '../../fixtures/factories';
import { axis, builtTicks, pluginOptions } from './chartAccess';

const end = toDay('2025-11-20');

function colombia(): ChartSeries {
	return {
		actor: actor(),
		points: points(['2025-11-01', -2, 'month'], ['2025-11-11', -1], ['2025-11-13', 1], ['2025-11-13', 2])
	};
}

describe('laneData', () => {
	it('makes one segment per held stance, collapsing events on one date', () => {
		const data = laneData([colombia()], issue(), end);
		expect(data.map((d) => d.x)).toEqual([
			[toDay('2025-11-01'), toDay('2025-11-11')],
			[toDay('2025-11-11'), toDay('2025-11-13')],
			[toDay('2025-11-13'), end]
		]);
		expect(data.map((d) => d.position)).toEqual([-2, -1, 2]);
	});

	it('labels the segment that starts a stance with how long it lasted, the current one since when', () => {
		const data = laneData([colombia()], issue(), end, '2025-11-20');
		expect(data.map((d) => d.longLabel)).toEqual([`${data[0]!.label} · 10 days`, `${data[1]!.label} · 2 days`, `${data[2]!.label} · since 13 Nov 2025`]);
		// Without a date to measure the current stance by, only the labels.
		expect(laneData([colombia()], issue(), end).every((d) => d.longLabel === undefined)).toBe(true);
	});

	it('marks the segments that state a corrected event, an earlier event of the same date included', () => {
		const s = colombia();
		const pts = s.points;
		const data = laneData([s], issue(), end, undefined, new Set([pts[2]!.eventId, pts[1]!.eventId]));
		// The 13 November segment stands for two events; the first of them is the corrected one.
		expect(data.map((d) => d.corrected)).toEqual([undefined, [pts[1]!.eventId], [pts[2]!.eventId]]);
		expect(data[2]!.eventId).toBe(pts[3]!.eventId);
		expect(pluginOptions(buildStanceLanesConfig({ issue: issue(), series: [s], range: { from: '2025-10-25', to: '2025-11-20' }, corrected: [pts[2]!.eventId] }), 'stanceChangeMarkers')?.corrected).toEqual([pts[2]!.eventId]);
		expect(laneData([colombia()], issue(), end).some((d) => d.corrected)).toBe(false);
	});

	it('says a position with an uncertainty interval with its bounds, and keeps the interval for the tooltip', () => {
		const banded: ChartSeries = { actor: actor(), points: [{ date: '2025-11-11', datePrecision: 'day', position: 0.4, positionLow: 0.1, positionHigh: 0.75, eventId: 7 }] };
		const [d] = laneData([banded], issue(), end, '2025-11-20');
		expect(d!.interval).toEqual({ low: 0.1, high: 0.75 });
		expect(d!.longLabel).toBe(`${d!.label} +0.4 (+0.1 to +0.75) · since 11 Nov 2025`);
	});

	it('runs the last segment to the range end', () => {
		const data = laneData([{ actor: actor(), points: points(['2025-11-11', 1]) }], issue(), end);
		expect(data).toHaveLength(1);
		expect(data[0]!.x).toEqual([toDay('2025-11-11'), end]);
	});

	it('colours each segment by its stance and picks readable text on it', () => {
		const data = laneData([colombia()], issue(), end);
		const [approx, restrict, expand] = data;
		expect(restrict!.color).toBe(stanceColor(issue().scale, -1));
		expect(expand!.color).toBe(stanceColor(issue().scale, 2));
		expect(restrict!.color).not.toBe(expand!.color);
		expect(restrict!.textColor).toBe(textOn(restrict!.color));
		// An approximate date is drawn translucent.
		expect(approx!.color).toBe(stanceColor(issue().scale, -2) + 'b0');
		expect(approx!.textColor).toBe(textOn(stanceColor(issue().scale, -2)));
	});

	it('labels each segment with the stance, marking approximate dates', () => {
		const data = laneData([colombia()], issue(), end);
		expect(data.map((d) => d.label)).toEqual(['≈ Halt', 'Restrict', 'Expand']);
		expect(data.map((d) => d.approx)).toEqual([true, false, false]);
	});

	it('puts each actor in its own lane, named after it, and keeps event ids', () => {
		const us: ChartSeries = { actor: actor({ slug: 'united-states', name: 'United States' }), points: points(['2025-11-12', 1]) };
		const co = colombia();
		const data = laneData([co, us], issue(), end);
		expect(data.map((d) => d.y)).toEqual(['Colombia', 'Colombia', 'Colombia', 'United States']);
		expect(data.map((d) => d.eventId)).toEqual([co.points[0]!.eventId, co.points[1]!.eventId, co.points[3]!.eventId, us.points[0]!.eventId]);
	});

	it('keeps a visible sliver for a stance starting at the range end', () => {
		const data = laneData([{ actor: actor(), points: points(['2025-11-20', 1]) }], issue(), end);
		expect(data[0]!.x[1]).toBeGreaterThan(data[0]!.x[0]);
	});
});

describe('buildStanceLanesConfig', () => {
	const range = { from: '2025-10-25', to: '2025-11-20' };

	it('draws horizontal bars, one lane per actor, from laneData', () => {
		const series = [colombia(), { actor: actor({ slug: 'france', name: 'France' }), points: points(['2025-11-11', -1]) }];
		const config = buildStanceLanesConfig({ issue: issue(), series, range });
		expect(config.type).toBe('bar');
		expect(config.options?.indexAxis).toBe('y');
		expect(config.data.labels).toEqual(['Colombia', 'France']);
		expect(config.data.datasets).toHaveLength(1);
		expect(config.data.datasets[0]!.data).toEqual(laneData(series, issue(), toDay(range.to), range.to));
	});

	it('sets the x axis to the range with calendar ticks', () => {
		const config = buildStanceLanesConfig({ issue: issue(), series: [colombia()], range });
		expect(axis(config, 'x').min).toBe(toDay(range.from));
		expect(axis(config, 'x').max).toBe(toDay(range.to));
		expect(builtTicks(config, 'x').map((t) => t.label)).toEqual(['27 Oct', '3 Nov', '10 Nov', '17 Nov']);
	});

	it('fills each bar with its segment colour', () => {
		const config = buildStanceLanesConfig({ issue: issue(), series: [colombia()], range });
		const ds = config.data.datasets[0]!;
		const fill = ds.backgroundColor as (ctx: { raw: unknown }) => string;
		expect(fill({ raw: ds.data[1] })).toBe(stanceColor(issue().scale, -1));
	});

	it('paints the background only when asked', () => {
		expect(pluginOptions(buildStanceLanesConfig({ issue: issue(), series: [], range }), 'stanceBackground')?.color).toBeUndefined();
		expect(
			pluginOptions(buildStanceLanesConfig({ issue: issue(), series: [], range, background: true, theme: 'dark' }), 'stanceBackground')?.color
		).toBe(THEMES.dark.background);
	});
});

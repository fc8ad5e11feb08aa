import { describe, it, expect } from 'vitest';
import { defaultRange } from '../../../src/lib/charts/range';
import { buildSeries } from '../../../src/lib/domain/series';
import { event } from '../../fixtures/factories';

const seriesOf = (...rows: [string, 'day' | 'month' | 'year', string?][]) =>
	buildSeries({ events: rows.map(([date, datePrecision, actor = 'colombia']) => event({ date, datePrecision, actor })) });

describe('defaultRange', () => {
	it('pads a short span by at least a week on each side', () => {
		expect(defaultRange(seriesOf(['2025-11-01', 'day'], ['2025-11-13', 'day']), '2026-01-01')).toEqual({
			from: '2025-10-25',
			to: '2025-11-20'
		});
	});

	it('pads a long span by a tenth of it', () => {
		// 2025-01-01..2025-11-07 is 310 days: 31 days of padding.
		expect(defaultRange(seriesOf(['2025-01-01', 'day'], ['2025-11-07', 'day']), '2026-01-01')).toEqual({
			from: '2024-12-01',
			to: '2025-12-08'
		});
	});

	it('covers every series, not just the first', () => {
		const range = defaultRange(seriesOf(['2025-11-01', 'day', 'a'], ['2025-06-01', 'day', 'b']), '2026-01-01');
		expect(range.from < '2025-06-01').toBe(true);
		expect(range.to > '2025-11-01').toBe(true);
	});

	it('does not let year-precision points stretch the range when finer points exist', () => {
		const range = defaultRange(seriesOf(['2025-01-01', 'year'], ['2025-11-11', 'day'], ['2025-11-13', 'day']), '2026-01-01');
		expect(range).toEqual({ from: '2025-11-04', to: '2025-11-20' });
	});

	it('lets month-precision points stretch the range', () => {
		const range = defaultRange(seriesOf(['2025-09-01', 'month'], ['2025-11-13', 'day']), '2026-01-01');
		expect(range.from < '2025-09-01').toBe(true);
	});

	it('uses year-precision points when they are all there is', () => {
		expect(defaultRange(seriesOf(['2025-01-01', 'year']), '2026-01-01')).toEqual({ from: '2024-12-25', to: '2025-01-08' });
	});

	it('shows the thirty days before the fallback end when there are no points', () => {
		expect(defaultRange([], '2025-11-24')).toEqual({ from: '2025-10-25', to: '2025-11-24' });
		expect(defaultRange([{ actor: 'a', issue: 'i', points: [] }], '2025-11-24')).toEqual({ from: '2025-10-25', to: '2025-11-24' });
	});
});

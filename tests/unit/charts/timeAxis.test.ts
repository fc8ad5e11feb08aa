import { describe, it, expect } from 'vitest';
import { formatDay, fromDay, timeTicks, toDay } from '../../../src/lib/charts/timeAxis';

const weekday = (day: number) => new Date(day * 86_400_000).getUTCDay();

describe('toDay / fromDay', () => {
	it('counts whole days since 1970-01-01 and back', () => {
		expect(toDay('1970-01-01')).toBe(0);
		expect(toDay('1970-01-08')).toBe(7);
		expect(fromDay(toDay('2025-11-13'))).toBe('2025-11-13');
	});
	it('rounds a fractional day to the nearest date', () => {
		expect(fromDay(toDay('2025-11-13') + 0.4)).toBe('2025-11-13');
		expect(fromDay(toDay('2025-11-13') + 0.6)).toBe('2025-11-14');
	});
});

describe('formatDay', () => {
	it('reads a day as a full date', () => {
		expect(formatDay(toDay('2025-11-13'))).toBe('13 November 2025');
	});
});

describe('timeTicks', () => {
	it('puts weekly ticks on Mondays for a six-week span', () => {
		const min = toDay('2025-10-01'); // a Wednesday
		const ticks = timeTicks(min, min + 42);
		expect(ticks).toHaveLength(6);
		for (const t of ticks) expect(weekday(t.value)).toBe(1);
		expect(ticks[0]!.value - min).toBeGreaterThan(0);
		expect(ticks[0]!.value - min).toBeLessThan(7);
		ticks.slice(1).forEach((t, i) => expect(t.value - ticks[i]!.value).toBe(7));
		expect(ticks[0]!.label).toBe('6 Oct');
		expect(ticks.at(-1)!.label).toBe('10 Nov');
	});

	it('includes a Monday that falls on either end', () => {
		const monday = toDay('2025-11-10');
		const ticks = timeTicks(monday, monday + 14);
		expect(ticks.map((t) => t.value)).toEqual([monday, monday + 7, monday + 14]);
	});

	it('thins weekly ticks to every other week when a ten-week span would crowd them', () => {
		const min = toDay('2025-09-01');
		const ticks = timeTicks(min, min + 70, 5);
		for (const t of ticks) expect(weekday(t.value)).toBe(1);
		expect(ticks[1]!.value - ticks[0]!.value).toBe(14);
	});

	it('puts month ticks on the 1st for a ten-month span, with the year on the first tick and on January', () => {
		const ticks = timeTicks(toDay('2025-04-10'), toDay('2026-02-10'));
		expect(ticks.map((t) => fromDay(t.value))).toEqual(['2025-05-01', '2025-07-01', '2025-09-01', '2025-11-01', '2026-01-01']);
		expect(ticks.map((t) => t.label)).toEqual(['May 2025', 'Jul', 'Sep', 'Nov', 'Jan 2026']);
	});

	it('ticks every month on a short span, starting at the range start when it is a 1st', () => {
		const ticks = timeTicks(toDay('2025-09-01'), toDay('2025-12-15'));
		expect(ticks.map((t) => t.label)).toEqual(['Sep 2025', 'Oct', 'Nov', 'Dec']);
	});

	it('puts year ticks on round years for decades', () => {
		const ticks = timeTicks(toDay('1990-03-01'), toDay('2025-06-01'));
		const years = ticks.map((t) => Number(t.label));
		expect(years[0]).toBe(1995);
		expect(years.at(-1)).toBe(2025);
		for (const y of years) expect(y % 5).toBe(0);
		for (const t of ticks) expect(fromDay(t.value)).toBe(`${t.label}-01-01`);
	});

	it('keeps every tick inside the range, in order', () => {
		for (const [from, to] of [['2025-10-01', '2025-11-12'], ['2025-01-15', '2025-11-15'], ['1950-06-01', '2025-06-01']] as const) {
			const min = toDay(from);
			const max = toDay(to);
			const values = timeTicks(min, max).map((t) => t.value);
			expect(values.length).toBeGreaterThan(1);
			for (const v of values) {
				expect(v).toBeGreaterThanOrEqual(min);
				expect(v).toBeLessThanOrEqual(max);
			}
			expect([...values].sort((a, b) => a - b)).toEqual(values);
		}
	});

	it('never gives more than maxTicks + 1 ticks, from days to two centuries', () => {
		for (const maxTicks of [3, 5, 8]) {
			for (let min = toDay('1990-01-01'); min < toDay('1992-01-01'); min += 37) {
				for (let span = 1; span < 75_000; span = Math.ceil(span * 1.15)) {
					const n = timeTicks(min, min + span, maxTicks).length;
					if (n > maxTicks + 1) {
						expect.fail(`${n} ticks for ${span} days from ${fromDay(min)} with maxTicks ${maxTicks}`);
					}
				}
			}
		}
	});
});

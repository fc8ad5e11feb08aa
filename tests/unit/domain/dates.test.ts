import { describe, it, expect } from 'vitest';
import {
	addDays,
	daysBetween,
	formatDate,
	fromTime,
	isIsoDate,
	periodEnd,
	periodStart,
	toTime,
	today
} from '../../../src/lib/domain/dates';

describe('isIsoDate', () => {
	it('accepts real calendar dates', () => {
		expect(isIsoDate('2025-11-13')).toBe(true);
		expect(isIsoDate('2024-02-29')).toBe(true);
		expect(isIsoDate('2025-12-31')).toBe(true);
	});
	it('refuses days that do not exist', () => {
		expect(isIsoDate('2025-02-30')).toBe(false);
		expect(isIsoDate('2025-02-29')).toBe(false);
		expect(isIsoDate('2025-04-31')).toBe(false);
		expect(isIsoDate('2025-13-01')).toBe(false);
		expect(isIsoDate('2025-00-10')).toBe(false);
		expect(isIsoDate('2025-01-00')).toBe(false);
	});
	it('refuses dates without zero padding', () => {
		expect(isIsoDate('2025-2-3')).toBe(false);
		expect(isIsoDate('2025-02-3')).toBe(false);
	});
	it('refuses other shapes', () => {
		expect(isIsoDate('')).toBe(false);
		expect(isIsoDate('2025-11')).toBe(false);
		expect(isIsoDate('2025-11-13T00:00:00Z')).toBe(false);
		expect(isIsoDate(' 2025-11-13')).toBe(false);
		expect(isIsoDate('13/11/2025')).toBe(false);
		expect(isIsoDate('2025-1a-01')).toBe(false);
		expect(isIsoDate('2025-+1-01')).toBe(false);
	});
	it('follows the Gregorian leap years, and agrees with the calendar on every day of four centuries', () => {
		expect(isIsoDate('1900-02-29')).toBe(false);
		expect(isIsoDate('2000-02-29')).toBe(true);
		expect(isIsoDate('2100-02-29')).toBe(false);
		const pad = (n: number, w: number) => String(n).padStart(w, '0');
		let disagreements = 0;
		for (let y = 1800; y < 2200; y++) {
			for (let m = 1; m <= 12; m++) {
				for (let d = 1; d <= 31; d++) {
					const t = new Date(Date.UTC(y, m - 1, d));
					const real = t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
					if (isIsoDate(`${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`) !== real) disagreements++;
				}
			}
		}
		expect(disagreements).toBe(0);
	});
});

describe('toTime / fromTime', () => {
	it('round-trips a date through UTC midnight', () => {
		expect(toTime('1970-01-02')).toBe(86_400_000);
		expect(fromTime(toTime('2024-02-29'))).toBe('2024-02-29');
	});
	it('throws on something that is not an ISO date', () => {
		expect(() => toTime('2025-2-3')).toThrow(/Not an ISO date/);
	});
});

describe('addDays', () => {
	it('crosses month, leap day and year ends', () => {
		expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
		expect(addDays('2025-02-28', 1)).toBe('2025-03-01');
		expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
		expect(addDays('2025-01-01', -1)).toBe('2024-12-31');
	});
});

describe('daysBetween', () => {
	it('counts whole days, negative when going back', () => {
		expect(daysBetween('2025-11-11', '2025-11-13')).toBe(2);
		expect(daysBetween('2025-11-13', '2025-11-11')).toBe(-2);
		expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
	});
});

describe('periodStart', () => {
	it('leaves a day as it is', () => {
		expect(periodStart('2025-07-19', 'day')).toBe('2025-07-19');
	});
	it('places a month at its first day', () => {
		expect(periodStart('2025-07-19', 'month')).toBe('2025-07-01');
	});
	it('places a year at 1 January', () => {
		expect(periodStart('2025-07-19', 'year')).toBe('2025-01-01');
	});
});

describe('periodEnd', () => {
	it('is the day itself for day precision', () => {
		expect(periodEnd('2025-07-19', 'day')).toBe('2025-07-19');
	});
	it('is the last day of the month, whatever day is given', () => {
		expect(periodEnd('2025-11-01', 'month')).toBe('2025-11-30');
		expect(periodEnd('2025-07-19', 'month')).toBe('2025-07-31');
		expect(periodEnd('2025-12-05', 'month')).toBe('2025-12-31');
	});
	it('knows February in leap and common years', () => {
		expect(periodEnd('2024-02-01', 'month')).toBe('2024-02-29');
		expect(periodEnd('2025-02-01', 'month')).toBe('2025-02-28');
		expect(periodEnd('1900-02-01', 'month')).toBe('1900-02-28');
		expect(periodEnd('2000-02-01', 'month')).toBe('2000-02-29');
	});
	it('is 31 December for year precision', () => {
		expect(periodEnd('2024-06-15', 'year')).toBe('2024-12-31');
	});
});

describe('formatDate', () => {
	it('writes a day in full, without a leading zero', () => {
		expect(formatDate('2025-11-13', 'day')).toBe('13 November 2025');
		expect(formatDate('2025-03-01', 'day')).toBe('1 March 2025');
	});
	it('defaults to day precision', () => {
		expect(formatDate('2025-11-13')).toBe('13 November 2025');
	});
	it('writes no day for month precision', () => {
		expect(formatDate('2025-11-01', 'month')).toBe('November 2025');
	});
	it('writes only the year for year precision', () => {
		expect(formatDate('2025-01-01', 'year')).toBe('2025');
	});
	it('shortens month names when asked', () => {
		expect(formatDate('2025-09-04', 'day', true)).toBe('4 Sep 2025');
		expect(formatDate('2025-09-01', 'month', true)).toBe('Sep 2025');
	});
});

describe('today', () => {
	it('is the UTC date of the given moment', () => {
		expect(today(new Date('2025-11-13T23:30:00-05:00'))).toBe('2025-11-14');
		expect(today(new Date('2025-11-13T00:00:00Z'))).toBe('2025-11-13');
	});
});

import type { DatePrecision } from './types';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTHS = [
	'January', 'February', 'March', 'April', 'May', 'June',
	'July', 'August', 'September', 'October', 'November', 'December'
];
const MS_PER_DAY = 86_400_000;

/** True for a real calendar date written YYYY-MM-DD ("2025-02-30" is not one). */
export function isIsoDate(value: string): boolean {
	const m = ISO_DATE.exec(value);
	if (!m) return false;
	const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
	const t = new Date(Date.UTC(y, mo - 1, d));
	return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** Milliseconds since the epoch at UTC midnight of an ISO date. */
export function toTime(date: string): number {
	const m = ISO_DATE.exec(date);
	if (!m) throw new Error(`Not an ISO date: ${date}`);
	return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

export function fromTime(time: number): string {
	return new Date(time).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
	return fromTime(toTime(date) + days * MS_PER_DAY);
}

export function daysBetween(from: string, to: string): number {
	return Math.round((toTime(to) - toTime(from)) / MS_PER_DAY);
}

/**
 * The date an event is placed at for ordering: the start of its period.
 * @example periodStart('2025-07-19', 'month') === '2025-07-01'
 */
export function periodStart(date: string, precision: DatePrecision): string {
	if (precision === 'year') return `${date.slice(0, 4)}-01-01`;
	if (precision === 'month') return `${date.slice(0, 7)}-01`;
	return date;
}

/** The last day of the period an event's date stands for. */
export function periodEnd(date: string, precision: DatePrecision): string {
	const start = periodStart(date, precision);
	if (precision === 'day') return start;
	const y = Number(start.slice(0, 4));
	const mo = Number(start.slice(5, 7));
	if (precision === 'year') return `${y}-12-31`;
	return fromTime(Date.UTC(y, mo, 1) - MS_PER_DAY);
}

/** A date as people read it, no more exact than its precision: "13 November 2025", "November 2025", "2025". */
export function formatDate(date: string, precision: DatePrecision = 'day', short = false): string {
	const y = date.slice(0, 4);
	if (precision === 'year') return y;
	const monthName = MONTHS[Number(date.slice(5, 7)) - 1] ?? '?';
	const month = short ? monthName.slice(0, 3) : monthName;
	if (precision === 'month') return `${month} ${y}`;
	return `${Number(date.slice(8, 10))} ${month} ${y}`;
}

/** Today's date in UTC as YYYY-MM-DD. */
export function today(now: Date = new Date()): string {
	return now.toISOString().slice(0, 10);
}

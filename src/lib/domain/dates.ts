import type { DatePrecision } from './types';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTHS = [
	'January', 'February', 'March', 'April', 'May', 'June',
	'July', 'August', 'September', 'October', 'November', 'December'
];
const MS_PER_DAY = 86_400_000;

/** True for a real calendar date written YYYY-MM-DD ("2025-02-30" is not one). */
export function isIsoDate(value: string): boolean {
	// Read digit by digit (a bulk import checks every row's date: no match object, no Date).
	if (value.length !== 10 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45) return false;
	const y = digits(value, 0, 4);
	const mo = digits(value, 5, 7);
	const d = digits(value, 8, 10);
	// Years 0-99 stay refused, as when this was read through Date.UTC (which takes them for 1900-1999).
	if (y < 100 || mo < 1 || mo > 12 || d < 1) return false;
	return d <= (mo === 2 ? (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28) : DAYS_IN_MONTH[mo - 1]!);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The number written by the digits from `from` to `to`, or -1 if any is not a digit. */
function digits(value: string, from: number, to: number): number {
	let n = 0;
	for (let i = from; i < to; i++) {
		const c = value.charCodeAt(i) - 48;
		if (c < 0 || c > 9) return -1;
		n = n * 10 + c;
	}
	return n;
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

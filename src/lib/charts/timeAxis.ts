import { formatDate, fromTime, toTime } from '../domain/dates';

/**
 * The charts' x axis counts whole days since 1970-01-01 (UTC) on a linear scale, so a date reads
 * the same in every time zone and on the server renderer as in the browser.
 */
export const MS_PER_DAY = 86_400_000;

export const toDay = (date: string): number => toTime(date) / MS_PER_DAY;
export const fromDay = (day: number): string => fromTime(Math.round(day) * MS_PER_DAY);

export interface TimeTick {
	value: number;
	label: string;
}

const SHORT_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Calendar ticks between two days: weekly ticks (on Mondays) for spans up to ten weeks, month
 * starts (every 1, 2, 3 or 6 months) up to four years, years beyond. At most about `maxTicks`.
 */
export function timeTicks(minDay: number, maxDay: number, maxTicks = 8): TimeTick[] {
	const span = maxDay - minDay;
	const ticks: TimeTick[] = [];
	if (span <= 70) {
		const stepWeeks = Math.max(1, Math.ceil(span / 7 / maxTicks));
		// 1970-01-01 was a Thursday; day 4 is the first Monday.
		let d = Math.ceil((minDay - 4) / 7) * 7 + 4;
		for (; d <= maxDay; d += 7 * stepWeeks) {
			const date = fromDay(d);
			ticks.push({ value: d, label: `${Number(date.slice(8, 10))} ${SHORT_MONTHS[Number(date.slice(5, 7)) - 1]}` });
		}
		return ticks;
	}
	const months = span / 30.44;
	// When even six-monthly ticks would be too many (a small panel over years), use years.
	const monthStep = [1, 2, 3, 6].find((s) => months / s <= maxTicks);
	if (span <= 4 * 366 && monthStep !== undefined) {
		const step = monthStep;
		const start = fromDay(minDay);
		let y = Number(start.slice(0, 4));
		let m = Number(start.slice(5, 7)) - 1;
		if (start.slice(8, 10) !== '01') m += 1;
		while (m % step !== 0) m += 1;
		for (;;) {
			y += Math.floor(m / 12);
			m %= 12;
			const d = Date.UTC(y, m, 1) / MS_PER_DAY;
			if (d > maxDay) break;
			ticks.push({ value: d, label: m === 0 || ticks.length === 0 ? `${SHORT_MONTHS[m]} ${y}` : SHORT_MONTHS[m]! });
			m += step;
		}
		return ticks;
	}
	const years = span / 365.25;
	const step = [1, 2, 5, 10, 20, 25, 50].find((s) => years / s <= maxTicks) ?? 100;
	let y = Math.ceil(Number(fromDay(minDay).slice(0, 4)) / step) * step;
	for (; ; y += step) {
		const d = Date.UTC(y, 0, 1) / MS_PER_DAY;
		if (d < minDay) continue;
		if (d > maxDay) break;
		ticks.push({ value: d, label: String(y) });
	}
	return ticks;
}

/** A day as people read it, e.g. for tooltips: "13 November 2025". */
export const formatDay = (day: number): string => formatDate(fromDay(day));

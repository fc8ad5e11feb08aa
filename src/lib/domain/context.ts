/**
 * Context events: dated context on an issue's timeline that is not a stance ("2 Sep 2025: first
 * US strike on a boat"), a day or a span. Pure: how they read as text and what stretch of time
 * they cover; the charts draw them (charts/plugins.ts) and the text alternatives list them.
 */
import { formatDate, periodEnd, periodStart } from './dates';
import type { DatePrecision } from './types';

export interface ContextEvent {
	id: number;
	/** The issue's slug. */
	issue: string;
	/** First day of the start's period. */
	date: string;
	datePrecision: DatePrecision;
	/** First day of the end's period for a span; null for a single day (or month, or year). */
	endDate: string | null;
	label: string;
	source: { outlet: string; title: string | null; url: string | null; publishedOn: string | null };
	version?: number;
}

/** The first and last day a context event covers: a day, a month or year, or a span's whole periods. */
export function contextSpan(c: Pick<ContextEvent, 'date' | 'datePrecision' | 'endDate'>): { from: string; to: string } {
	return { from: periodStart(c.date, c.datePrecision), to: periodEnd(c.endDate ?? c.date, c.datePrecision) };
}

/** Is it drawn as a band (a span, or a month or year) rather than a line at one day? */
export function isBand(c: Pick<ContextEvent, 'date' | 'datePrecision' | 'endDate'>): boolean {
	const { from, to } = contextSpan(c);
	return from !== to;
}

/** When it happened, as people read it: "2 September 2025", "24 October to 3 November 2025", "September 2025". */
export function contextWhen(c: Pick<ContextEvent, 'date' | 'datePrecision' | 'endDate'>, short = false): string {
	const start = formatDate(c.date, c.datePrecision, short);
	if (c.endDate === null || periodStart(c.endDate, c.datePrecision) === periodStart(c.date, c.datePrecision)) return start;
	return `${start} to ${formatDate(c.endDate, c.datePrecision, short)}`;
}

/** One line for lists and text alternatives: "2 September 2025: First US strike on a boat (Reuters)". */
export function contextText(c: ContextEvent, withSource = true): string {
	return `${contextWhen(c)}: ${c.label}${withSource ? ` (${c.source.outlet})` : ''}`;
}

/** Context events that touch a date range (inclusive, YYYY-MM-DD), in date order. */
export function contextInRange<T extends Pick<ContextEvent, 'date' | 'datePrecision' | 'endDate'>>(list: readonly T[], from: string, to: string): T[] {
	return list
		.filter((c) => {
			const s = contextSpan(c);
			return s.to >= from && s.from <= to;
		})
		.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

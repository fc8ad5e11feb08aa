import { formatDate } from '../domain/dates';
import { formatPosition, labelFor } from '../domain/scale';
import type { Scale } from '../domain/types';
import type { ChartSeries } from './stanceLine';
import { meanIntervalText } from './detail';

const pct = (n: number, of: number) => `${Math.round((100 * n) / of)}%`;

/**
 * The rows of an aggregated series' text alternative, one per period as the chart draws it: the
 * period (a row header), events, then average (with its mean uncertainty interval, when its events
 * have intervals) and range (lines) or each stance's share (lanes),
 * then changes of stance.
 */
export function periodRows(series: ChartSeries, scale: Scale): string[][] {
	const bucket = series.bucket ?? 'month';
	if (series.periods) {
		return series.periods.map((p) => [
			formatDate(p.date, bucket),
			String(p.count),
			`${formatPosition(Math.round(p.mean * 100) / 100)} (${labelFor(scale, p.mean)})` + (p.interval ? `, ${meanIntervalText(p.interval, p.count)}` : ''),
			p.min === p.max ? labelFor(scale, p.min) : `${labelFor(scale, p.min)} to ${labelFor(scale, p.max)}`,
			String(p.changes)
		]);
	}
	return (series.shares ?? []).map((p) => [
		formatDate(p.date, bucket),
		String(p.count),
		[...p.shares]
			.sort((a, b) => b.count - a.count)
			.map((s) => `${labelFor(scale, s.value)} ${pct(s.count, p.count)}`)
			.join(', '),
		String(p.changes)
	]);
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/**
 * Table rows as HTML (the first cell a row header), every text escaped: a page hydrates hundreds
 * of such rows as one block instead of an effect per cell, which held back the chart's first draw.
 */
export function rowsHtml(rows: readonly (readonly string[])[]): string {
	return rows.map(([head, ...cells]) => `<tr><th scope="row">${escape(head ?? '')}</th>${cells.map((c) => `<td>${escape(c)}</td>`).join('')}</tr>`).join('');
}

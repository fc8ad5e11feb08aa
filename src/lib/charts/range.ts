import { addDays, daysBetween } from '../domain/dates';
import { dateExtent, type Series } from '../domain/series';

export interface DateRange {
	from: string;
	to: string;
}

/**
 * The range a chart shows when none is asked for: from the first to the last point, padded by
 * a tenth of the span (at least a week) on each side so the last stance visibly holds.
 * Points known only to the year do not stretch the range (a "2025" placed at 1 January would
 * squeeze a November story into a corner); their stance enters from the left edge.
 */
export function defaultRange(seriesList: readonly Series[], fallbackEnd: string): DateRange {
	const finer = seriesList.map((s) => ({ ...s, points: s.points.filter((p) => p.datePrecision !== 'year') }));
	const extent = dateExtent(finer) ?? dateExtent(seriesList);
	if (!extent) return { from: addDays(fallbackEnd, -30), to: fallbackEnd };
	const pad = Math.max(7, Math.round(daysBetween(extent.from, extent.to) / 10));
	return { from: addDays(extent.from, -pad), to: addDays(extent.to, pad) };
}

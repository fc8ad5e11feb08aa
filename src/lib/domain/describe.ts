import { formatDate } from './dates';
import { labelFor } from './scale';
import type { SeriesPoint } from './series';
import type { Scale } from './types';

/**
 * A sentence that tells a series as text, the charts' text alternative.
 * @example "Colombia: Halt from 11 November 2025, then Maintain from 13 November 2025."
 */
export function describeSeries(
	series: { points: readonly Pick<SeriesPoint, 'date' | 'datePrecision' | 'position'>[]; actor?: string; issue?: string },
	scale: Scale,
	actorName: string,
	maxParts = Infinity
): string {
	const parts: string[] = [];
	let prevLabel: string | null = null;
	for (const p of series.points) {
		const label = labelFor(scale, p.position);
		const when = formatDate(p.date, p.datePrecision);
		const at = p.datePrecision === 'day' ? `from ${when}` : `from ${when} (approximate date)`;
		if (label === prevLabel) continue;
		parts.push(`${label} ${at}`);
		prevLabel = label;
	}
	if (parts.length === 0) return `${actorName}: no recorded stance.`;
	if (parts.length > maxParts) {
		const more = parts.length - maxParts;
		return `${actorName}: ${parts.slice(0, maxParts).join(', then ')}, then ${more} more change${more > 1 ? 's' : ''} of stance (listed in the events table).`;
	}
	return `${actorName}: ${parts.join(', then ')}.`;
}

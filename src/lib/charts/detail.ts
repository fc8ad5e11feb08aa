import { formatDate } from '../domain/dates';
import { formatPosition, formatPositionWithInterval, labelFor } from '../domain/scale';
import type { Actor, Issue, Scale, Source, StanceEvent } from '../domain/types';

/** What a tooltip, a marker's accessible name and a table row say about one event. */
export interface EventDetail {
	id: number;
	actorSlug: string;
	actorName: string;
	color: string;
	issueTitle: string;
	date: string;
	dateLabel: string;
	approximate: boolean;
	position: number;
	/** The position as a number, with its uncertainty interval when it has one. */
	positionText: string;
	positionLabel: string;
	speakerName: string | null;
	targetName: string | null;
	kind: string;
	summary: string;
	quote: string | null;
	sources: Source[];
}

/** Event details keyed by event id, with names resolved from slugs. */
export function eventDetails(
	events: readonly StanceEvent[],
	actors: readonly Actor[],
	issues: readonly Issue[]
): Map<number, EventDetail> {
	const actorBy = new Map(actors.map((a) => [a.slug, a]));
	const issueBy = new Map(issues.map((i) => [i.slug, i]));
	const out = new Map<number, EventDetail>();
	for (const e of events) {
		const actor = actorBy.get(e.actor);
		const issue = issueBy.get(e.issue);
		out.set(e.id, {
			id: e.id,
			actorSlug: e.actor,
			actorName: actor?.name ?? e.actor,
			color: actor?.color ?? '#888888',
			issueTitle: issue?.title ?? e.issue,
			date: e.date,
			dateLabel: formatDate(e.date, e.datePrecision),
			approximate: e.datePrecision !== 'day',
			position: e.position,
			positionText: formatPositionWithInterval(e.position, e.positionLow, e.positionHigh),
			positionLabel: issue ? labelFor(issue.scale, e.position) : formatPosition(e.position),
			speakerName: e.speaker ? (actorBy.get(e.speaker)?.name ?? e.speaker) : null,
			targetName: e.target ? (actorBy.get(e.target)?.name ?? e.target) : null,
			kind: e.kind,
			summary: e.summary,
			quote: e.quote,
			sources: e.sources
		});
	}
	return out;
}

/**
 * The accessible name of a chart marker, which stands for one event or for several that share an
 * actor, a date and a position: "Colombia, 13 November 2025: Maintain (Pedro Arnulfo Sánchez; Armando Benedetti)".
 */
export function markerName(ds: readonly EventDetail[]): string {
	const d = ds[0];
	if (!d) return '';
	const speakers = [...new Set(ds.map((x) => x.speakerName).filter((n): n is string => n !== null))];
	return (
		`${d.actorName}, ${d.dateLabel}${d.approximate ? ' (approximate)' : ''}: ${d.positionLabel}` +
		(speakers.length ? ` (${speakers.join('; ')})` : '') +
		(ds.length > 1 ? `, ${ds.length} events` : '')
	);
}

/**
 * What a tooltip and a marker's accessible name say about one period of an aggregated series:
 * "Colombia, 2003: 57 events, average +0.4 (Maintain), ranging Restrict to Expand, 12 changes of stance".
 */
export function periodText({
	actorName,
	date,
	bucket,
	count,
	mean,
	min,
	max,
	changes,
	scale,
	interval = null
}: {
	actorName: string;
	date: string;
	bucket: 'month' | 'year';
	count: number;
	mean: number;
	min: number;
	max: number;
	changes: number;
	scale: Scale;
	/** The period's mean uncertainty interval, over the events that have one. */
	interval?: { low: number; high: number; events: number } | null;
}): string {
	const range = min === max ? `all ${labelFor(scale, min)}` : `ranging ${labelFor(scale, min)} to ${labelFor(scale, max)}`;
	return (
		`${actorName}, ${formatDate(date, bucket)}: ${count} event${count === 1 ? '' : 's'}, average ${formatPosition(Math.round(mean * 100) / 100)} (${labelFor(scale, mean)}), ${range}` +
		(interval ? `, ${meanIntervalText(interval, count)}` : '') +
		(changes ? `, ${changes} change${changes === 1 ? '' : 's'} of stance` : '')
	);
}

/** A period's mean interval in words: "mean interval −0.5 to +1.2" (", over 3 of 5 events" when not all have one). */
export function meanIntervalText(interval: { low: number; high: number; events: number }, count: number): string {
	const r = (n: number) => formatPosition(Math.round(n * 100) / 100);
	return `mean interval ${r(interval.low)} to ${r(interval.high)}${interval.events < count ? ` (over ${interval.events} of ${count} events)` : ''}`;
}

/** The same for a period of an aggregated lane: "Colombia, 2003: 57 events: Yes 80%, No 20%". */
export function sharesText({
	actorName,
	date,
	bucket,
	count,
	changes,
	shares,
	scale
}: {
	actorName: string;
	date: string;
	bucket: 'month' | 'year';
	count: number;
	changes: number;
	shares: readonly { value: number; count: number }[];
	scale: Scale;
}): string {
	const parts = [...shares].sort((a, b) => b.count - a.count).map((s) => `${labelFor(scale, s.value)} ${Math.round((100 * s.count) / count)}%`);
	return `${actorName}, ${formatDate(date, bucket)}: ${count} event${count === 1 ? '' : 's'}: ${parts.join(', ')}` + (changes ? `; ${changes} change${changes === 1 ? '' : 's'} of stance` : '');
}

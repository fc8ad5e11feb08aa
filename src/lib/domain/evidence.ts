import { DEFAULT_CHANGE_RULES, runAnchor, stanceRuns, type ChangeRules, type RunPoint, type StanceRun } from './changes';
import { daysBetween, formatDate, periodEnd } from './dates';
import { labelFor } from './scale';
import type { Series, SeriesPoint } from './series';
import type { DatePrecision, Scale, Source } from './types';

/** What backs the stance an actor holds on an issue now. */
export interface StanceEvidence {
	kind: 'stance';
	position: number;
	label: string;
	/** Since when the stance holds: the date its change is dated by, and that date's precision. */
	since: string;
	sincePrecision: DatePrecision;
	/** How many events state it, and how many distinct sources those cite. */
	events: number;
	sources: number;
	/** The latest event that states it. */
	lastStated: DatedPoint;
	/** Days from the end of the last statement's period to `today`. */
	daysSinceStated: number;
	/** True when not restated for longer than the staleness period: "no recent statement". */
	stale: boolean;
}

/** What evidence needs of an event: where it sits in time and what it says. */
export interface DatedPoint {
	eventId: number;
	date: string;
	datePrecision: DatePrecision;
	position: number;
}

/**
 * The current stance as a bounded read finds it (see server/queries/evidence.ts): its first events
 * in series order (enough to date it), its latest event, and how many events and distinct sources
 * state it, counted in the database.
 */
export interface CurrentRun {
	head: readonly DatedPoint[];
	last: DatedPoint;
	events: number;
	sources: number;
}

/** No event yet: always told apart from a neutral position. */
export interface NoKnownPosition {
	kind: 'none';
}

/** Sources are the same when outlet, title and URL match (case and spacing aside). */
export function sourceKey(s: Source): string {
	return [s.outlet, s.title ?? '', s.url ?? ''].map((x) => x.trim().toLowerCase()).join('\u0000');
}

function countSources(points: readonly SeriesPoint[]): number {
	return new Set(points.flatMap((p) => p.event.sources.map(sourceKey))).size;
}

/**
 * The evidence behind the current stance of a series at `today`: since when it holds, how many
 * events and sources support it, when it was last stated, and whether that was longer ago than the
 * staleness period. An event known only to a month or year counts as stated at the end of its period.
 * @example stanceEvidence({ series, scale, today: '2027-01-01' }) // { label: 'Maintain', since: '2025-11-13', events: 2, stale: true, … }
 */
export function stanceEvidence({
	series,
	scale,
	today,
	rules = DEFAULT_CHANGE_RULES
}: {
	series: Series | null;
	scale: Scale;
	today: string;
	rules?: Partial<ChangeRules>;
}): StanceEvidence | NoKnownPosition {
	if (!series || series.points.length === 0) return { kind: 'none' };
	const run = stanceRuns({ series, scale, rules }).at(-1)!;
	return evidenceOfRun({ run: { head: run.points, last: run.points.at(-1)!, events: run.points.length, sources: countSources(run.points) }, scale, today, rules });
}

/**
 * The same evidence from a current stance read in parts (a bounded read of a long series), or
 * "no known position" for none. Dated as the change records date it (see `runAnchor`).
 * @example evidenceOfRun({ run: { head, last, events: 40, sources: 12 }, scale, today: '2027-01-01' })
 */
export function evidenceOfRun({
	run,
	scale,
	today,
	rules = DEFAULT_CHANGE_RULES
}: {
	run: CurrentRun | null;
	scale: Scale;
	today: string;
	rules?: Partial<ChangeRules>;
}): StanceEvidence | NoKnownPosition {
	if (!run) return { kind: 'none' };
	const anchor = runAnchor(run.head.length ? run.head : [run.last]);
	const stated = periodEnd(run.last.date, run.last.datePrecision);
	const days = Math.max(0, daysBetween(stated, today));
	return {
		kind: 'stance',
		position: run.last.position,
		label: labelFor(scale, run.last.position),
		since: anchor.date,
		sincePrecision: anchor.datePrecision,
		events: run.events,
		sources: run.sources,
		lastStated: { eventId: run.last.eventId, date: run.last.date, datePrecision: run.last.datePrecision, position: run.last.position },
		daysSinceStated: days,
		stale: days > (rules.staleAfterDays ?? DEFAULT_CHANGE_RULES.staleAfterDays)
	};
}

/** The stance a drawn point belongs to, as a chart's tooltip tells it. */
export interface PointStance {
	position: number;
	label: string;
	/** Since when the stance holds (as the change records date it), and that date's precision. */
	since: string;
	sincePrecision: DatePrecision;
	/**
	 * True when the stance was already held by the stance carried in from before the chart's range
	 * (its only point before the range): it holds since `since` or earlier.
	 */
	orEarlier: boolean;
	/** The latest event of the stance among the points given, and its date. */
	lastEventId: number;
	lastStated: string;
	lastStatedPrecision: DatePrecision;
	/** Where the next stance starts (exclusive), or null when none follows among the points given. */
	until: string | null;
	untilPrecision: DatePrecision | null;
	/** Days from `since` to `until` (0 while it still holds). */
	days: number;
	/** Events of the stance among the points given. */
	events: number;
}

/**
 * The stance each point of a chart belongs to, by event id: since when it held, when it was last
 * stated and until when, among the points given (a chart's points: those in its range and the
 * one stance carried in from before `from`).
 * @example pointStances({ points, scale }).get(petroId) // { label: 'Halt', since: '2025-11-11', lastStated: '2025-11-11', until: '2025-11-13', … }
 */
export function pointStances<P extends RunPoint & { eventId: number }>({
	points,
	scale,
	rules = DEFAULT_CHANGE_RULES,
	from = null
}: {
	points: readonly P[];
	scale: Scale;
	rules?: Partial<ChangeRules>;
	/** The chart's first day: a single point before it is the stance carried in, which may have begun earlier. */
	from?: string | null;
}): Map<number, PointStance> {
	const out = new Map<number, PointStance>();
	const carried = from !== null && points.length > 0 && points[0]!.date < from && !(points.length > 1 && points[1]!.date < from);
	const runs = stanceRuns({ series: { points }, scale, rules });
	runs.forEach((run, i) => {
		const last = run.points.at(-1)!;
		const next = runs[i + 1];
		const stance: PointStance = {
			position: run.position,
			label: labelFor(scale, run.position),
			since: run.from,
			sincePrecision: run.anchor.datePrecision,
			orEarlier: i === 0 && carried,
			lastEventId: last.eventId,
			lastStated: last.date,
			lastStatedPrecision: last.datePrecision,
			until: run.to,
			untilPrecision: next?.anchor.datePrecision ?? null,
			days: run.to ? Math.max(0, daysBetween(run.from, run.to)) : 0,
			events: run.points.length
		};
		for (const p of run.points) out.set(p.eventId, stance);
	});
	return out;
}

/**
 * What a tooltip says of the stance at a point: since when it held and when it was last stated,
 * and until when when another followed. For the actor's current stance (`evidence`, read from the
 * whole record, whose last statement is this stance's), the full evidence instead: events,
 * sources and "no recent statement".
 * @example describePointStance(petro) === 'Halt since 11 Nov 2025; last stated 11 Nov 2025; held 2 days, until 13 Nov 2025'
 */
export function describePointStance(s: PointStance, evidence?: StanceEvidence | NoKnownPosition | null): string {
	if (evidence?.kind === 'stance' && s.until === null && evidence.lastStated.eventId === s.lastEventId) return describeEvidence(evidence);
	const since = `since ${formatDate(s.since, s.sincePrecision, true)}${s.orEarlier ? ' or earlier' : ''}`;
	const last = `last stated ${formatDate(s.lastStated, s.lastStatedPrecision, true)}`;
	const held = s.until ? `; held ${s.orEarlier ? 'at least ' : ''}${formatDuration(s.days)}, until ${formatDate(s.until, s.untilPrecision ?? 'day', true)}` : '';
	return `${s.label} ${since}; ${last}${held}`;
}

/** How long one stance lasted, for the lanes view and tables. */
export interface StanceSpan {
	from: string;
	fromPrecision: DatePrecision;
	/** Exclusive: where the next stance starts; null while it still holds. */
	to: string | null;
	toPrecision: DatePrecision | null;
	position: number;
	label: string;
	/** Days from `from` to `to`, or to `today` while it holds. */
	days: number;
	holding: boolean;
	events: number;
	/** The uncertainty interval of its latest event, when that has one. */
	interval: { low: number; high: number } | null;
}

/** Each stance a series held, with how long it lasted (up to `today` for the one still held). */
export function stanceSpans({
	series,
	scale,
	today,
	rules = DEFAULT_CHANGE_RULES
}: {
	series: { points: readonly RunPoint[] };
	scale: Scale;
	today: string;
	rules?: Partial<ChangeRules>;
}): StanceSpan[] {
	const runs = stanceRuns({ series, scale, rules });
	return runs.map((run: StanceRun<RunPoint>, i) => ({
		from: run.from,
		fromPrecision: run.anchor.datePrecision,
		to: run.to,
		toPrecision: runs[i + 1]?.anchor.datePrecision ?? null,
		position: run.position,
		label: labelFor(scale, run.position),
		days: Math.max(0, daysBetween(run.from, run.to ?? today)),
		holding: run.to === null,
		events: run.points.length,
		interval: intervalOf(run.points.at(-1)!)
	}));
}

function intervalOf(p: RunPoint & { positionLow?: number | null; positionHigh?: number | null }): { low: number; high: number } | null {
	return p.positionLow != null && p.positionHigh != null ? { low: p.positionLow, high: p.positionHigh } : null;
}

/**
 * Two dates as a short range, sharing what they share: "11–13 Nov 2025", "28 Oct – 13 Nov 2025",
 * "Nov 2024 – 13 Nov 2025". Each date is no more exact than its precision.
 */
export function formatDateRange(from: string, fromPrecision: DatePrecision, to: string, toPrecision: DatePrecision): string {
	if (from === to && fromPrecision === toPrecision) return formatDate(from, fromPrecision, true);
	if (fromPrecision === 'day' && toPrecision === 'day') {
		if (from.slice(0, 7) === to.slice(0, 7)) return `${Number(from.slice(8, 10))}–${formatDate(to, 'day', true)}`;
		if (from.slice(0, 4) === to.slice(0, 4)) return `${formatDate(from, 'day', true).slice(0, -5)} – ${formatDate(to, 'day', true)}`;
	}
	return `${formatDate(from, fromPrecision, true)} – ${formatDate(to, toPrecision, true)}`;
}

/**
 * How long a stance lasted, in words: "Halt, 2 days (11–13 Nov 2025)"; the one still held
 * "Maintain, since 13 Nov 2025 (1 year)".
 */
export function describeSpan(span: StanceSpan): string {
	if (span.holding) return `${span.label}, since ${formatDate(span.from, span.fromPrecision, true)} (${formatDuration(span.days)})`;
	return `${span.label}, ${formatDuration(span.days)} (${formatDateRange(span.from, span.fromPrecision, span.to!, span.toPrecision ?? 'day')})`;
}

/**
 * A duration as people read it, coarse on purpose: "same day", "1 day", "12 days", "3 months", "2 years".
 * @example formatDuration(400) === '1 year'
 */
export function formatDuration(days: number): string {
	if (days <= 0) return 'same day';
	if (days < 60) return days === 1 ? '1 day' : `${days} days`;
	if (days < 730) {
		const months = Math.round(days / 30.44);
		return months >= 12 ? '1 year' : `${months} months`;
	}
	return `${Math.floor(days / 365.25)} years`;
}

/** What a label's evidence says, in parts a page lays out: "since 11 Nov 2025", "2 events, 3 sources", "last stated 13 Nov 2025". */
export interface EvidenceText {
	since: string;
	support: string;
	lastStated: string;
	/** "No recent statement" when stale, else null. */
	staleNote: string | null;
}

const plural = (n: number, one: string) => `${n.toLocaleString('en-GB')} ${one}${n === 1 ? '' : 's'}`;

/** The evidence of a stance as words, dates as short as their precision allows. */
export function evidenceText(ev: StanceEvidence): EvidenceText {
	return {
		since: `since ${formatDate(ev.since, ev.sincePrecision, true)}`,
		support: `${plural(ev.events, 'event')}, ${plural(ev.sources, 'source')}`,
		lastStated: `last stated ${formatDate(ev.lastStated.date, ev.lastStated.datePrecision, true)}`,
		staleNote: ev.stale ? 'No recent statement' : null
	};
}

/**
 * The evidence in one line, for tooltips, tables and accessible names.
 * @example describeEvidence(ev) === 'Halt since 11 Nov 2025; 2 events, 3 sources; last stated 13 Nov 2025; no recent statement'
 */
export function describeEvidence(ev: StanceEvidence | NoKnownPosition): string {
	if (ev.kind === 'none') return 'No known position';
	const t = evidenceText(ev);
	return `${ev.label} ${t.since}; ${t.support}; ${t.lastStated}` + (t.staleNote ? `; ${t.staleNote.toLowerCase()}` : '');
}

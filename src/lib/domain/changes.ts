import { addDays, daysBetween, periodEnd } from './dates';
import { midpoint } from './scale';
import type { Series, SeriesPoint } from './series';
import type { IssueRules, Scale, StanceEvent } from './types';

export const CHANGE_CLASSES = ['shift', 'reversal', 'clarification'] as const;
export type ChangeClass = (typeof CHANGE_CLASSES)[number];
/** Hardening: the new stance is further from the scale's midpoint than the old; softening: nearer. */
export type ChangeDirection = 'hardening' | 'softening' | 'sideways';

/**
 * Why a change has its class:
 * - `other-speaker`: another speaker of the same actor moved back toward the earlier stance;
 * - `walk-back`: the stance left had held no longer than the walk-back window, and the move goes
 *   back toward the stance before it;
 * - `recorded-kind`: the event that starts the new stance was recorded as a clarification or a reversal;
 * - `midpoint`: the move crosses the scale's midpoint;
 * - `partial`: none of the above, a shift;
 * - `editor`: an editor confirmed or overrode the class (see `confirmation`).
 */
export type ChangeBasis = 'other-speaker' | 'walk-back' | 'recorded-kind' | 'midpoint' | 'partial' | 'editor';

/** The thresholds that turn a series into change records; each issue may set its own. */
export interface ChangeRules {
	/**
	 * Smallest move that counts, as a share of the scale (0..1). 0: any difference in position.
	 * Smaller moves are restatements of the stance held; they add up until they pass the threshold.
	 */
	minShare: number;
	/** A move back toward the earlier stance within this many days of leaving it is a walk-back (clarification). */
	walkBackDays: number;
	/** A stance not restated for longer than this many days is marked "no recent statement". */
	staleAfterDays: number;
}

/** The rules every issue has unless it sets its own. */
export const DEFAULT_CHANGE_RULES: Readonly<ChangeRules> = Object.freeze({ minShare: 0, walkBackDays: 7, staleAfterDays: 365 });

/** An issue's own rules as change rules: the ones it sets (null ones fall back to the defaults). */
export function rulesOf(rules: IssueRules | null | undefined): Partial<ChangeRules> {
	const own: Partial<ChangeRules> = {};
	if (rules?.minShare != null) own.minShare = rules.minShare;
	if (rules?.walkBackDays != null) own.walkBackDays = rules.walkBackDays;
	if (rules?.staleAfterDays != null) own.staleAfterDays = rules.staleAfterDays;
	return own;
}

/** The rules in force for an issue: its own where set, else the defaults. */
export function effectiveRules(rules: IssueRules | null | undefined): ChangeRules {
	return { ...DEFAULT_CHANGE_RULES, ...rulesOf(rules) };
}

/** A walk-back within this many days of the stance it returns from counts as a clarification (the default rule). */
export const WALK_BACK_DAYS = DEFAULT_CHANGE_RULES.walkBackDays;

/** An editor's word on a change's class, tied to the event that starts the change. */
export interface ClassConfirmation {
	/** The event that starts the change (`Change.to.eventId`). */
	eventId: number;
	class: ChangeClass;
	/** Required when it overrides the rules' class; optional for a plain confirmation. */
	reason: string | null;
	/** When it was given (ISO date-time), for lists and feeds. */
	at?: string;
}

/** What splitting a series into stances needs of a point. */
export type RunPoint = Pick<SeriesPoint, 'date' | 'datePrecision' | 'position'>;

/**
 * What deriving changes needs of a point: its place, position and id, and of its event the
 * speaker (compared only for equality), whether it has a quote (only its truth is read) and its
 * kind. A SeriesPoint is one; the stored change records derive from a lighter read (queries/changes.ts).
 */
export interface ChangePoint extends RunPoint {
	eventId: number;
	event: Pick<StanceEvent, 'speaker' | 'quote' | 'kind'>;
}

/** A stretch of the series over which one stance holds (moves under `minShare` included). */
export interface StanceRun<P extends RunPoint = SeriesPoint> {
	/** The events that state this stance, in series order. */
	points: P[];
	/** The point the stance is dated by: the first one, or the first exactly dated one within its period. */
	anchor: P;
	/** Where the stance starts: the anchor's date. */
	from: string;
	/** Where the next stance starts (exclusive); null while it still holds. */
	to: string | null;
	/** The stance held: the latest point's position. */
	position: number;
}

export interface Change<P extends ChangePoint = SeriesPoint> {
	actor: string;
	issue: string;
	/** The last event of the stance left. */
	from: P;
	/** The event the new stance is dated by (see `StanceRun.anchor`). */
	to: P;
	/** Every event of the new stance on the same date as `to`, `to` first: same-day statements by several speakers. */
	toPoints: P[];
	/** The events of the stance left, and of the new stance until the next change. */
	before: P[];
	after: P[];
	/** The quotes that explain the move: the latest quoted event of the stance left, and the first of the new one near its start. */
	quoteBefore: P | null;
	quoteAfter: P | null;
	/** Signed move in scale points (to - from). */
	delta: number;
	/** Size of the move as a share of the whole scale, 0..1. */
	share: number;
	direction: ChangeDirection;
	/** Which end of the scale the move goes toward. */
	toward: 'min' | 'max';
	/** The class shown: an editor's where one was given, else the rules'. */
	class: ChangeClass;
	/** The class the rules give. */
	ruleClass: ChangeClass;
	basis: ChangeBasis;
	/** The rules' basis, also when an editor's class is shown. */
	ruleBasis: Exclude<ChangeBasis, 'editor'>;
	/** Set when an editor confirmed (`confirmed`) or overrode (`overridden`) the class. */
	confirmation: (ClassConfirmation & { status: 'confirmed' | 'overridden' }) | null;
}

function side(value: number, mid: number): -1 | 0 | 1 {
	return value > mid ? 1 : value < mid ? -1 : 0;
}

/** True when `day` lies within the period `p` stands for (a month or a year). */
function within(p: Pick<SeriesPoint, 'date' | 'datePrecision'>, day: string): boolean {
	return day >= p.date && day <= periodEnd(p.date, p.datePrecision);
}

/**
 * The point a stance is dated by, from its events in series order: the first, or when that one is
 * known only to a month or year, the first exactly dated event within that period.
 */
export function runAnchor<P extends Pick<SeriesPoint, 'date' | 'datePrecision'>>(points: readonly P[]): P {
	const first = points[0]!;
	if (first.datePrecision === 'day') return first;
	return points.find((p) => p.datePrecision === 'day' && within(first, p.date)) ?? first;
}

/**
 * Splits a series into the stances it holds. A point joins the current stance when it moves less
 * than `minShare` of the scale away from the stance's first position. A stance whose first event is
 * known only to a month or year is dated by its first exactly dated event within that period, when
 * there is one (an interview "in November" and an announcement on 11 November: the move is dated
 * 11 November).
 */
export function stanceRuns<P extends RunPoint = SeriesPoint>({
	series,
	scale,
	rules = DEFAULT_CHANGE_RULES
}: {
	series: { points: readonly P[] };
	scale: Scale;
	rules?: Partial<ChangeRules>;
}): StanceRun<P>[] {
	const minMove = (rules.minShare ?? 0) * (scale.max - scale.min);
	const runs: StanceRun<P>[] = [];
	let cur: StanceRun<P> | null = null;
	for (const point of series.points) {
		if (cur) {
			const move = Math.abs(point.position - cur.points[0]!.position);
			const same = minMove > 0 ? move < minMove : move === 0;
			if (same) {
				cur.points.push(point);
				cur.position = point.position;
				continue;
			}
		}
		cur = { points: [point], anchor: point, from: point.date, to: null, position: point.position };
		runs.push(cur);
	}
	for (const run of runs) {
		run.anchor = runAnchor(run.points);
		run.from = run.anchor.date;
	}
	for (let i = 0; i + 1 < runs.length; i++) runs[i]!.to = runs[i + 1]!.from;
	return runs;
}

/** The quote nearest the start of a stance: among its events dated within `days` of `date`. */
function firstQuoteNear<P extends ChangePoint>(points: readonly P[], date: string, days: number): P | null {
	const until = addDays(date, days);
	const near = points.filter((p) => p.event.quote && p.date <= until && periodEnd(p.date, p.datePrecision) >= date);
	// The anchor's own day first, then the rest in series order.
	return near.find((p) => p.date === date) ?? near[0] ?? null;
}

/**
 * The change records of a series, oldest first: one per move from one stance to the next (see
 * `stanceRuns`), with its size, direction, class and the events before and after.
 *
 * Class, by the first rule that applies:
 * 1. an editor's confirmation or override (`confirmations`, keyed by the event that starts the change);
 * 2. clarification: the move goes back toward the stance held before the one it leaves, and either
 *    another speaker of the same actor makes it (none of the new stance's speakers on its first day
 *    said the stance left) or the stance left had held no more than `walkBackDays`;
 * 3. the kind the event was recorded as, when it is `clarification` or `reversal`;
 * 4. reversal: the move crosses the scale's midpoint (landing on it does not cross it);
 * 5. shift.
 * @example detectChanges({ series: colombia, scale }) // [reversal on 11 Nov 2025, clarification on 13 Nov 2025]
 */
export function detectChanges(options: {
	series: Series;
	scale: Scale;
	rules?: Partial<ChangeRules>;
	confirmations?: ReadonlyMap<number, ClassConfirmation>;
}): Change[] {
	return seriesChanges(options).changes;
}

/**
 * A series' stances (`stanceRuns`) and its change records (`detectChanges`), derived in one pass
 * over its runs: what caches and stored records keep, so that who moved reads the stances the
 * changes were derived from. Works on any point that carries what the rules read (`ChangePoint`).
 */
export function seriesChanges<P extends ChangePoint = SeriesPoint>({
	series,
	scale,
	rules = DEFAULT_CHANGE_RULES,
	confirmations
}: {
	series: { actor: string; issue: string; points: readonly P[] };
	scale: Scale;
	rules?: Partial<ChangeRules>;
	confirmations?: ReadonlyMap<number, ClassConfirmation>;
}): { runs: StanceRun<P>[]; changes: Change<P>[] } {
	const walkBackDays = rules.walkBackDays ?? DEFAULT_CHANGE_RULES.walkBackDays;
	const runs = stanceRuns<P>({ series, scale, rules });
	const mid = midpoint(scale);
	const span = scale.max - scale.min;
	const changes: Change<P>[] = [];
	for (let i = 1; i < runs.length; i++) {
		const left = runs[i - 1]!;
		const next = runs[i]!;
		const earlier = i >= 2 ? runs[i - 2]! : null;
		const from = left.points.at(-1)!;
		const to = next.anchor;
		const toPoints = next.points.filter((p) => p.date === to.date && p.datePrecision === to.datePrecision);
		const oldPos = from.position;
		const newPos = next.points[0]!.position;
		const delta = newPos - oldPos;

		const earlierPos = earlier?.points.at(-1)!.position;
		const returnsToward = earlierPos !== undefined && Math.abs(newPos - earlierPos) < Math.abs(oldPos - earlierPos);
		const leftSpeakers = new Set(left.points.map((p) => p.event.speaker).filter((s) => s !== null));
		const otherSpeaker = leftSpeakers.size > 0 && toPoints.every((p) => p.event.speaker !== null && !leftSpeakers.has(p.event.speaker));
		const quick = daysBetween(left.from, next.from) <= walkBackDays;
		let ruleClass: ChangeClass;
		let ruleBasis: Change['ruleBasis'];
		if (returnsToward && otherSpeaker) [ruleClass, ruleBasis] = ['clarification', 'other-speaker'];
		else if (returnsToward && quick) [ruleClass, ruleBasis] = ['clarification', 'walk-back'];
		else if (to.event.kind === 'clarification' || to.event.kind === 'reversal') [ruleClass, ruleBasis] = [to.event.kind, 'recorded-kind'];
		else if (side(oldPos, mid) * side(newPos, mid) === -1) [ruleClass, ruleBasis] = ['reversal', 'midpoint'];
		else [ruleClass, ruleBasis] = ['shift', 'partial'];

		const dFrom = Math.abs(oldPos - mid);
		const dTo = Math.abs(newPos - mid);
		changes.push({
			actor: series.actor,
			issue: series.issue,
			from,
			to,
			toPoints,
			before: left.points,
			after: next.points,
			quoteBefore: left.points.findLast((p) => p.event.quote) ?? null,
			quoteAfter: firstQuoteNear(next.points, to.date, walkBackDays),
			delta,
			share: Math.abs(delta) / span,
			direction: dTo > dFrom ? 'hardening' : dTo < dFrom ? 'softening' : 'sideways',
			toward: delta > 0 ? 'max' : 'min',
			class: ruleClass,
			ruleClass,
			basis: ruleBasis,
			ruleBasis,
			confirmation: null
		});
		applyConfirmation(changes.at(-1)!, confirmations?.get(to.eventId));
	}
	return { runs, changes };
}

/**
 * Puts an editor's word on a change (rule 1 of `detectChanges`): its class shown, with `confirmed`
 * when it agrees with the rules' class and `overridden` when not. No word leaves it as it is.
 */
export function applyConfirmation<P extends ChangePoint>(change: Change<P>, given: ClassConfirmation | null | undefined): void {
	if (!given) return;
	change.confirmation = { ...given, status: given.class === change.ruleClass ? 'confirmed' : 'overridden' };
	change.class = given.class;
	change.basis = 'editor';
}

/** Orders changes newest first: by the date of the new stance, then recording order. */
export function newestFirst(a: Change, b: Change): number {
	if (a.to.date !== b.to.date) return a.to.date < b.to.date ? 1 : -1;
	if (a.to.event.createdAt !== b.to.event.createdAt) return a.to.event.createdAt < b.to.event.createdAt ? 1 : -1;
	return b.to.eventId - a.to.eventId;
}

/** Every change across many series (those whose issue has a known scale), newest first. */
export function allChanges({
	seriesList,
	scales,
	rules,
	confirmations
}: {
	seriesList: readonly Series[];
	scales: ReadonlyMap<string, Scale>;
	/** Per-issue rules; issues not in it use the defaults. */
	rules?: ReadonlyMap<string, Partial<ChangeRules>>;
	confirmations?: ReadonlyMap<number, ClassConfirmation>;
}): Change[] {
	const all: Change[] = [];
	for (const series of seriesList) {
		const scale = scales.get(series.issue);
		if (scale) all.push(...detectChanges({ series, scale, rules: rules?.get(series.issue), confirmations }));
	}
	return all.sort(newestFirst);
}

/** Changes across many series, newest first (by date of the new stance, then recording order). */
export function latestChanges(options: {
	seriesList: readonly Series[];
	scales: ReadonlyMap<string, Scale>;
	rules?: ReadonlyMap<string, Partial<ChangeRules>>;
	confirmations?: ReadonlyMap<number, ClassConfirmation>;
	limit: number;
}): Change[] {
	return allChanges(options).slice(0, options.limit);
}

export interface ChangeFilter {
	actors?: readonly string[];
	issues?: readonly string[];
	classes?: readonly ChangeClass[];
	/** Inclusive dates (YYYY-MM-DD) of the new stance. */
	from?: string | null;
	to?: string | null;
}

/** The changes that pass a filter; an empty or missing list lets everything through. */
export function filterChanges(changes: readonly Change[], f: ChangeFilter): Change[] {
	return changes.filter(
		(c) =>
			(!f.actors?.length || f.actors.includes(c.actor)) &&
			(!f.issues?.length || f.issues.includes(c.issue)) &&
			(!f.classes?.length || f.classes.includes(c.class)) &&
			(!f.from || c.to.date >= f.from) &&
			(!f.to || c.to.date <= f.to)
	);
}

/** The stance of a series at a date by its change records: the stance whose dated start is on or before it. */
export function runAt(runs: readonly StanceRun[], date: string): StanceRun | null {
	let found: StanceRun | null = null;
	for (const run of runs) {
		if (run.from <= date) found = run;
		else break;
	}
	return found;
}

export interface Mover {
	actor: string;
	issue: string;
	/** The stance held at the first date; null for no known position then. */
	atStart: StanceRun | null;
	/** The stance held at the second date. */
	atEnd: StanceRun;
	/** `changed`: a different stance at the end; `returned`: it moved and came back to where it stood. */
	net: 'changed' | 'returned';
	/** The changes after the first date and on or before the second, oldest first. */
	changes: Change[];
}

/**
 * Who moved between two dates: every actor (per issue) whose stance at `to` differs from its stance
 * at `from`, or that changed in between and came back. Stances are read from the change records, so
 * a stance known only to a month starts where its change is dated. `from` is exclusive, `to` inclusive.
 * @example whoMoved({ ..., from: '2025-11-10', to: '2025-11-14' }) // Colombia: reversal 11 Nov, clarification 13 Nov, returned
 */
export function whoMoved({
	seriesList,
	scales,
	rules,
	confirmations,
	from,
	to,
	derived
}: {
	seriesList: readonly Series[];
	scales: ReadonlyMap<string, Scale>;
	rules?: ReadonlyMap<string, Partial<ChangeRules>>;
	confirmations?: ReadonlyMap<number, ClassConfirmation>;
	from: string;
	to: string;
	/** Stances and changes already derived for some of the series with these rules and confirmations (a cache), used as they are. */
	derived?: ReadonlyMap<Series, { runs: StanceRun[]; changes: Change[] }>;
}): Mover[] {
	const out: Mover[] = [];
	for (const series of seriesList) {
		const scale = scales.get(series.issue);
		if (!scale) continue;
		const r = rules?.get(series.issue);
		const known = derived?.get(series) ?? seriesChanges({ series, scale, rules: r, confirmations });
		const atStart = runAt(known.runs, from);
		const atEnd = runAt(known.runs, to);
		if (!atEnd) continue;
		if (atStart === atEnd) continue;
		const changes = known.changes.filter((c) => c.to.date > from && c.to.date <= to);
		// Different runs at the two dates means at least one change between them.
		const net = atStart !== null && atStart.position === atEnd.position ? 'returned' : 'changed';
		out.push({ actor: series.actor, issue: series.issue, atStart, atEnd, net, changes });
	}
	return out;
}

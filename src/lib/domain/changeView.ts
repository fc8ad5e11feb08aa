import type { Change, ChangeBasis, ChangeClass, Mover, StanceRun } from './changes';
import { formatDate } from './dates';
import { labelFor } from './scale';
import type { SeriesPoint } from './series';
import type { DatePrecision, Scale, Source } from './types';

/** Names the views need: actors by slug (name, role, colour) and issues by slug (title, scale). */
export interface ViewNames {
	actors: ReadonlyMap<string, { name: string; role: string | null; color: string }>;
	issues: ReadonlyMap<string, { title: string; scale: Scale }>;
}

/** One side of a change, as a card shows it: who said what, when, where it is sourced. */
export interface StatementView {
	eventId: number;
	date: string;
	datePrecision: DatePrecision;
	when: string;
	speaker: string | null;
	speakerName: string | null;
	quote: string | null;
	summary: string;
	sources: Source[];
}

/** A change as plain data for pages, feeds and chart cards. */
export interface ChangeView {
	/** Stable key: the event that starts the change. */
	eventId: number;
	/** When that event was recorded (ISO date-time). */
	recordedAt: string;
	actor: string;
	actorName: string;
	color: string;
	issue: string;
	issueTitle: string;
	date: string;
	datePrecision: DatePrecision;
	when: string;
	fromLabel: string;
	toLabel: string;
	fromPosition: number;
	toPosition: number;
	delta: number;
	share: number;
	direction: Change['direction'];
	towardLabel: string;
	class: ChangeClass;
	ruleClass: ChangeClass;
	basis: ChangeBasis;
	/** Why, in a few words: "another speaker walked it back", "crosses the midpoint". */
	why: string;
	confirmation: { status: 'confirmed' | 'overridden'; class: ChangeClass; reason: string | null } | null;
	/** Everyone who stated the new stance on its first day. */
	speakers: string[];
	before: StatementView;
	after: StatementView;
}

const BASIS_TEXT: Record<ChangeBasis, string> = {
	'other-speaker': 'another speaker moved back toward the earlier stance',
	'walk-back': 'walked back within days, toward the earlier stance',
	'recorded-kind': 'recorded as such',
	midpoint: 'crosses the middle of the scale',
	partial: 'a move on the same side of the scale',
	editor: 'set by an editor'
};

function statement(p: SeriesPoint, names: ViewNames): StatementView {
	const e = p.event;
	return {
		eventId: p.eventId,
		date: p.date,
		datePrecision: p.datePrecision,
		when: formatDate(p.date, p.datePrecision),
		speaker: e.speaker,
		speakerName: e.speaker ? (names.actors.get(e.speaker)?.name ?? e.speaker) : null,
		quote: e.quote,
		summary: e.summary,
		sources: e.sources
	};
}

/**
 * What a change's card reads of it: everything but the whole lists of events before and after
 * (the stored change records give the events a card shows, not those lists).
 */
export type ChangeCard = Omit<Change, 'before' | 'after'>;

/** A change as plain data, names resolved, the quotes before and after chosen for its card. */
export function changeView(c: ChangeCard, names: ViewNames): ChangeView {
	const actor = names.actors.get(c.actor);
	const issue = names.issues.get(c.issue);
	const scale = issue?.scale ?? { min: -1, max: 1, labels: [] };
	const speakers = [...new Set(c.toPoints.map((p) => p.event.speaker).filter((s): s is string => s !== null))].map(
		(s) => names.actors.get(s)?.name ?? s
	);
	return {
		eventId: c.to.eventId,
		recordedAt: c.to.event.createdAt,
		actor: c.actor,
		actorName: actor?.name ?? c.actor,
		color: actor?.color ?? '#777777',
		issue: c.issue,
		issueTitle: issue?.title ?? c.issue,
		date: c.to.date,
		datePrecision: c.to.datePrecision,
		when: formatDate(c.to.date, c.to.datePrecision),
		fromLabel: labelFor(scale, c.from.position),
		toLabel: labelFor(scale, c.to.position),
		fromPosition: c.from.position,
		toPosition: c.to.position,
		delta: c.delta,
		share: c.share,
		direction: c.direction,
		towardLabel: labelFor(scale, c.toward === 'max' ? scale.max : scale.min),
		class: c.class,
		ruleClass: c.ruleClass,
		basis: c.basis,
		why: c.confirmation?.reason ? `${BASIS_TEXT.editor}: ${c.confirmation.reason}` : BASIS_TEXT[c.basis],
		confirmation: c.confirmation ? { status: c.confirmation.status, class: c.confirmation.class, reason: c.confirmation.reason } : null,
		speakers,
		before: statement(c.quoteBefore ?? c.from, names),
		after: statement(c.quoteAfter ?? c.to, names)
	};
}

/** A stance at one of the two dates of "who moved", as plain data. */
export interface StanceAtView {
	label: string;
	position: number;
	since: string;
}

export interface MoverView {
	actor: string;
	actorName: string;
	color: string;
	issue: string;
	issueTitle: string;
	net: Mover['net'];
	atStart: StanceAtView | null;
	atEnd: StanceAtView;
	/** The changes shown: all of them, or the first and the latest ones when there are more than a view's limit. */
	changes: ChangeView[];
	/** Changes between those shown and left out (0 when all are shown). */
	moreChanges: number;
}

function keptChanges<C>(all: C[], max: number, view: (c: C) => ChangeView): { changes: ChangeView[]; moreChanges: number } {
	if (all.length <= max) return { changes: all.map(view), moreChanges: 0 };
	const kept = [all[0]!, ...all.slice(all.length - Math.max(0, max - 1))];
	return { changes: kept.map(view), moreChanges: all.length - kept.length };
}

/** What a stance at one of the two dates shows of its run: its position and where it starts. */
export type StanceAt = Pick<StanceRun, 'position' | 'from'> & { anchor: { datePrecision: DatePrecision } };

/** A mover as its row reads it: the stances at the two dates and the changes' cards. */
export type MoverCard = Omit<Mover, 'atStart' | 'atEnd' | 'changes'> & {
	atStart: StanceAt | null;
	atEnd: StanceAt;
	changes: ChangeCard[];
	/** Changes left out of `changes` already (between its first and the rest), counted with those this view leaves out. */
	omitted?: number;
};

function stanceAtView(run: StanceAt, scale: Scale): StanceAtView {
	return { label: labelFor(scale, run.position), position: run.position, since: formatDate(run.from, run.anchor.datePrecision) };
}

/** One row of "who moved between two dates" as plain data. */
/**
 * A mover as a view. Past `maxChanges` changes (an actor that moved a thousand times between the
 * two dates) it keeps the first change (the move away from the stance at the start) and the latest
 * ones (the moves into the stance at the end), and counts the rest, so a page costs what it shows.
 */
export function moverView(m: MoverCard, names: ViewNames, maxChanges = Infinity): MoverView {
	const issue = names.issues.get(m.issue);
	const scale = issue?.scale ?? { min: -1, max: 1, labels: [] };
	const actor = names.actors.get(m.actor);
	const kept = keptChanges(m.changes, maxChanges, (c) => changeView(c, names));
	return {
		actor: m.actor,
		actorName: actor?.name ?? m.actor,
		color: actor?.color ?? '#777777',
		issue: m.issue,
		issueTitle: issue?.title ?? m.issue,
		net: m.net,
		atStart: m.atStart ? stanceAtView(m.atStart, scale) : null,
		atEnd: stanceAtView(m.atEnd, scale),
		...kept,
		moreChanges: kept.moreChanges + (m.omitted ?? 0)
	};
}

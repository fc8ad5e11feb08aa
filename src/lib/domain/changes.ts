import { daysBetween } from './dates';
import { midpoint } from './scale';
import type { Series, SeriesPoint } from './series';
import type { Scale } from './types';

export type ChangeClass = 'shift' | 'reversal' | 'clarification';
/** Hardening: the new stance is further from the scale's midpoint than the old; softening: nearer. */
export type ChangeDirection = 'hardening' | 'softening' | 'sideways';

export interface Change {
	actor: string;
	issue: string;
	from: SeriesPoint;
	to: SeriesPoint;
	/** Signed move in scale points (to - from). */
	delta: number;
	/** Size of the move as a share of the whole scale, 0..1. */
	share: number;
	direction: ChangeDirection;
	class: ChangeClass;
}

/** A walk-back within this many days of the stance it returns from counts as a clarification. */
export const WALK_BACK_DAYS = 7;

function side(value: number, mid: number): -1 | 0 | 1 {
	return value > mid ? 1 : value < mid ? -1 : 0;
}

/**
 * The changes in a series: one per pair of consecutive points whose positions differ.
 * Class: a move that returns toward the stance held before, said by another speaker of the actor,
 * recorded as a clarification, or made within WALK_BACK_DAYS, is a clarification; one that crosses
 * the scale's midpoint is a reversal; anything else is a shift.
 */
export function detectChanges({ series, scale }: { series: Series; scale: Scale }): Change[] {
	const changes: Change[] = [];
	const mid = midpoint(scale);
	const span = scale.max - scale.min;
	const pts = series.points;
	for (let i = 1; i < pts.length; i++) {
		const from = pts[i - 1]!;
		const to = pts[i]!;
		const delta = to.position - from.position;
		if (delta === 0) continue;
		const before = i >= 2 ? pts[i - 2]! : null;
		const returnsToward =
			before !== null && Math.abs(to.position - before.position) < Math.abs(from.position - before.position);
		const otherSpeaker =
			from.event.speaker !== null && to.event.speaker !== null && from.event.speaker !== to.event.speaker;
		const quick = daysBetween(from.date, to.date) <= WALK_BACK_DAYS;
		let cls: ChangeClass;
		if (to.event.kind === 'clarification' || (returnsToward && (otherSpeaker || quick))) {
			cls = 'clarification';
		} else if (side(from.position, mid) * side(to.position, mid) === -1 || to.event.kind === 'reversal') {
			cls = 'reversal';
		} else cls = 'shift';
		const dFrom = Math.abs(from.position - mid);
		const dTo = Math.abs(to.position - mid);
		changes.push({
			actor: series.actor,
			issue: series.issue,
			from,
			to,
			delta,
			share: Math.abs(delta) / span,
			direction: dTo > dFrom ? 'hardening' : dTo < dFrom ? 'softening' : 'sideways',
			class: cls
		});
	}
	return changes;
}

/** Changes across many series, newest first (by date of the new stance, then recording order). */
export function latestChanges({
	seriesList,
	scales,
	limit
}: {
	seriesList: readonly Series[];
	scales: ReadonlyMap<string, Scale>;
	limit: number;
}): Change[] {
	const all: Change[] = [];
	for (const series of seriesList) {
		const scale = scales.get(series.issue);
		if (scale) all.push(...detectChanges({ series, scale }));
	}
	all.sort((a, b) =>
		a.to.date !== b.to.date
			? a.to.date < b.to.date ? 1 : -1
			: a.to.event.createdAt !== b.to.event.createdAt
				? a.to.event.createdAt < b.to.event.createdAt ? 1 : -1
				: b.to.eventId - a.to.eventId
	);
	return all.slice(0, limit);
}

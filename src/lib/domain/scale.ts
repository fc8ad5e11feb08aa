import type { Scale, ScaleLabel } from './types';

export interface ScaleProblem {
	field: string;
	message: string;
}

/** Lists what is wrong with a scale (empty when it is valid). */
export function validateScale(scale: Scale): ScaleProblem[] {
	const problems: ScaleProblem[] = [];
	if (!Number.isFinite(scale.min)) problems.push({ field: 'min', message: 'must be a number' });
	if (!Number.isFinite(scale.max)) problems.push({ field: 'max', message: 'must be a number' });
	if (problems.length) return problems;
	if (scale.min >= scale.max) {
		problems.push({ field: 'max', message: `must be greater than min (${scale.min})` });
		return problems;
	}
	if (scale.labels.length === 0) {
		problems.push({ field: 'labels', message: 'needs at least one labelled value' });
	}
	const seen = new Set<number>();
	scale.labels.forEach((l, i) => {
		if (!Number.isFinite(l.value) || l.value < scale.min || l.value > scale.max) {
			problems.push({
				field: `labels.${i}.value`,
				message: `must lie within the scale ${scale.min}..${scale.max}`
			});
		}
		if (seen.has(l.value)) {
			problems.push({ field: `labels.${i}.value`, message: `duplicates the value ${l.value}` });
		}
		seen.add(l.value);
		if (l.label.trim() === '') {
			problems.push({ field: `labels.${i}.label`, message: 'must not be empty' });
		}
	});
	return problems;
}

/** True when the position is a finite number within the scale, ends included. */
export function isOnScale(scale: Scale, position: number): boolean {
	return Number.isFinite(position) && position >= scale.min && position <= scale.max;
}

/** The scale's labels in ascending order of value. */
export function sortedLabels(scale: Scale): ScaleLabel[] {
	return [...scale.labels].sort((a, b) => a.value - b.value);
}

/**
 * The label people read for a position: the label at that value, else the nearest one
 * (ties go to the label nearer the midpoint, so 0.5 on -2..2 reads as the 0 label).
 */
export function labelFor(scale: Scale, position: number): string {
	const labels = sortedLabels(scale);
	if (labels.length === 0) return formatPosition(position);
	const mid = midpoint(scale);
	let best = labels[0]!;
	for (const l of labels) {
		const d = Math.abs(l.value - position);
		const bd = Math.abs(best.value - position);
		if (d < bd || (d === bd && Math.abs(l.value - mid) < Math.abs(best.value - mid))) best = l;
	}
	return best.label;
}

export function midpoint(scale: Scale): number {
	return (scale.min + scale.max) / 2;
}

/** Where a position sits on its scale, from 0 (min) to 1 (max). */
export function shareOfScale(scale: Scale, position: number): number {
	return (position - scale.min) / (scale.max - scale.min);
}

/** Smallest distance between two labelled values: one "level" of the scale. */
export function levelStep(scale: Scale): number {
	const values = sortedLabels(scale).map((l) => l.value);
	let step = scale.max - scale.min;
	for (let i = 1; i < values.length; i++) step = Math.min(step, values[i]! - values[i - 1]!);
	return step > 0 ? step : scale.max - scale.min;
}

/**
 * A position with its uncertainty interval when it has one: "+0.42, interval +0.31 to +0.55";
 * without one, as formatPosition.
 */
export function formatPositionWithInterval(position: number, low?: number | null, high?: number | null): string {
	const text = formatPosition(position);
	return low == null || high == null ? text : `${text}, interval ${formatPosition(low)} to ${formatPosition(high)}`;
}

export function formatPosition(position: number): string {
	const s = Number.isInteger(position) ? String(position) : position.toFixed(2).replace(/\.?0+$/, '');
	return position > 0 ? `+${s}` : s.replace('-', '−');
}

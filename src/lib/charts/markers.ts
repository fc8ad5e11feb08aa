import type { Change, ChangeClass, ChangeRules, ClassConfirmation } from '../domain/changes';
import { formatDate } from '../domain/dates';
import { labelFor } from '../domain/scale';
import { changeView, type ChangeView, type ViewNames } from '../domain/changeView';
import type { Actor, Issue, Scale } from '../domain/types';
import type { DateRange } from './range';
import { toDay } from './timeAxis';

/**
 * A change drawn on a chart: at the date of the new stance, shaped by its class (a triangle for a
 * shift, pointing the way it moved; a square for a reversal; a circle for a clarification), filled
 * when an editor confirmed or overrode the class, outlined when only the rules gave it.
 */
export interface ChangeMarker {
	/** The event that starts the change: the key of its card. */
	eventId: number;
	actor: string;
	/** Day of the new stance (see timeAxis). */
	day: number;
	/** Stance before and after (positions on the issue's scale). */
	from: number;
	to: number;
	class: ChangeClass;
	/** Set when a person confirmed or overrode the class. */
	confirmation: 'confirmed' | 'overridden' | null;
	/** What the marker says to assistive technology and in the chart-as-text. */
	label: string;
}

export const CLASS_NAMES: Record<ChangeClass, string> = { shift: 'Shift', reversal: 'Reversal', clarification: 'Clarification' };

/** The letter inside each shape, so a class reads without its shape or colour. */
const CLASS_LETTER: Record<ChangeClass, string> = { shift: 'S', reversal: 'R', clarification: 'C' };

/** What a marker says: "Colombia, 11 November 2025: reversal, Maintain to Halt (confirmed by an editor)". */
export function markerLabel({
	actorName,
	change,
	scale
}: {
	actorName: string;
	change: Pick<Change, 'class' | 'ruleClass' | 'confirmation' | 'from' | 'to'>;
	scale: Scale;
}): string {
	const c = change.confirmation;
	const by = c ? (c.status === 'confirmed' ? ' (confirmed by an editor)' : ` (set by an editor; the rules say ${change.ruleClass})`) : '';
	return (
		`${actorName}, ${formatDate(change.to.date, change.to.datePrecision)}: ${change.class}, ` +
		`${labelFor(scale, change.from.position)} to ${labelFor(scale, change.to.position)}${by}`
	);
}

/** The markers of the changes whose new stance falls in the range, oldest first. */
export function changeMarkers({
	changes,
	range,
	scale,
	names
}: {
	changes: readonly Change[];
	range: DateRange;
	scale: Scale;
	/** Actor names by slug. */
	names: ReadonlyMap<string, string>;
}): ChangeMarker[] {
	return changes
		.filter((c) => c.to.date >= range.from && c.to.date <= range.to)
		.map((c) => ({
			eventId: c.to.eventId,
			actor: c.actor,
			day: toDay(c.to.date),
			from: c.from.position,
			to: c.to.position,
			class: c.class,
			confirmation: c.confirmation?.status ?? null,
			label: markerLabel({ actorName: names.get(c.actor) ?? c.actor, change: c, scale })
		}))
		.sort((a, b) => a.day - b.day || a.eventId - b.eventId);
}

/** At most this many changes are marked on one chart; past it the most significant are kept. */
export const MAX_CHART_MARKERS = 30;

const CLASS_WEIGHT: Record<ChangeClass, number> = { reversal: 0, shift: 1, clarification: 2 };

/**
 * The markers a chart can show legibly: all of them when there are at most `max`, else the `max`
 * most significant (reversals first, then shifts, then clarifications; within a class the larger
 * move, then the newer), still oldest first. A chart of a few hundred changes is a wall of
 * symbols; the changes page lists every one.
 */
export function significantMarkers(markers: readonly ChangeMarker[], max = MAX_CHART_MARKERS): { kept: ChangeMarker[]; omitted: number } {
	const byDate = (a: ChangeMarker, b: ChangeMarker) => a.day - b.day || a.eventId - b.eventId;
	if (markers.length <= max) return { kept: [...markers].sort(byDate), omitted: 0 };
	const ranked = [...markers].sort(
		(a, b) =>
			CLASS_WEIGHT[a.class] - CLASS_WEIGHT[b.class] ||
			Math.abs(b.to - b.from) - Math.abs(a.to - a.from) ||
			b.day - a.day ||
			b.eventId - a.eventId
	);
	const kept = ranked.slice(0, max).sort(byDate);
	return { kept, omitted: markers.length - kept.length };
}

/** The changes page filtered to a chart's issues, actors and range: where every change it leaves unmarked is listed. */
export function changesHref({ issues, actors, range }: { issues: readonly string[]; actors: readonly string[]; range: DateRange }): string {
	const q = new URLSearchParams({ issues: issues.join(','), actors: actors.join(','), from: range.from, to: range.to });
	return `/changes?${q}`;
}

/** The subset of a 2D context the shapes need: the browser's, and @napi-rs/canvas's for exports. */
export interface ShapeCtx {
	beginPath(): void;
	closePath(): void;
	moveTo(x: number, y: number): void;
	lineTo(x: number, y: number): void;
	arc(x: number, y: number, r: number, a0: number, a1: number): void;
	rect(x: number, y: number, w: number, h: number): void;
	fill(): void;
	stroke(): void;
	fillText(text: string, x: number, y: number): void;
	save(): void;
	restore(): void;
	fillStyle: unknown;
	strokeStyle: unknown;
	lineWidth: number;
	font: string;
	textAlign: string;
	textBaseline: string;
}

/**
 * Draws one marker centred on (x, y) with radius r: its class's shape in the actor's colour, filled
 * when a person confirmed it, else outlined on the background; its class letter inside.
 */
export function drawMarkerShape(
	ctx: ShapeCtx,
	{ cls, up, filled, color, background, x, y, r, font = 'sans-serif' }: { cls: ChangeClass; up: boolean; filled: boolean; color: string; background: string; x: number; y: number; r: number; font?: string }
): void {
	ctx.save();
	ctx.beginPath();
	if (cls === 'shift') {
		// A triangle pointing the way the stance moved (up: toward the top of the scale).
		const k = up ? 1 : -1;
		ctx.moveTo(x, y - k * r * 1.15);
		ctx.lineTo(x + r * 1.1, y + k * r * 0.8);
		ctx.lineTo(x - r * 1.1, y + k * r * 0.8);
		ctx.closePath();
	} else if (cls === 'reversal') {
		ctx.rect(x - r * 0.9, y - r * 0.9, r * 1.8, r * 1.8);
	} else {
		ctx.arc(x, y, r, 0, Math.PI * 2);
	}
	ctx.fillStyle = filled ? color : background;
	ctx.fill();
	ctx.lineWidth = 2;
	ctx.strokeStyle = color;
	ctx.stroke();
	ctx.fillStyle = filled ? background : color;
	ctx.font = `bold ${Math.round(r * 1.15)}px ${font}`;
	ctx.textAlign = 'center';
	ctx.textBaseline = 'middle';
	// A shift's triangle has its room low (pointing up) or high (pointing down).
	const dy = cls === 'shift' ? (up ? r * 0.25 : -r * 0.25) : 0;
	ctx.fillText(CLASS_LETTER[cls], x, y + dy + 0.5);
	ctx.restore();
}

/** A marker as drawn: where it sits in pixels, for hovering on screen. */
export interface PlacedMarker {
	eventId: number;
	x: number;
	y: number;
	r: number;
}

/** Where a screen reads the drawn markers from, after each draw. */
export interface MarkerHost {
	stanceChangeMarks?: PlacedMarker[];
	/** Ids of the corrected events ringed on the last draw. */
	stanceCorrectedRings?: number[];
}

/** One line of the legend: the shape and what it means. */
export const MARKER_LEGEND: { cls: ChangeClass; text: string }[] = [
	{ cls: 'shift', text: 'shift (points the way it moved)' },
	{ cls: 'reversal', text: 'reversal (across the middle)' },
	{ cls: 'clarification', text: 'clarification (walked back)' }
];

/** What the charts need besides the events to mark their changes: plain data, shipped to pages as is. */
export interface MarkContext {
	/** Editors' confirmations and overrides of the changes these events start. */
	confirmations: ClassConfirmation[];
	/** Per-issue change rules, for the issues that set their own. */
	rules: [string, Partial<ChangeRules>][];
	/** Ids of those events corrected after publication. */
	corrected: number[];
}

/** A mark context as buildCompareModel takes it. */
export function markInputs(marks: MarkContext | null | undefined): {
	confirmations: Map<number, ClassConfirmation>;
	rules: Map<string, Partial<ChangeRules>>;
	corrected: number[];
} {
	return {
		confirmations: new Map((marks?.confirmations ?? []).map((c) => [c.eventId, c])),
		rules: new Map(marks?.rules ?? []),
		corrected: marks?.corrected ?? []
	};
}

/** The cards of the changes a panel marks, names resolved. */
export function markedChangeViews(
	panel: { changes: readonly Change[]; markers: readonly ChangeMarker[] },
	{ actors, issues }: { actors: readonly Actor[]; issues: readonly Issue[] }
): ChangeView[] {
	const marked = new Set(panel.markers.map((m) => m.eventId));
	const names: ViewNames = { actors: new Map(actors.map((a) => [a.slug, a])), issues: new Map(issues.map((i) => [i.slug, i])) };
	return panel.changes.filter((c) => marked.has(c.to.eventId)).map((c) => changeView(c, names));
}

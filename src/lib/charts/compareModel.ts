import { dayOf } from '../domain/asof';
import { contextInRange, type ContextEvent } from '../domain/context';
import { detectChanges, type Change, type ChangeRules, type ClassConfirmation } from '../domain/changes';
import { describeDivergence, divergenceIntervals, mixedSignals, type MixedSignal } from '../domain/compare';
import { formatDate, periodEnd, today as todayDate } from '../domain/dates';
import { levelStep } from '../domain/scale';
import { buildSeries, type Series } from '../domain/series';
import type { Actor, Issue, StanceEvent } from '../domain/types';
import { resolveRange, type CompareView } from '../domain/view';
import { changeMarkers, markedChangeViews, markInputs, significantMarkers, type ChangeMarker, type MarkContext } from './markers';
import type { ChangeView } from '../domain/changeView';
import { narrateSeries } from '../domain/narrative';
import type { Band } from './plugins';
import { defaultRange, type DateRange } from './range';
import type { ChartSeries } from './stanceLine';
import { toDay } from './timeAxis';

/** Two actors this many levels apart on an issue are shaded as diverging. */
export const DIVERGENCE_LEVELS = 2;

export interface ComparePanel {
	issue: Issue;
	/** One entry per chosen actor with events on the issue, in the view's actor order. */
	series: ChartSeries[];
	domainSeries: Series[];
	mixed: MixedSignal[];
	/** The sentence on two actors' divergence, when exactly two are compared. */
	divergence: string | null;
	bands: Band[];
	/** The issue's context events that touch the range, in date order. */
	context: ContextEvent[];
	/** The changes of the panel's actors, oldest first per actor (all dates). */
	changes: Change[];
	/** The changes in the range, as the chart marks them. */
	markers: ChangeMarker[];
	/** Changes in range the chart does not mark (past MAX_CHART_MARKERS: it marks the most significant). */
	markersOmitted?: number;
}

export interface CompareModel {
	range: DateRange;
	panels: ComparePanel[];
	/** Events in view: chosen actors and issues, within the range. */
	events: StanceEvent[];
	/** Event ids that are part of mixed signals. */
	mixedEventIds: Set<number>;
	/** Ids of the events in view that were corrected after publication (ringed on the charts). */
	corrected: number[];
}

/**
 * Everything the compare view draws, from the view and the events of its actors. Pure, so the
 * page and the image exports compute the same thing.
 */
export function buildCompareModel({
	view,
	issues,
	actors,
	events,
	context = [],
	today = todayDate(),
	confirmations,
	rules,
	corrected = []
}: {
	view: CompareView;
	issues: readonly Issue[];
	actors: readonly Actor[];
	events: readonly StanceEvent[];
	/** Context events of the issues (others are ignored). */
	context?: readonly ContextEvent[];
	today?: string;
	/** Editors' confirmations and overrides of change classes, by the event that starts the change. */
	confirmations?: ReadonlyMap<number, ClassConfirmation>;
	/** Per-issue change rules; issues not in it use the defaults. */
	rules?: ReadonlyMap<string, Partial<ChangeRules>>;
	/** Ids of corrected events (see queries/corrections). */
	corrected?: readonly number[];
}): CompareModel {
	const actorBy = new Map(actors.map((a) => [a.slug, a]));
	const chosen = events.filter((e) => view.actors.includes(e.actor) && view.issues.includes(e.issue));
	const all = buildSeries({ events: chosen });
	const latest = chosen.reduce<string | null>((m, e) => (m === null || e.date > m ? e.date : m), null);
	const asked = resolveRange(view, latest);
	const fallback = defaultRange(all, today);
	const range = { from: asked.from ?? fallback.from, to: asked.to ?? fallback.to };
	const mixedEventIds = new Set<number>();
	const panels = view.issues
		.map((slug) => issues.find((i) => i.slug === slug))
		.filter((i): i is Issue => i !== undefined)
		.map((issue) => {
			const domainSeries = view.actors
				.map((a) => all.find((s) => s.actor === a && s.issue === issue.slug))
				.filter((s): s is Series => s !== undefined);
			const mixed = domainSeries.flatMap((series) => mixedSignals({ series, scale: issue.scale }));
			for (const m of mixed) for (const id of m.eventIds) mixedEventIds.add(id);
			const bands: Band[] = mixed.map((m) => ({
				from: toDay(m.from),
				to: toDay(m.to) + 1,
				kind: 'mixed',
				label: `Mixed signals: ${actorBy.get(m.actor)?.name ?? m.actor}`,
				actor: m.actor
			}));
			let divergence: string | null = null;
			const [a, b] = domainSeries;
			if (view.actors.length === 2 && a && b) {
				const threshold = DIVERGENCE_LEVELS * levelStep(issue.scale);
				const intervals = divergenceIntervals({ a, b, threshold });
				divergence = describeDivergence({
					intervals,
					nameA: actorBy.get(a.actor)?.name ?? a.actor,
					nameB: actorBy.get(b.actor)?.name ?? b.actor,
					threshold,
					formatDate: (d) => formatDate(d)
				});
				for (const i of intervals) {
					bands.push({
						from: toDay(i.from),
						to: i.to ? toDay(i.to) : toDay(range.to) + 1,
						kind: 'divergence',
						label: `Apart by ${i.maxGap}`
					});
				}
			}
			const changes = domainSeries.flatMap((series) => detectChanges({ series, scale: issue.scale, rules: rules?.get(issue.slug), confirmations }));
			const names = new Map(actors.map((a) => [a.slug, a.name]));
			const marked = significantMarkers(changeMarkers({ changes, range, scale: issue.scale, names }));
			return {
				issue,
				changes,
				markers: marked.kept,
				markersOmitted: marked.omitted,
				series: domainSeries.map((s) => ({
					actor: actorBy.get(s.actor)!,
					// An event's uncertainty interval rides with its point, for the band around the line.
					points: s.points.map((p) => ({ ...p, positionLow: p.event.positionLow ?? null, positionHigh: p.event.positionHigh ?? null }))
				})),
				domainSeries,
				mixed,
				divergence,
				bands,
				context: contextInRange(
					context.filter((c) => c.issue === issue.slug),
					range.from,
					range.to
				)
			};
		});
	const inView = new Set(chosen.map((e) => e.id));
	return {
		range,
		panels,
		corrected: corrected.filter((id) => inView.has(id)),
		// An event belongs to the range when its period (a day, month or year) overlaps it.
		events: chosen.filter((e) => periodEnd(e.date, e.datePrecision) >= range.from && e.date <= range.to),
		mixedEventIds
	};
}

/**
 * The paragraph per actor of a panel (its changes and its current stance in words): shown under
 * the chart and used as its text alternative. `only` keeps one actor's.
 */
export function panelNarratives(
	panel: Pick<ComparePanel, 'issue' | 'domainSeries' | 'changes'>,
	{ actors, rules, today = todayDate(), only }: { actors: readonly Actor[]; rules?: ReadonlyMap<string, Partial<ChangeRules>>; today?: string; only?: string }
): { actor: string; text: string }[] {
	const actorBy = new Map(actors.map((a) => [a.slug, a]));
	return panel.domainSeries
		.filter((s) => !only || s.actor === only)
		.map((s) => ({
			actor: s.actor,
			text: narrateSeries({
				series: s,
				issue: panel.issue,
				actorName: actorBy.get(s.actor)?.name ?? s.actor,
				names: actorBy,
				today,
				rules: rules?.get(panel.issue.slug),
				changes: panel.changes.filter((c) => c.actor === s.actor)
			})
		}));
}

/** A compare view as the compare page and the embed load it: the view, what it shows, its events and marks. */
export interface LoadedViewData {
	view: CompareView;
	shownActors: string[];
	shownIssues: string[];
	issues: readonly Issue[];
	actors: readonly Actor[];
	events: readonly StanceEvent[];
	context: readonly ContextEvent[];
	marks: MarkContext | null | undefined;
	/** The moment the view is pinned to (its marks are those of the moment), or null for the current record. */
	asof?: string | null;
}

/**
 * The panels of a loaded view worked out from its events (the embed, and the compare page's small
 * views): the model of its shown actors and issues, each panel's change cards for the marked
 * changes, and its paragraph per actor (`only` keeps one actor's).
 */
export function viewPanels(data: LoadedViewData): {
	model: CompareModel;
	cardsOf: (p: ComparePanel) => ChangeView[];
	narrativesOf: (p: ComparePanel, only?: string) => { actor: string; text: string }[];
} {
	const marks = markInputs(data.marks);
	return {
		model: buildCompareModel({
			view: { ...data.view, actors: data.shownActors, issues: data.shownIssues },
			issues: data.issues,
			actors: data.actors,
			events: data.events,
			context: data.context,
			...marks
		}),
		cardsOf: (p) => markedChangeViews(p, { actors: data.actors, issues: data.issues }),
		// Pinned: told as on the day of the moment (a stance's staleness then).
		narrativesOf: (p, only) => panelNarratives(p, { actors: data.actors, rules: marks.rules, only, ...(data.asof ? { today: dayOf(data.asof) } : {}) })
	};
}

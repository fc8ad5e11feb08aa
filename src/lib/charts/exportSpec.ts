import { currentUrl, formatMoment } from '../domain/citation';
import type { ChartConfiguration } from 'chart.js';
import { formatDate } from '../domain/dates';
import { formatPosition, sortedLabels } from '../domain/scale';
import type { Actor } from '../domain/types';
import type { CompareMode } from '../domain/view';
import type { ContextEvent } from '../domain/context';
import type { CompareModel, ComparePanel } from './compareModel';
import type { DateRange } from './range';
import { buildStanceLanesConfig } from './stanceLanes';
import { contextMarks } from './contextMarks';
import { buildStanceLineConfig, yAxisWidthFor, type ChartActor, type ChartPoint, type ChartSeries } from './stanceLine';

/**
 * What an exported image draws of a compare model, and nothing more: per panel its issue, each
 * series' actor and points (no quotes, no sources), shaded bands, context marks and change
 * markers; the range, the corrected events, and the outlets of the sources line. Plain data a
 * render worker receives (the whole model, every event with its sources, would be copied to it).
 */
export interface ExportModel {
	range: DateRange;
	panels: ExportModelPanel[];
	/** Ids of corrected events in view (ringed). */
	corrected: readonly number[];
	/** The outlets cited by the events in view, most cited first: the image's sources line. */
	sources: string[];
}

export interface ExportModelPanel extends Pick<ComparePanel, 'issue' | 'bands' | 'markers'> {
	series: ChartSeries[];
	context: Pick<ContextEvent, 'date' | 'datePrecision' | 'endDate' | 'label'>[];
}

/** Outlets by how many of the events cite them (most first, then by name): the sources line's order. */
export function rankOutlets(counts: Iterable<readonly [string, number]>): string[] {
	const total = new Map<string, number>();
	for (const [outlet, n] of counts) total.set(outlet, (total.get(outlet) ?? 0) + n);
	return [...total].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([o]) => o);
}

/**
 * The part of a compare model an image draws (see ExportModel). `sources` defaults to the
 * outlets of the model's events; a caller that read the events without their sources passes them.
 */
export function exportModelOf(model: CompareModel, sources?: string[]): ExportModel {
	const point = (p: ChartPoint): ChartPoint => ({
		date: p.date,
		datePrecision: p.datePrecision,
		position: p.position,
		eventId: p.eventId,
		positionLow: p.positionLow,
		positionHigh: p.positionHigh
	});
	const actor = (a: ChartActor): ChartActor => ({ slug: a.slug, name: a.name, color: a.color });
	return {
		range: model.range,
		corrected: model.corrected,
		sources: sources ?? rankOutlets(model.events.flatMap((e) => e.sources.map((s) => [s.outlet, 1] as const))),
		panels: model.panels.map((p) => ({
			issue: p.issue,
			series: p.series.map((s) => ({
				actor: actor(s.actor),
				points: s.points.map(point),
				...(s.periods !== undefined ? { periods: s.periods } : {}),
				...(s.shares !== undefined ? { shares: s.shares } : {}),
				...(s.bucket !== undefined ? { bucket: s.bucket } : {})
			})),
			bands: p.bands,
			context: p.context.map((c) => ({ date: c.date, datePrecision: c.datePrecision, endDate: c.endDate, label: c.label })),
			markers: p.markers
		}))
	};
}

/** One chart in an exported image, with its caption. */
export interface ExportPanel {
	caption: string | null;
	/** Builds the panel's config; `compact` for small panels. */
	config: ChartConfiguration<'line' | 'bar', never[]>;
	/** Relative height weight (lane charts grow with their actors). */
	weight: number;
}

/** What an exported image shows: the same configs as the screen, plus its own context. */
export interface ExportSpec {
	width: number;
	height: number;
	title: string;
	subtitle: string;
	legend: { label: string; color: string }[];
	/** Whether the panels mark changes: the legend then explains the shapes. */
	markers?: boolean;
	/** Panels drawn in a grid of `columns` columns. */
	panels: ExportPanel[];
	columns: number;
	/** Footer lines: sources, then export date and permalink. */
	sources: string[];
	credit: string;
}

export const EXPORT_LIMITS = { minWidth: 320, maxWidth: 3000, minHeight: 240, maxHeight: 3000, maxScale: 4 } as const;

const listNames = (names: string[]) =>
	names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;

/** The image's title: "Colombia – Intelligence sharing with US agencies", or the issue, or the actors. */
export function exportTitle(model: Pick<ExportModel, 'panels'>, actorNames: string[]): string {
	const issues = model.panels.map((p) => p.issue.title);
	if (issues.length === 1 && actorNames.length === 1) return `${actorNames[0]} – ${issues[0]}`;
	if (issues.length === 1) return issues[0]!;
	if (actorNames.length === 1) return `${actorNames[0]}: stance on ${issues.length} issues`;
	if (actorNames.length <= 4) return `${listNames(actorNames)} on ${issues.length} issues`;
	return `${actorNames.length} actors on ${issues.length} issues`;
}

/** A file name that says what the file is: colombia-intelligence-sharing-us-2025-09-01-2025-11-30.png */
export function exportFilename({
	actors,
	issues,
	allActors,
	range,
	ext
}: {
	actors: string[];
	issues: string[];
	/** True when the view shows every actor on its issues (an issue page). */
	allActors: boolean;
	range: { from: string; to: string };
	ext: string;
}): string {
	const who = allActors ? [] : actors.length <= 3 ? actors : [`${actors.length}-actors`];
	const what = issues.length <= 2 ? issues : [`${issues.length}-issues`];
	return [...who, ...what, range.from, range.to].join('-') + `.${ext}`;
}

/**
 * The spec of an exported image for a compare model (what it draws of it: `exportModelOf`): one
 * panel per issue (overlay and lanes, stacked) or per actor and issue (side by side, in a grid),
 * the legend, and the sources.
 */
export function buildExportSpec({
	model,
	mode,
	focus,
	actors,
	width,
	height,
	permalink,
	exportedOn,
	asof = null
}: {
	model: ExportModel;
	mode: CompareMode;
	focus: string | null;
	/** Names and colours of the actors (those the series show are enough). */
	actors: readonly Pick<Actor, 'slug' | 'name' | 'color'>[];
	width: number;
	height: number;
	permalink: string;
	exportedOn: string;
	/** The moment a pinned view shows (ISO date-time): the footer says so instead of the export date, so the image never changes. */
	asof?: string | null;
}): ExportSpec {
	const shown = new Map<string, Pick<Actor, 'slug' | 'name' | 'color'>>();
	for (const p of model.panels) for (const s of p.series) shown.set(s.actor.slug, actors.find((a) => a.slug === s.actor.slug) ?? s.actor);
	const names = [...shown.values()].map((a) => a.name);
	const range = model.range;
	const period = `${formatDate(range.from)} to ${formatDate(range.to)}`;
	const onlyIssue = model.panels.length === 1 ? model.panels[0]!.issue : null;
	const scaleText = onlyIssue
		? `Scale: ${sortedLabels(onlyIssue.scale).map((l) => `${l.label} (${formatPosition(l.value)})`).join(', ')}`
		: 'Each panel uses its issue’s scale';
	const many = model.panels.length > 1;
	const issues = model.panels.map((p) => p.issue);
	const panels: ExportPanel[] = [];
	let columns = 1;
	if (mode === 'side') {
		const perRow = Math.max(1, Math.min(shown.size, Math.floor(width / 300)));
		columns = perRow;
		for (const p of model.panels) {
			for (const s of p.series) {
				panels.push({
					caption: `${s.actor.name} – ${p.issue.title}`,
					config: buildStanceLineConfig({ issue: p.issue, series: [s], range, compact: true, background: true, yAxisWidth: yAxisWidthFor(issues, true), bands: p.bands.filter((b) => b.actor === s.actor.slug), context: contextMarks(p.context ?? []), markers: p.markers, corrected: model.corrected }) as never,
					weight: 1
				});
			}
		}
	} else {
		for (const p of model.panels) {
			panels.push({
				caption: many ? p.issue.title : null,
				config: (mode === 'lanes'
					? buildStanceLanesConfig({ issue: p.issue, series: p.series, range, background: true, context: contextMarks(p.context ?? []), markers: p.markers, corrected: model.corrected })
					: buildStanceLineConfig({ issue: p.issue, series: p.series, range, spread: true, bands: p.bands, focus, background: true, yAxisWidth: yAxisWidthFor(issues), context: contextMarks(p.context ?? []), markers: p.markers, corrected: model.corrected })) as never,
				weight: mode === 'lanes' ? 0.4 + 0.15 * p.series.length : 1
			});
		}
	}
	return {
		width,
		height,
		title: exportTitle(model, names),
		subtitle: `${scaleText} · ${period}`,
		legend: [...shown.values()].map((a) => ({ label: a.name, color: a.color })),
		markers: model.panels.some((p) => p.markers.length > 0),
		panels,
		columns,
		sources: model.sources,
		credit: asof
			? `Stance Tracker · as recorded on ${formatMoment(asof)}, later edits not shown · ${permalink} · current version: ${currentUrl(permalink)}`
			: `Stance Tracker · exported ${formatDate(exportedOn)} · ${permalink}`
	};
}

/** The image size a view exports at when none is asked for (CSS pixels). */
export function defaultExportSize(model: Pick<ExportModel, 'panels'>, mode: CompareMode, width = 1000): { width: number; height: number } {
	const chrome = 190;
	const n = model.panels.length;
	if (mode === 'side') {
		const actors = new Set(model.panels.flatMap((p) => p.series.map((s) => s.actor.slug))).size;
		const cols = Math.max(1, Math.min(actors, Math.floor(width / 300)));
		const cells = model.panels.reduce((k, p) => k + p.series.length, 0);
		return { width, height: clampHeight(chrome + Math.ceil(cells / cols) * 230) };
	}
	if (mode === 'lanes') {
		return { width, height: clampHeight(chrome + model.panels.reduce((h, p) => h + 90 + 34 * p.series.length, 0)) };
	}
	return { width, height: clampHeight(n <= 1 ? 600 : chrome + n * 280) };
}

function clampHeight(h: number): number {
	return Math.min(EXPORT_LIMITS.maxHeight, Math.max(EXPORT_LIMITS.minHeight, Math.round(h)));
}

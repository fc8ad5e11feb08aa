import { currentUrl, formatMoment } from '../domain/citation';
import type { ChartConfiguration } from 'chart.js';
import { formatDate } from '../domain/dates';
import { formatPosition, sortedLabels } from '../domain/scale';
import type { Actor } from '../domain/types';
import type { CompareMode } from '../domain/view';
import type { CompareModel } from './compareModel';
import { buildStanceLanesConfig } from './stanceLanes';
import { contextMarks } from './contextMarks';
import { buildStanceLineConfig, yAxisWidthFor } from './stanceLine';

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
export function exportTitle(model: CompareModel, actorNames: string[]): string {
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
 * The spec of an exported image for a compare model: one panel per issue (overlay and lanes,
 * stacked) or per actor and issue (side by side, in a grid), the legend, and the sources.
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
	model: CompareModel;
	mode: CompareMode;
	focus: string | null;
	actors: readonly Actor[];
	width: number;
	height: number;
	permalink: string;
	exportedOn: string;
	/** The moment a pinned view shows (ISO date-time): the footer says so instead of the export date, so the image never changes. */
	asof?: string | null;
}): ExportSpec {
	const shown = new Map<string, Actor>();
	for (const p of model.panels) for (const s of p.series) shown.set(s.actor.slug, actors.find((a) => a.slug === s.actor.slug) ?? (s.actor as Actor));
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
	const outlets = new Map<string, number>();
	for (const e of model.events) for (const s of e.sources) outlets.set(s.outlet, (outlets.get(s.outlet) ?? 0) + 1);
	const sources = [...outlets].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([o]) => o);
	return {
		width,
		height,
		title: exportTitle(model, names),
		subtitle: `${scaleText} · ${period}`,
		legend: [...shown.values()].map((a) => ({ label: a.name, color: a.color })),
		markers: model.panels.some((p) => p.markers.length > 0),
		panels,
		columns,
		sources,
		credit: asof
			? `Stance Tracker · as recorded on ${formatMoment(asof)}, later edits not shown · ${permalink} · current version: ${currentUrl(permalink)}`
			: `Stance Tracker · exported ${formatDate(exportedOn)} · ${permalink}`
	};
}

/** The image size a view exports at when none is asked for (CSS pixels). */
export function defaultExportSize(model: CompareModel, mode: CompareMode, width = 1000): { width: number; height: number } {
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

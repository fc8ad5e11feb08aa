import type { ChartConfiguration, ChartDataset, ScriptableContext } from 'chart.js';
import type { AggregatePoint, Bucket, LanePeriod } from '../domain/aggregate';
import { periodEnd } from '../domain/dates';
import { labelFor, levelStep, sortedLabels } from '../domain/scale';
import { periodText } from './detail';
import type { SeriesPoint } from '../domain/series';
import type { Issue } from '../domain/types';
import type { ChangeMarker } from './markers';
import { backgroundPlugin, bandsPlugin, changeMarkersPlugin, contextPlugin, contextRows, crosshairPlugin, CONTEXT_ROW, intervalBandsPlugin, periodBandsPlugin, precisionSpansPlugin, type Band, type ContextMark, type DrawnMarker } from './plugins';
import type { DateRange } from './range';
import { THEMES, type ThemeName } from './theme';
import { timeTicks, toDay } from './timeAxis';

export interface ChartActor {
	slug: string;
	name: string;
	color: string;
}

/** What a chart needs of a series point: no quote, no sources (those are fetched on hover). */
export type ChartPoint = Pick<SeriesPoint, 'date' | 'datePrecision' | 'position' | 'eventId'> & {
	/** The event's uncertainty interval, when it has one: drawn as a band around the line. */
	positionLow?: number | null;
	positionHigh?: number | null;
};

export interface ChartSeries {
	actor: ChartActor;
	/** Every event in view (and the last one before it), when drawn one by one. */
	points: readonly ChartPoint[];
	/** When set, the series is drawn aggregated per `bucket`: a mean line over its min-max band. */
	periods?: readonly AggregatePoint[] | null;
	/** For lanes: the share of each level per period, when aggregated. */
	shares?: readonly LanePeriod[] | null;
	bucket?: Bucket | null;
}

/** What a drawn point of an aggregated series stands for. */
export interface PeriodDatum {
	/** Last day of the period (days, see timeAxis). */
	end: number;
	min: number;
	max: number;
	count: number;
	changes: number;
	bucket: Bucket;
	/** What the period's tooltip and marker say. */
	text: string;
}

/** One drawn point. `eventId` is null for the point that carries the last stance to the range's end. */
export interface StanceDatum {
	x: number;
	y: number;
	position: number;
	eventId: number | null;
	/** Last day of the period for dates known only to a month or year; null for exact days. */
	end: number | null;
	/** Set on the points of an aggregated series: the period's band and count. */
	period?: PeriodDatum;
	/** The event's uncertainty interval (positions, not offset), held like the stance until the next point. */
	interval?: { low: number; high: number };
}

export interface StanceLineInput {
	issue: Issue;
	series: readonly ChartSeries[];
	range: DateRange;
	theme?: ThemeName;
	/** Nudge each actor's line a little apart so lines on the same level stay visible. */
	spread?: boolean;
	/** Small-multiple panel: smaller fonts, fewer ticks. */
	compact?: boolean;
	/** Paint the background (exports); on screen the page shows through. */
	background?: boolean;
	/** Slug of an actor to emphasise; the others fade. */
	focus?: string | null;
	/** Shaded stretches: divergence between two actors, mixed signals within one. */
	bands?: readonly Band[];
	/** Fixed width of the y axis, so stacked panels share one time axis exactly. */
	yAxisWidth?: number;
	/** Context events of the issue: labelled lines (a day) or bands (a span), labels above the plot. */
	context?: readonly ContextMark[];
	/** Changes to mark (see charts/markers); those of actors not charted are left out. */
	markers?: readonly ChangeMarker[];
	/** Ids of corrected events: their points get a dashed ring. */
	corrected?: readonly number[];
}

/** Above this many events a chart draws no point markers (hover still works) and decimates lines. */
export const DENSE_EVENTS = 2000;

/**
 * The vertical nudge for the i-th of n lines: lines spread over at most 40% of one level of the
 * scale, centred on the true position, and never more than 8% of a level apart.
 */
export function spreadOffset(i: number, n: number, step: number): number {
	if (n <= 1) return 0;
	const gap = Math.min(step * 0.08, (step * 0.4) / (n - 1));
	return (i - (n - 1) / 2) * gap;
}

/** A y-axis width that fits the longest label of every issue given, for panels stacked on one time axis. */
export function yAxisWidthFor(issues: readonly Issue[], compact = false): number {
	const longest = Math.max(0, ...issues.flatMap((i) => i.scale.labels.map((l) => l.label.length)));
	return Math.ceil(longest * (compact ? 6.2 : 7.2)) + 16;
}

/** Chart data for one series: its points, then the last stance held to the end of the range. */
export function stanceData(points: readonly ChartPoint[], rangeEnd: number, offset = 0): StanceDatum[] {
	const data: StanceDatum[] = points.map((p) => ({
		x: toDay(p.date),
		y: p.position + offset,
		position: p.position,
		eventId: p.eventId,
		end: p.datePrecision === 'day' ? null : toDay(periodEnd(p.date, p.datePrecision)),
		...(p.positionLow != null && p.positionHigh != null ? { interval: { low: p.positionLow, high: p.positionHigh } } : {})
	}));
	const last = data.at(-1);
	if (last && last.x < rangeEnd) data.push({ x: rangeEnd, y: last.y, position: last.position, eventId: null, end: null });
	return data;
}

/**
 * Chart data for an aggregated series: a point per period at its mean, carrying the period's band
 * (drawn by periodBandsPlugin) and count; the last period's mean holds to the end of the range.
 */
export function periodData(
	periods: readonly AggregatePoint[],
	bucket: Bucket,
	rangeEnd: number,
	offset = 0,
	describe: (p: AggregatePoint) => string = () => ''
): StanceDatum[] {
	const data: StanceDatum[] = periods.map((p) => ({
		x: toDay(p.date),
		y: p.mean + offset,
		position: p.mean,
		eventId: null,
		end: null,
		period: { end: toDay(p.end), min: p.min, max: p.max, count: p.count, changes: p.changes, bucket, text: describe(p) },
		// The period's mean uncertainty interval, drawn over the period like an event's.
		...(p.interval ? { interval: { low: p.interval.low, high: p.interval.high } } : {})
	}));
	const last = data.at(-1);
	if (last && last.period!.end + 1 < rangeEnd) data.push({ x: rangeEnd, y: last.y, position: last.position, eventId: null, end: null });
	return data;
}

/** Events a series stands for in view: its points, or the sum of its periods' counts. */
export function seriesEvents(s: ChartSeries): number {
	return s.periods ? s.periods.reduce((n, p) => n + p.count, 0) : s.points.length;
}

const fade = (color: string) => color + '33';

/**
 * The Chart.js config of a stepped stance chart: one line per actor, a marker per event (a
 * diamond where the date is known only to a month or year), y ticks at the scale's labels.
 * The same config draws on screen and in the server-side image exports.
 */
export function buildStanceLineConfig(input: StanceLineInput): ChartConfiguration<'line', StanceDatum[]> {
	const { issue, series, range, compact = false, focus = null, context = [] } = input;
	const theme = THEMES[input.theme ?? 'light'];
	const scale = issue.scale;
	const step = levelStep(scale);
	const minX = toDay(range.from);
	const maxX = toDay(range.to);
	const labels = sortedLabels(scale);
	const labelAt = new Map(labels.map((l) => [l.value, l.label]));
	const fontSize = compact ? 11 : 13;
	const totalEvents = series.reduce((n, s) => n + (s.periods ? s.periods.length : s.points.length), 0);
	const dense = totalEvents > DENSE_EVENTS;

	const datasets: ChartDataset<'line', StanceDatum[]>[] = series.map((s, i) => {
		const offset = input.spread ? spreadOffset(i, series.length, step) : 0;
		const color = focus && focus !== s.actor.slug ? fade(s.actor.color) : s.actor.color;
		const isEvent = (ctx: ScriptableContext<'line'>) => {
			const raw = ctx.raw as StanceDatum | undefined;
			return raw?.eventId != null || raw?.period != null;
		};
		const isApprox = (ctx: ScriptableContext<'line'>) => (ctx.raw as StanceDatum | undefined)?.end != null;
		const aggregated = !!s.periods && !!s.bucket;
		return {
			label: s.actor.name,
			data: aggregated
				? periodData(s.periods!, s.bucket!, maxX, offset, (p) => periodText({ ...p, actorName: s.actor.name, bucket: s.bucket!, scale, interval: p.interval ?? null }))
				: stanceData(s.points, maxX, offset),
			stepped: 'before',
			borderColor: color,
			backgroundColor: color,
			borderWidth: focus === s.actor.slug ? 3.5 : compact ? 2 : 2.5,
			pointStyle: (ctx) => (isApprox(ctx) ? 'rectRot' : 'circle'),
			// An aggregated series has no markers: its band shows the spread, hover shows the count.
			pointRadius: (ctx) => (isEvent(ctx) && !dense && !aggregated ? (compact ? 3.5 : 5) : 0),
			pointHoverRadius: (ctx) => (isEvent(ctx) ? (compact ? 6 : 8) : 0),
			pointHitRadius: (ctx) => (isEvent(ctx) ? 6 : 0),
			pointBorderWidth: 2,
			pointBorderColor: color,
			pointBackgroundColor: (ctx) => (isApprox(ctx) ? theme.background : color),
			order: focus === s.actor.slug ? 0 : 1
		};
	});

	const drawn: DrawnMarker[] = [];
	for (const m of input.markers ?? []) {
		const i = series.findIndex((s) => s.actor.slug === m.actor);
		// An aggregated series draws its periods, not its events: its changes are in its periods' counts.
		if (i < 0 || series[i]!.periods) continue;
		const offset = input.spread ? spreadOffset(i, series.length, step) : 0;
		drawn.push({ ...m, dataset: i, lane: null, value: m.to + offset, color: String(datasets[i]!.borderColor) });
	}

	return {
		type: 'line',
		data: { datasets },
		options: {
			parsing: false,
			normalized: true,
			animation: false,
			responsive: true,
			maintainAspectRatio: false,
			interaction: { mode: 'nearest', intersect: true },
			font: { family: theme.font, size: fontSize },
			color: theme.text,
			layout: { padding: { top: 8 + contextRows(context.length) * CONTEXT_ROW, right: 12, bottom: 0, left: 0 } },
			scales: {
				x: {
					type: 'linear',
					min: minX,
					max: maxX,
					grid: { color: theme.grid },
					border: { color: theme.grid },
					afterBuildTicks: (axis) => {
						axis.ticks = timeTicks(minX, maxX, compact ? 5 : 8).map((t) => ({ value: t.value, label: t.label }));
					},
					ticks: {
						color: theme.muted,
						font: { size: fontSize - 1 },
						maxRotation: 0,
						autoSkip: false,
						callback: (_v, i, ticks) => String(ticks[i]?.label ?? '')
					}
				},
				y: {
					type: 'linear',
					min: scale.min - step * 0.35,
					max: scale.max + step * 0.35,
					grid: { color: theme.grid },
					border: { display: false },
					afterBuildTicks: (axis) => {
						axis.ticks = labels.map((l) => ({ value: l.value }));
					},
					afterFit: (axis) => {
						if (input.yAxisWidth) axis.width = input.yAxisWidth;
					},
					ticks: {
						color: theme.text,
						font: { size: fontSize - 1 },
						autoSkip: false,
						callback: (v) => labelAt.get(Number(v)) ?? labelFor(scale, Number(v))
					}
				}
			},
			plugins: {
				legend: { display: false },
				title: { display: false },
				tooltip: { enabled: false },
				// Min-max decimation keeps every step's extremes; LTTB would smooth steps away.
				decimation: { enabled: dense, algorithm: 'min-max' },
				// @ts-expect-error: options of our own plugins
				stanceBackground: { color: input.background ? theme.background : undefined },
				stanceBands: {
					bands: input.bands ?? [],
					colors: { divergence: theme.divergence, mixed: theme.mixed },
					text: theme.muted,
					font: `${fontSize - 2}px ${theme.font}`
				},
				stanceCrosshair: { day: null, color: theme.muted },
				stanceContext: { marks: [...context], rows: contextRows(context.length), color: theme.context, band: theme.contextBand, font: `${fontSize - 2}px ${theme.font}` },
				stanceChangeMarkers: {
					markers: drawn,
					corrected: [...(input.corrected ?? [])],
					background: theme.background,
					ring: theme.muted,
					font: theme.font,
					radius: compact ? 6 : 7.5
				}
			}
		},
		plugins: [backgroundPlugin, contextPlugin, bandsPlugin, periodBandsPlugin, intervalBandsPlugin, precisionSpansPlugin, crosshairPlugin, changeMarkersPlugin]
	};
}

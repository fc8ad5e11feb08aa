import type { ChartConfiguration } from 'chart.js';
import { stanceColor, textOn } from '../domain/colors';
import { formatDate } from '../domain/dates';
import { formatDuration, stanceSpans } from '../domain/evidence';
import { formatPosition, labelFor } from '../domain/scale';
import { sharesText } from './detail';
import type { Bucket } from '../domain/aggregate';
import type { Issue } from '../domain/types';
import type { ChangeMarker } from './markers';
import { backgroundPlugin, changeMarkersPlugin, contextPlugin, contextRows, CONTEXT_ROW, laneLabelsPlugin, laneSharesPlugin, type ContextMark, type DrawnMarker } from './plugins';
import type { DateRange } from './range';
import type { ChartPoint, ChartSeries } from './stanceLine';
import { THEMES, type ThemeName } from './theme';
import { timeTicks, toDay } from './timeAxis';

/** One lane segment: a stance held from x[0] to x[1] (days). */
export interface LaneDatum {
	x: [number, number];
	y: string;
	position: number;
	/** The event whose stance the segment holds; null on an aggregated lane's periods. */
	eventId: number | null;
	approx: boolean;
	label: string;
	/** The label with how long the stance lasted ("Halt · 2 days"), on the segment that starts it; drawn when it fits. */
	longLabel?: string;
	color: string;
	textColor: string;
	/** Set on an aggregated lane's periods: the share of each level, drawn by laneSharesPlugin. */
	shares?: { value: number; count: number; color: string }[];
	count?: number;
	changes?: number;
	bucket?: Bucket;
	/** What an aggregated period's tooltip and marker say. */
	text?: string;
	/** The corrected events among those the segment stands for (a dashed outline). */
	corrected?: number[];
	/** The uncertainty interval of the event whose stance the segment holds, when it has one. */
	interval?: { low: number; high: number };
}

/** Stretches over which one stance holds; points sharing a date collapse into the last one (`ids` keeps them all). */
function steps(points: readonly ChartPoint[]): { from: string; to: string | null; point: ChartPoint; ids: number[] }[] {
	const out: { from: string; to: string | null; point: ChartPoint; ids: number[] }[] = [];
	for (const point of points) {
		const prev = out.at(-1);
		if (prev && prev.from === point.date) {
			prev.point = point;
			prev.ids.push(point.eventId);
			continue;
		}
		if (prev) prev.to = point.date;
		out.push({ from: point.date, to: null, point, ids: [point.eventId] });
	}
	return out;
}

export interface StanceLanesInput {
	issue: Issue;
	series: readonly ChartSeries[];
	range: DateRange;
	theme?: ThemeName;
	background?: boolean;
	/** Context events of the issue, drawn over the lanes with their labels above. */
	context?: readonly ContextMark[];
	/** Changes to mark at the top edge of their actor's lane (see charts/markers). */
	markers?: readonly ChangeMarker[];
	/** Ids of corrected events: the segments they state get a dashed ring at their start. */
	corrected?: readonly number[];
}

/**
 * Lane segments for series: one per held stance, clipped to the range; for an aggregated series
 * one per period, carrying the share of each level in it.
 */
export function laneData(series: readonly ChartSeries[], issue: Issue, rangeEnd: number, today?: string, corrected: ReadonlySet<number> = new Set()): LaneDatum[] {
	const out: LaneDatum[] = [];
	for (const s of series) {
		// How long each stance lasted, keyed by the date it starts (as the change records date it).
		const spans = today && !s.shares ? new Map(stanceSpans({ series: s, scale: issue.scale, today }).map((x) => [x.from, x])) : new Map();
		if (s.shares && s.bucket) {
			for (const p of s.shares) {
				const top = p.shares.reduce((a, b) => (b.count > a.count ? b : a), p.shares[0]!);
				const color = stanceColor(issue.scale, top.value);
				out.push({
					x: [toDay(p.date), toDay(p.end) + 1],
					y: s.actor.name,
					position: top.value,
					eventId: null,
					approx: false,
					label: '',
					color,
					textColor: textOn(color),
					shares: p.shares.map((x) => ({ value: x.value, count: x.count, color: stanceColor(issue.scale, x.value) })),
					count: p.count,
					changes: p.changes,
					bucket: s.bucket,
					text: sharesText({ actorName: s.actor.name, date: p.date, bucket: s.bucket, count: p.count, changes: p.changes, shares: p.shares, scale: issue.scale })
				});
			}
			continue;
		}
		for (const step of steps(s.points)) {
			const from = toDay(step.from);
			const to = step.to ? toDay(step.to) : rangeEnd;
			if (to <= from && step.to) continue;
			const position = step.point.position;
			const color = stanceColor(issue.scale, position);
			const approx = step.point.datePrecision !== 'day';
			const fixed = step.ids.filter((id) => corrected.has(id));
			out.push({
				x: [from, Math.max(to, from + 0.5)],
				y: s.actor.name,
				position,
				eventId: step.point.eventId,
				approx,
				label: (approx ? '≈ ' : '') + labelFor(issue.scale, position),
				longLabel: longLabel(spans.get(step.from), approx, step.point),
				color: approx ? color + 'b0' : color,
				textColor: textOn(color),
				...(fixed.length ? { corrected: fixed } : {}),
				...(step.point.positionLow != null && step.point.positionHigh != null ? { interval: { low: step.point.positionLow, high: step.point.positionHigh } } : {})
			});
		}
	}
	return out;
}

function longLabel(span: ReturnType<typeof stanceSpans>[number] | undefined, approx: boolean, point: ChartPoint): string | undefined {
	if (!span) return undefined;
	// A position with an uncertainty interval says both: "Centre +0.41 (−0.2 to +0.9)".
	const num = (n: number) => formatPosition(Math.round(n * 100) / 100);
	const banded = point.positionLow != null && point.positionHigh != null ? ` ${num(point.position)} (${num(point.positionLow)} to ${num(point.positionHigh)})` : '';
	const prefix = (approx ? '≈ ' : '') + span.label + banded;
	return span.holding ? `${prefix} · since ${formatDate(span.from, span.fromPrecision, true)}` : `${prefix} · ${formatDuration(span.days)}`;
}

/**
 * The Chart.js config of a state timeline: a lane per actor, each stretch of time coloured and
 * labelled by the stance held. Stays readable however many actors share a level of the scale.
 */
export function buildStanceLanesConfig(input: StanceLanesInput): ChartConfiguration<'bar', LaneDatum[]> {
	const { issue, series, range, context = [] } = input;
	const theme = THEMES[input.theme ?? 'light'];
	const minX = toDay(range.from);
	const maxX = toDay(range.to);
	const drawn: DrawnMarker[] = [];
	for (const m of input.markers ?? []) {
		const i = series.findIndex((s) => s.actor.slug === m.actor);
		if (i < 0 || series[i]!.shares) continue;
		drawn.push({ ...m, dataset: 0, lane: i, value: m.to, color: theme.text });
	}
	return {
		type: 'bar',
		data: {
			labels: series.map((s) => s.actor.name),
			datasets: [
				{
					label: issue.title,
					data: laneData(series, issue, maxX, range.to, new Set(input.corrected ?? [])),
					backgroundColor: (ctx) => (ctx.raw as LaneDatum | undefined)?.color ?? '#999999',
					borderColor: theme.background,
					borderWidth: { left: 1, right: 1, top: 0, bottom: 0 },
					borderSkipped: false,
					barPercentage: 0.9,
					categoryPercentage: 0.9,
					grouped: false
				}
			]
		},
		options: {
			indexAxis: 'y',
			animation: false,
			responsive: true,
			maintainAspectRatio: false,
			font: { family: theme.font, size: 13 },
			color: theme.text,
			interaction: { mode: 'nearest', intersect: true },
			layout: { padding: { top: 4 + contextRows(context.length) * CONTEXT_ROW, right: 12 } },
			scales: {
				x: {
					type: 'linear',
					min: minX,
					max: maxX,
					grid: { color: theme.grid },
					border: { color: theme.grid },
					afterBuildTicks: (axis) => {
						axis.ticks = timeTicks(minX, maxX, 8).map((t) => ({ value: t.value, label: t.label }));
					},
					ticks: {
						color: theme.muted,
						maxRotation: 0,
						autoSkip: false,
						callback: (_v, i, ticks) => String(ticks[i]?.label ?? '')
					}
				},
				y: {
					type: 'category',
					grid: { display: false },
					border: { display: false },
					ticks: { color: theme.text, font: { size: 13 } }
				}
			},
			plugins: {
				legend: { display: false },
				tooltip: { enabled: false },
				// @ts-expect-error: options of our own plugins
				stanceBackground: { color: input.background ? theme.background : undefined },
				laneLabels: { font: `12px ${theme.font}` },
				stanceContext: { marks: [...context], rows: contextRows(context.length), color: theme.context, band: theme.contextBand, font: `11px ${theme.font}`, over: true },
				stanceChangeMarkers: { markers: drawn, corrected: [...(input.corrected ?? [])], background: theme.background, ring: theme.muted, font: theme.font, radius: 6 }
			}
		},
		plugins: [backgroundPlugin, laneSharesPlugin, laneLabelsPlugin, contextPlugin, changeMarkersPlugin]
	};
}

import type { Chart, ChartDataset, Plugin, Scale } from 'chart.js';
import { drawMarkerShape, type ChangeMarker, type MarkerHost, type PlacedMarker, type ShapeCtx } from './markers';

/**
 * Runs `draw` clipped to the chart's plot area, with the x and y scales, between a save and a
 * restore of the context: the shared prologue of every plugin that paints inside the plot.
 * Does nothing on a chart without both scales.
 */
export function drawInPlot(chart: Chart, draw: (ctx: CanvasRenderingContext2D, x: Scale, y: Scale) => void): void {
	const { ctx, chartArea, scales } = chart;
	const x = scales.x;
	const y = scales.y;
	if (!x || !y) return;
	ctx.save();
	ctx.beginPath();
	ctx.rect(chartArea.left, chartArea.top, chartArea.width, chartArea.height);
	ctx.clip();
	try {
		draw(ctx, x, y);
	} finally {
		ctx.restore();
	}
}

/** The chart's datasets a reader has not hidden, each with its index. */
export function visibleDatasets(chart: Chart): { ds: ChartDataset; index: number }[] {
	const out: { ds: ChartDataset; index: number }[] = [];
	chart.data.datasets.forEach((ds, index) => {
		if (chart.isDatasetVisible(index)) out.push({ ds: ds as ChartDataset, index });
	});
	return out;
}

/** A dataset's line colour as #rrggbb (alpha dropped), grey when it is not a plain string. */
const baseColor = (ds: ChartDataset, keepAlpha = false) =>
	typeof ds.borderColor === 'string' ? (keepAlpha ? ds.borderColor : ds.borderColor.slice(0, 7)) : '#888888';

/** Paints the canvas background, so exported images are not transparent. */
export const backgroundPlugin: Plugin = {
	id: 'stanceBackground',
	beforeDraw(chart: Chart, _args, options: { color?: string }) {
		if (!options.color) return;
		const { ctx, width, height } = chart;
		ctx.save();
		ctx.fillStyle = options.color;
		ctx.fillRect(0, 0, width, height);
		ctx.restore();
	}
};

interface SpanDatum {
	x: number;
	y: number;
	end?: number | null;
}

/**
 * Draws a translucent band across the period of each point whose date is known only to a month
 * or year, so a reader sees the date is approximate rather than a fake exact day.
 */
export const precisionSpansPlugin: Plugin = {
	id: 'precisionSpans',
	beforeDatasetsDraw(chart: Chart) {
		drawInPlot(chart, (ctx, x, y) => {
			for (const { ds } of visibleDatasets(chart)) {
				const color = baseColor(ds, true);
				for (const d of ds.data as unknown as SpanDatum[]) {
					if (d.end == null) continue;
					const x0 = x.getPixelForValue(d.x);
					const x1 = x.getPixelForValue(d.end + 1);
					const yy = y.getPixelForValue(d.y);
					ctx.fillStyle = color + '40';
					ctx.fillRect(x0, yy - 5, Math.max(2, x1 - x0), 10);
				}
			}
		});
	}
};

interface PeriodBandDatum {
	x: number;
	period?: { end: number; min: number; max: number };
}

/**
 * Draws, behind an aggregated series' mean line, each period's band from the lowest to the highest
 * stance held in it: a period where the stance moved is never a flat line.
 */
export const periodBandsPlugin: Plugin = {
	id: 'periodBands',
	beforeDatasetsDraw(chart: Chart) {
		drawInPlot(chart, (ctx, x, y) => {
			// Bands of many actors overlap: each gets fainter so the mean lines stay readable.
			const banded = chart.data.datasets.filter((ds) => (ds.data as unknown as PeriodBandDatum[]).some((d) => d.period)).length;
			const alpha = Math.round(255 * Math.max(0.035, 0.18 / Math.sqrt(Math.max(1, banded))))
				.toString(16)
				.padStart(2, '0');
			for (const { ds } of visibleDatasets(chart)) {
				const color = baseColor(ds);
				// Where the mean line is offset (spread), the band moves with it.
				for (const d of ds.data as unknown as (PeriodBandDatum & { y: number; position: number })[]) {
					if (!d.period) continue;
					const offset = d.y - d.position;
					const x0 = x.getPixelForValue(d.x);
					const x1 = x.getPixelForValue(d.period.end + 1);
					const yTop = y.getPixelForValue(d.period.max + offset);
					const yBottom = y.getPixelForValue(d.period.min + offset);
					ctx.fillStyle = color + alpha;
					ctx.fillRect(x0, yTop - 1, Math.max(1, x1 - x0 - 0.5), Math.max(2, yBottom - yTop + 2));
				}
			}
		});
	}
};

/**
 * Paints each event's uncertainty interval as a translucent band around its actor's stepped line:
 * from the event to the next point, between its lower and upper bound (moved with a spread line);
 * an aggregated period's mean interval over its period.
 */
export const intervalBandsPlugin: Plugin = {
	id: 'intervalBands',
	beforeDatasetsDraw(chart: Chart) {
		drawInPlot(chart, (ctx, x, y) => {
			for (const { ds } of visibleDatasets(chart)) {
				const data = ds.data as unknown as { x: number; y: number; position: number; interval?: { low: number; high: number }; period?: { end: number } }[];
				ctx.fillStyle = baseColor(ds) + '2e';
				data.forEach((d, k) => {
					const next = data[k + 1];
					// An event's holds to the next point; a period's mean interval covers its period.
					const end = d.period ? d.period.end + 1 : next?.x;
					if (!d.interval || end === undefined) return;
					const offset = d.y - d.position;
					const x0 = x.getPixelForValue(d.x);
					const x1 = x.getPixelForValue(end);
					const yTop = y.getPixelForValue(d.interval.high + offset);
					const yBottom = y.getPixelForValue(d.interval.low + offset);
					ctx.fillRect(x0, yTop, Math.max(1, x1 - x0), Math.max(1, yBottom - yTop));
				});
			}
		});
	}
};

interface LaneDatum {
	x: [number, number];
	label: string;
	longLabel?: string;
	textColor: string;
	shares?: { count: number; color: string }[];
}

/**
 * Paints an aggregated lane's periods as stacks: each period's height is split between the
 * stances held in it, in proportion to their events, lowest level at the bottom.
 */
export const laneSharesPlugin: Plugin = {
	id: 'laneShares',
	afterDatasetsDraw(chart: Chart) {
		drawInPlot(chart, (ctx) => {
			for (const { ds, index } of visibleDatasets(chart)) {
				chart.getDatasetMeta(index).data.forEach((el, j) => {
					const d = (ds.data as unknown as LaneDatum[])[j];
					if (!d?.shares) return;
					const { x, base, y, height } = el.getProps(['x', 'base', 'y', 'height'], true) as { x: number; base: number; y: number; height: number };
					const left = Math.min(x, base);
					const w = Math.max(1, Math.abs(x - base));
					const total = d.shares.reduce((n, s) => n + s.count, 0) || 1;
					let bottom = y + height / 2;
					for (const s of d.shares) {
						const h = (height * s.count) / total;
						ctx.fillStyle = s.color;
						ctx.fillRect(left, bottom - h, w, h);
						bottom -= h;
					}
				});
			}
		});
	}
};

/** Writes each lane segment's stance label inside it where it fits. */
export const laneLabelsPlugin: Plugin = {
	id: 'laneLabels',
	afterDatasetsDraw(chart: Chart, _args, options: { font?: string }) {
		const { chartArea } = chart;
		drawInPlot(chart, (ctx) => {
			ctx.font = options.font ?? '12px sans-serif';
			ctx.textBaseline = 'middle';
			for (const { ds, index } of visibleDatasets(chart)) {
				chart.getDatasetMeta(index).data.forEach((el, j) => {
					const d = (ds.data as unknown as LaneDatum[])[j];
					if (!d) return;
					const { x, base, y } = el.getProps(['x', 'base', 'y'], true) as { x: number; base: number; y: number };
					const left = Math.max(Math.min(x, base), chartArea.left);
					const right = Math.min(Math.max(x, base), chartArea.right);
					// The label with the stance's duration when it fits, else the label alone.
					const text = d.longLabel && ctx.measureText(d.longLabel).width + 8 <= right - left ? d.longLabel : d.label;
					const w = ctx.measureText(text).width;
					if (right - left < w + 8) return;
					ctx.fillStyle = d.textColor;
					ctx.fillText(text, left + 4, y);
				});
			}
		});
	}
};

/** A shaded stretch of time on a chart: where two actors diverge, or an actor sends mixed signals. */
export interface Band {
	/** Days (see timeAxis). `to` is exclusive. */
	from: number;
	to: number;
	kind: 'divergence' | 'mixed';
	label: string;
	/** The actor a mixed-signal band belongs to. */
	actor?: string;
}

/** Shades bands behind the lines, with a small label at the top of each. */
export const bandsPlugin: Plugin = {
	id: 'stanceBands',
	beforeDatasetsDraw(chart: Chart, _args, options: { bands?: Band[]; colors?: Record<Band['kind'], string>; text?: string; font?: string }) {
		const bands = options.bands ?? [];
		if (!bands.length) return;
		const { chartArea } = chart;
		drawInPlot(chart, (ctx, x) => {
			ctx.font = options.font ?? '11px sans-serif';
			ctx.textBaseline = 'top';
			for (const b of bands) {
				const x0 = Math.max(chartArea.left, x.getPixelForValue(b.from));
				const x1 = Math.min(chartArea.right, x.getPixelForValue(b.to));
				if (x1 <= x0) continue;
				ctx.fillStyle = options.colors?.[b.kind] ?? 'rgba(128,128,128,0.15)';
				if (b.kind === 'mixed') {
					// Hatched, so mixed signals read differently from a divergence band.
					const w = Math.max(3, x1 - x0);
					ctx.fillRect(x0, chartArea.top, w, chartArea.height);
					ctx.save();
					ctx.beginPath();
					ctx.rect(x0, chartArea.top, w, chartArea.height);
					ctx.clip();
					ctx.strokeStyle = options.colors?.[b.kind] ?? 'rgba(128,128,128,0.4)';
					ctx.lineWidth = 1;
					for (let hx = x0 - chartArea.height; hx < x0 + w; hx += 6) {
						ctx.beginPath();
						ctx.moveTo(hx, chartArea.bottom);
						ctx.lineTo(hx + chartArea.height, chartArea.top);
						ctx.stroke();
					}
					ctx.restore();
				} else ctx.fillRect(x0, chartArea.top, x1 - x0, chartArea.height);
				ctx.fillStyle = options.text ?? '#444444';
				const w = ctx.measureText(b.label).width;
				if (x1 - x0 > w + 6 || b.kind === 'mixed') ctx.fillText(b.label, Math.min(x0 + 3, chartArea.right - w - 3), chartArea.top + 3);
			}
		});
	}
};

/** Where a screen sets the crosshair's day on a live chart; a redraw (no update) then shows it. */
export interface CrosshairHost {
	stanceCrosshairDay?: number | null;
}

/** A vertical line at a day, shared by every panel of a side-by-side grid. */
export const crosshairPlugin: Plugin = {
	id: 'stanceCrosshair',
	afterDatasetsDraw(chart: Chart, _args, options: { day?: number | null; color?: string }) {
		const day = (chart as Chart & CrosshairHost).stanceCrosshairDay ?? options.day;
		if (day == null) return;
		const { ctx, chartArea, scales } = chart;
		const x = scales.x;
		if (!x) return;
		const px = x.getPixelForValue(day);
		if (px < chartArea.left || px > chartArea.right) return;
		ctx.save();
		ctx.strokeStyle = options.color ?? '#666666';
		ctx.setLineDash([4, 3]);
		ctx.lineWidth = 1;
		ctx.beginPath();
		ctx.moveTo(px, chartArea.top);
		ctx.lineTo(px, chartArea.bottom);
		ctx.stroke();
		ctx.restore();
	}
};

/** A context event as a chart draws it (see domain/context.ts). Days: see timeAxis. */
export interface ContextMark {
	/** First day. */
	from: number;
	/** Last day (inclusive); equal to `from` for a single day. */
	to: number;
	/** What the chart writes: "2 Sep 2025: First US strike on a boat". */
	label: string;
}

/** Height of one row of context labels, in CSS pixels; the strip above the plot holds `rows` of them. */
export const CONTEXT_ROW = 15;

/** How many rows of labels the context strip reserves for `n` context events. */
export const contextRows = (n: number) => (n === 0 ? 0 : n === 1 ? 1 : 2);

/**
 * Draws context events: a dashed vertical line at a day, a shaded band over a span (behind the
 * lines, inside the plot), and each one's label in a strip above the plot (so no label covers a
 * stance line), joined to its mark by a short tick. Labels that would collide go to a second row
 * (above the first);
 * one that still collides is shortened with an ellipsis.
 */
export const contextPlugin: Plugin = {
	id: 'stanceContext',
	beforeDatasetsDraw(chart: Chart, _args, options: ContextOptions) {
		if (!options.over) drawContextMarks(chart, options);
	},
	afterDatasetsDraw(chart: Chart, _args, options: ContextOptions) {
		if (options.over) drawContextMarks(chart, options);
		drawContextLabels(chart, options);
	}
};

interface ContextOptions {
	marks?: ContextMark[];
	color?: string;
	band?: string;
	font?: string;
	rows?: number;
	/** Draw the lines and bands over the datasets (lanes, which would hide them), not behind. */
	over?: boolean;
}

function drawContextMarks(chart: Chart, options: ContextOptions) {
	const marks = options.marks ?? [];
	if (!marks.length) return;
	drawInPlot(chart, (ctx, x) => {
		const { chartArea } = chart;
		for (const m of marks) {
			const x0 = x.getPixelForValue(m.from);
			if (m.to > m.from) {
				const x1 = x.getPixelForValue(m.to + 1);
				ctx.fillStyle = options.band ?? 'rgba(128,128,128,0.12)';
				ctx.fillRect(x0, chartArea.top, Math.max(2, x1 - x0), chartArea.height);
			} else {
				ctx.strokeStyle = options.color ?? '#666666';
				ctx.lineWidth = 1.5;
				ctx.setLineDash([5, 3]);
				ctx.beginPath();
				ctx.moveTo(Math.round(x0) + 0.5, chartArea.top);
				ctx.lineTo(Math.round(x0) + 0.5, chartArea.bottom);
				ctx.stroke();
			}
		}
	});
}

function drawContextLabels(chart: Chart, options: ContextOptions) {
	const marks = [...(options.marks ?? [])].sort((a, b) => a.from - b.from);
	if (!marks.length) return;
	const { ctx, chartArea, scales } = chart;
	const x = scales.x;
	if (!x) return;
	const rows = Math.max(1, options.rows ?? 1);
	const ends: number[] = Array(rows).fill(-Infinity);
	ctx.save();
	ctx.font = options.font ?? '11px sans-serif';
	ctx.textBaseline = 'middle';
	ctx.fillStyle = options.color ?? '#666666';
	ctx.strokeStyle = options.color ?? '#666666';
	ctx.lineWidth = 1;
	for (const m of marks) {
		const left = x.getPixelForValue(m.from);
		const right = m.to > m.from ? x.getPixelForValue(m.to + 1) : left;
		if (right < chartArea.left || left > chartArea.right) continue;
		const anchor = Math.min(Math.max(left, chartArea.left), chartArea.right);
		let text = m.label;
		let w = ctx.measureText(text).width;
		// Left-aligned at the mark, or ending at it when it would run off the plot's right edge.
		let start = anchor + 3 + w > chartArea.right ? Math.max(chartArea.left, anchor - 3 - w) : anchor + 3;
		let row = ends.findIndex((end) => end + 6 <= start);
		if (row < 0) {
			// No row is free: the row that ends first, with the label shortened to what fits.
			row = ends.indexOf(Math.min(...ends));
			start = Math.max(start, ends[row]! + 6);
			const room = chartArea.right - start;
			while (text.length > 1 && ctx.measureText(text + '…').width > room) text = text.slice(0, -1);
			text = text + '…';
			w = ctx.measureText(text).width;
		}
		ends[row] = start + w;
		// Row 0 is the one next to the plot; a second row sits above it.
		const y = chartArea.top - (row + 1) * CONTEXT_ROW + CONTEXT_ROW / 2 - 2;
		ctx.fillText(text, start, y);
		// The tick from the label's row down to the plot.
		ctx.beginPath();
		ctx.moveTo(Math.round(anchor) + 0.5, y + 5);
		ctx.lineTo(Math.round(anchor) + 0.5, chartArea.top);
		ctx.stroke();
	}
	ctx.restore();
}

/** A change marker as a chart config carries it: which dataset (or lane) it belongs to, where, in what colour. */
export interface DrawnMarker extends ChangeMarker {
	dataset: number;
	/** On a lanes chart, the lane's index; null on a line chart. */
	lane: number | null;
	/** On a line chart, the new stance as drawn (spread offset included). */
	value: number;
	color: string;
}

/**
 * Draws each change as its class's shape next to where the new stance starts: above the step when
 * the stance rose, below it when it fell (away from the step's rise, so the line stays visible); on
 * a lanes chart at the top edge of the lane. Rings the points of corrected events. Keeps where it
 * drew each marker on the chart (`MarkerHost`) for the screen's hover and keyboard targets.
 */
export const changeMarkersPlugin: Plugin = {
	id: 'stanceChangeMarkers',
	afterDatasetsDraw(
		chart: Chart,
		_args,
		options: { markers?: DrawnMarker[]; corrected?: number[]; background?: string; ring?: string; font?: string; radius?: number }
	) {
		const host = chart as Chart & MarkerHost;
		const markers = options.markers ?? [];
		const corrected = new Set(options.corrected ?? []);
		const placed: PlacedMarker[] = [];
		const rings: number[] = [];
		host.stanceChangeMarks = placed;
		host.stanceCorrectedRings = rings;
		if (!markers.length && !corrected.size) return;
		const { chartArea } = chart;
		const r = options.radius ?? 6;
		const background = options.background ?? '#ffffff';
		drawInPlot(chart, (ctx, x, y) => {
			if (corrected.size) {
				// A dashed ring around each corrected event's point; on lanes, a dashed outline of the segment it states.
				const lanes = (chart.config as { type?: string }).type === 'bar';
				ctx.setLineDash([2, 2]);
				ctx.lineWidth = 1.5;
				ctx.strokeStyle = options.ring ?? '#59636e';
				for (const { ds, index } of visibleDatasets(chart)) {
					chart.getDatasetMeta(index).data.forEach((el, j) => {
						const d = (ds.data as unknown as { eventId?: number | null; corrected?: number[]; textColor?: string }[])[j];
						const ids = lanes ? (d?.corrected ?? []) : d?.eventId != null && corrected.has(d.eventId) ? [d.eventId] : [];
						if (!ids.length) return;
						const p = el.getProps(['x', 'y', 'base', 'height'], true) as { x: number; y: number; base?: number; height?: number };
						ctx.beginPath();
						if (lanes) {
							// On a lane, a dashed outline just inside the segment the event states.
							const left = Math.max(Math.min(p.x, p.base ?? p.x), chartArea.left);
							const right = Math.min(Math.max(p.x, p.base ?? p.x), chartArea.right);
							const h = p.height ?? 2 * r;
							// In the colour of the segment's label, which reads on its stance colour.
							ctx.strokeStyle = d?.textColor ?? options.ring ?? '#59636e';
							ctx.lineWidth = 2;
							ctx.rect(left + 1.5, p.y - h / 2 + 1.5, Math.max(3, right - left - 3), Math.max(3, h - 3));
						} else ctx.arc(p.x, p.y, r + 4, 0, Math.PI * 2);
						ctx.stroke();
						rings.push(...ids);
					});
				}
				ctx.setLineDash([]);
			}
			const laneHeight = markers.some((m) => m.lane !== null) ? chartArea.height / Math.max(1, chart.data.labels?.length ?? 1) : 0;
			for (const m of markers) {
				if (!chart.isDatasetVisible(m.dataset)) continue;
				const px = x.getPixelForValue(m.day);
				if (px < chartArea.left - 1 || px > chartArea.right + 1) continue;
				let py: number;
				let mx = px;
				if (m.lane !== null) py = y.getPixelForValue(m.lane) - laneHeight * 0.42 + r;
				else {
					const at = y.getPixelForValue(m.value);
					const away = m.to >= m.from ? -(r + 7) : r + 7;
					py = at + away;
					// No room on the far side of the step (the scale's end): the near side, moved right off the step's rise.
					if (py - r < chartArea.top || py + r > chartArea.bottom) {
						py = at - away;
						mx = px + r + 4;
					}
				}
				py = Math.min(Math.max(py, chartArea.top + r + 1), chartArea.bottom - r - 1);
				drawMarkerShape(ctx as unknown as ShapeCtx, {
					cls: m.class,
					up: m.to >= m.from,
					filled: m.confirmation !== null,
					color: m.color.slice(0, 7),
					background,
					x: mx,
					y: py,
					r,
					font: options.font
				});
				placed.push({ eventId: m.eventId, x: mx, y: py, r });
			}
		});
	}
};

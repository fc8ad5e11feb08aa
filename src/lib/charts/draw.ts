import type { Chart as ChartJs, ChartConfiguration } from 'chart.js';
import type { ExportSpec } from './exportSpec';
import { drawMarkerShape, MARKER_LEGEND, type ShapeCtx } from './markers';
import { THEMES } from './theme';

/** The part of a 2D context an export draws with: a browser canvas or @napi-rs/canvas alike. */
export type Ctx2D = CanvasRenderingContext2D;

export interface DrawDeps {
	Chart: typeof ChartJs;
	/** Chart.js's BasicPlatform: charts drawn into a region of a shared canvas need no DOM. */
	BasicPlatform: new () => unknown;
}

const theme = THEMES.light;
const PAD = 24;

/** Wraps text into lines no wider than `max`, on spaces. */
function wrap(ctx: Ctx2D, text: string, max: number): string[] {
	const words = text.split(' ');
	const lines: string[] = [];
	let line = '';
	for (const w of words) {
		const next = line ? `${line} ${w}` : w;
		if (ctx.measureText(next).width > max && line) {
			lines.push(line);
			line = w;
		} else line = next;
	}
	if (line) lines.push(line);
	return lines;
}

/**
 * A context that draws into one region of a shared canvas: Chart.js's own transforms (device
 * pixel ratio, resets when clearing) are shifted by the region's offset.
 */
function regionContext(ctx: Ctx2D, canvas: object, ox: number, oy: number, scale: number): Ctx2D {
	return new Proxy(ctx, {
		get(target, prop) {
			if (prop === 'canvas') return canvas;
			if (prop === 'setTransform') {
				return (a: number | DOMMatrix2DInit, b = 0, c = 0, d = 1, e = 0, f = 0) =>
					typeof a === 'number' ? target.setTransform(a, b, c, d, e + ox * scale, f + oy * scale) : target.setTransform(a);
			}
			if (prop === 'resetTransform') return () => target.setTransform(1, 0, 0, 1, ox * scale, oy * scale);
			const value = Reflect.get(target, prop, target);
			return typeof value === 'function' ? value.bind(target) : value;
		},
		set(target, prop, value) {
			return Reflect.set(target, prop, value, target);
		}
	});
}

/** A rectangle in CSS pixels of the export. */
export interface Rect {
	x: number;
	y: number;
	w: number;
	h: number;
}

/** Draws one chart into a region; returns its plot area (inside the axes) on the export. */
function drawChart(ctx: Ctx2D, deps: DrawDeps, config: ChartConfiguration, x: number, y: number, w: number, h: number, scale: number): Rect {
	const canvas = { width: Math.round(w), height: Math.round(h), style: {} as Record<string, string>, getContext: () => region };
	const region = regionContext(ctx, canvas, x, y, scale);
	const chart = new deps.Chart(region as unknown as CanvasRenderingContext2D, {
		...config,
		platform: deps.BasicPlatform,
		options: { ...config.options, responsive: false, animation: false, devicePixelRatio: scale, events: [] }
	} as ChartConfiguration);
	const area = chart.chartArea;
	// Destroying clears the chart's canvas; a zero-sized stand-in keeps the drawing.
	canvas.width = 0;
	canvas.height = 0;
	chart.destroy();
	return { x: x + area.left, y: y + area.top, w: area.right - area.left, h: area.bottom - area.top };
}

/**
 * Draws an export onto a context whose canvas is spec.width x scale by spec.height x scale:
 * white background, title and subtitle, legend, the panels, then sources and the permalink.
 * The browser and the server renderers both call this. Returns each panel's plot area.
 */
export function drawExport(ctx: Ctx2D, spec: ExportSpec, deps: DrawDeps, scale = 1): { plots: Rect[] } {
	const plots: Rect[] = [];
	const { width, height } = spec;
	const inner = width - 2 * PAD;
	ctx.setTransform(scale, 0, 0, scale, 0, 0);
	ctx.fillStyle = theme.background;
	ctx.fillRect(0, 0, width, height);
	ctx.textBaseline = 'top';
	ctx.textAlign = 'left';

	let y = PAD;
	ctx.fillStyle = theme.text;
	ctx.font = `bold 22px ${theme.font}`;
	for (const line of wrap(ctx, spec.title, inner)) {
		ctx.fillText(line, PAD, y);
		y += 28;
	}
	ctx.fillStyle = theme.muted;
	ctx.font = `13px ${theme.font}`;
	for (const line of wrap(ctx, spec.subtitle, inner)) {
		ctx.fillText(line, PAD, y + 2);
		y += 19;
	}
	y += 8;

	// Legend: a swatch and a name per actor, wrapped.
	ctx.font = `13px ${theme.font}`;
	let lx = PAD;
	for (const item of spec.legend) {
		const w = 18 + ctx.measureText(item.label).width + 16;
		if (lx + w > width - PAD && lx > PAD) {
			lx = PAD;
			y += 20;
		}
		ctx.fillStyle = item.color;
		ctx.fillRect(lx, y + 3, 12, 12);
		ctx.fillStyle = theme.text;
		ctx.fillText(item.label, lx + 18, y + 2);
		lx += w;
	}
	if (spec.markers) {
		// The change markers' shapes, after the actors.
		for (const item of [...MARKER_LEGEND, { cls: null, text: 'filled: class confirmed by an editor' }]) {
			const w = (item.cls ? 20 : 0) + ctx.measureText(item.text).width + 16;
			if (lx + w > width - PAD && lx > PAD) {
				lx = PAD;
				y += 20;
			}
			if (item.cls) {
				drawMarkerShape(ctx as unknown as ShapeCtx, { cls: item.cls, up: true, filled: false, color: theme.text, background: theme.background, x: lx + 7, y: y + 9, r: 6, font: theme.font });
				ctx.textAlign = 'left';
				ctx.textBaseline = 'top';
			}
			ctx.fillStyle = item.cls ? theme.text : theme.muted;
			ctx.fillText(item.text, lx + (item.cls ? 18 : 0), y + 2);
			lx += w;
		}
	}
	y += 28;

	// Footer, measured first so the panels get the rest.
	ctx.font = `12px ${theme.font}`;
	const sourceLines = wrap(ctx, `Sources: ${spec.sources.join('; ') || 'none'}`, inner);
	const creditLines = wrap(ctx, spec.credit, inner);
	const footerHeight = (sourceLines.length + creditLines.length) * 17 + 12;
	const bottom = height - PAD - footerHeight;

	const cols = Math.max(1, spec.columns);
	const rows: (typeof spec.panels)[] = [];
	for (let i = 0; i < spec.panels.length; i += cols) rows.push(spec.panels.slice(i, i + cols));
	const captionH = spec.panels.some((p) => p.caption) ? 20 : 0;
	const gap = 12;
	const available = Math.max(60, bottom - y - gap * Math.max(0, rows.length - 1));
	const weights = rows.map((r) => Math.max(...r.map((p) => p.weight)));
	const totalWeight = weights.reduce((a, b) => a + b, 0) || 1;
	const colW = (inner - gap * (cols - 1)) / cols;
	rows.forEach((row, r) => {
		const rowH = (available * weights[r]!) / totalWeight;
		row.forEach((panel, c) => {
			const px = PAD + c * (colW + gap);
			if (panel.caption) {
				ctx.setTransform(scale, 0, 0, scale, 0, 0);
				ctx.fillStyle = theme.text;
				ctx.font = `bold 13px ${theme.font}`;
				ctx.textBaseline = 'top';
				ctx.fillText(wrap(ctx, panel.caption, colW)[0] ?? '', px, y);
			}
			ctx.save();
			plots.push(drawChart(ctx, deps, panel.config as ChartConfiguration, px, y + captionH, colW, Math.max(40, rowH - captionH), scale));
			ctx.restore();
		});
		y += rowH + gap;
	});

	ctx.setTransform(scale, 0, 0, scale, 0, 0);
	ctx.textBaseline = 'top';
	ctx.textAlign = 'left';
	let fy = height - PAD - footerHeight + 12;
	ctx.strokeStyle = theme.grid;
	ctx.beginPath();
	ctx.moveTo(PAD, fy - 6);
	ctx.lineTo(width - PAD, fy - 6);
	ctx.stroke();
	ctx.font = `12px ${theme.font}`;
	ctx.fillStyle = theme.muted;
	for (const line of [...sourceLines, ...creditLines]) {
		ctx.fillText(line, PAD, fy);
		fy += 17;
	}
	return { plots };
}

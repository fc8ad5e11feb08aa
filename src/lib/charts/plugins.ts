import type { Chart, Plugin } from 'chart.js';

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
		const { ctx, chartArea, scales } = chart;
		const x = scales.x;
		const y = scales.y;
		if (!x || !y) return;
		ctx.save();
		ctx.beginPath();
		ctx.rect(chartArea.left, chartArea.top, chartArea.width, chartArea.height);
		ctx.clip();
		chart.data.datasets.forEach((ds, i) => {
			if (!chart.isDatasetVisible(i)) return;
			const color = typeof ds.borderColor === 'string' ? ds.borderColor : '#888888';
			for (const d of ds.data as unknown as SpanDatum[]) {
				if (d.end == null) continue;
				const x0 = x.getPixelForValue(d.x);
				const x1 = x.getPixelForValue(d.end + 1);
				const yy = y.getPixelForValue(d.y);
				ctx.fillStyle = color + '40';
				ctx.fillRect(x0, yy - 5, Math.max(2, x1 - x0), 10);
			}
		});
		ctx.restore();
	}
};

interface LaneDatum {
	x: [number, number];
	label: string;
	textColor: string;
}

/** Writes each lane segment's stance label inside it where it fits. */
export const laneLabelsPlugin: Plugin = {
	id: 'laneLabels',
	afterDatasetsDraw(chart: Chart, _args, options: { font?: string }) {
		const { ctx, chartArea } = chart;
		ctx.save();
		ctx.font = options.font ?? '12px sans-serif';
		ctx.textBaseline = 'middle';
		ctx.beginPath();
		ctx.rect(chartArea.left, chartArea.top, chartArea.width, chartArea.height);
		ctx.clip();
		chart.data.datasets.forEach((ds, i) => {
			const meta = chart.getDatasetMeta(i);
			meta.data.forEach((el, j) => {
				const d = (ds.data as unknown as LaneDatum[])[j];
				if (!d) return;
				const { x, base, y } = el.getProps(['x', 'base', 'y'], true) as { x: number; base: number; y: number };
				const left = Math.max(Math.min(x, base), chartArea.left);
				const right = Math.min(Math.max(x, base), chartArea.right);
				const text = d.label;
				const w = ctx.measureText(text).width;
				if (right - left < w + 8) return;
				ctx.fillStyle = d.textColor;
				ctx.fillText(text, left + 4, y);
			});
		});
		ctx.restore();
	}
};

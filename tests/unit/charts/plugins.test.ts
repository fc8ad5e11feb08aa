import { createCanvas } from '@napi-rs/canvas';
import type { Chart } from 'chart.js';
import { describe, expect, it } from 'vitest';
import { drawInPlot } from '../../../src/lib/charts/plugins';

/** The parts of a chart drawInPlot reads, on a real canvas. */
function plotOn(scales: Record<string, unknown>) {
	const canvas = createCanvas(100, 100);
	const ctx = canvas.getContext('2d');
	const chart = { ctx, chartArea: { left: 10, top: 10, width: 50, height: 50, right: 60, bottom: 60 }, scales } as unknown as Chart;
	const pixel = (x: number, y: number) => Array.from(ctx.getImageData(x, y, 1, 1).data);
	return { ctx, chart, pixel };
}

describe('drawInPlot', () => {
	it('paints only inside the plot area and restores the context afterwards', () => {
		const { ctx, chart, pixel } = plotOn({ x: {}, y: {} });
		ctx.fillStyle = '#00ff00';
		drawInPlot(chart, (c) => {
			c.fillStyle = '#ff0000';
			c.fillRect(0, 0, 100, 100);
		});
		expect(pixel(30, 30)).toEqual([255, 0, 0, 255]);
		expect(pixel(5, 5)).toEqual([0, 0, 0, 0]);
		expect(pixel(80, 80)).toEqual([0, 0, 0, 0]);
		// The clip and fill colour are gone: a later fill reaches outside the plot again.
		ctx.fillRect(0, 0, 100, 100);
		expect(pixel(80, 80)).toEqual([0, 255, 0, 255]);
	});

	it('restores the context even when the drawing throws', () => {
		const { ctx, chart, pixel } = plotOn({ x: {}, y: {} });
		expect(() => drawInPlot(chart, () => { throw new Error('bad datum'); })).toThrow('bad datum');
		ctx.fillStyle = '#0000ff';
		ctx.fillRect(0, 0, 100, 100);
		expect(pixel(80, 80)).toEqual([0, 0, 255, 255]);
	});

	it('draws nothing on a chart without both scales', () => {
		const { chart } = plotOn({ x: {} });
		let called = false;
		drawInPlot(chart, () => (called = true));
		expect(called).toBe(false);
	});
});

import {
	BarController,
	BarElement,
	CategoryScale,
	Chart,
	Decimation,
	LinearScale,
	LineController,
	LineElement,
	PointElement
} from 'chart.js';

let done = false;

/**
 * Registers the Chart.js parts our charts use, once (browser and server renderer alike). Chart.js's
 * title, legend and tooltip plugins are not among them: every config turns them off, the page
 * draws its own tooltips and legends, and exports draw their titles and legends in charts/draw.ts
 * (registered, they cost the page about 9 KB of gzipped JavaScript). (Loading the lanes' bar parts
 * only when needed saves nothing: chart.js is one module, kept whole in the page's shared chunk.)
 */
export function registerCharts(): typeof Chart {
	if (!done) {
		Chart.register(
			LineController, LineElement, PointElement, BarController, BarElement,
			LinearScale, CategoryScale, Decimation
		);
		done = true;
	}
	return Chart;
}

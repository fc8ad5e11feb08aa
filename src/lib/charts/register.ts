import {
	BarController,
	BarElement,
	CategoryScale,
	Chart,
	Decimation,
	Legend,
	LinearScale,
	LineController,
	LineElement,
	PointElement,
	SubTitle,
	Title,
	Tooltip
} from 'chart.js';

let done = false;

/** Registers the Chart.js parts our charts use, once (browser and server renderer alike). */
export function registerCharts(): typeof Chart {
	if (!done) {
		Chart.register(
			LineController, LineElement, PointElement, BarController, BarElement,
			LinearScale, CategoryScale, Tooltip, Legend, Title, SubTitle, Decimation
		);
		done = true;
	}
	return Chart;
}

import { BasicPlatform } from 'chart.js';
import { drawExport } from '$lib/charts/draw';
import type { ExportSpec } from '$lib/charts/exportSpec';
import { registerCharts } from '$lib/charts/register';

/** Draws an export in the browser, with the same code the server renders with, as a PNG blob. */
export async function exportPngBlob(spec: ExportSpec, scale: number): Promise<Blob> {
	await document.fonts?.ready;
	const canvas = document.createElement('canvas');
	canvas.width = Math.round(spec.width * scale);
	canvas.height = Math.round(spec.height * scale);
	drawExport(canvas.getContext('2d')!, spec, { Chart: registerCharts(), BasicPlatform }, scale);
	return new Promise((resolve, reject) =>
		canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('The browser could not encode the PNG'))), 'image/png')
	);
}

/** Saves a blob as a file through a temporary link. */
export function saveBlob(blob: Blob, filename: string): void {
	const url = URL.createObjectURL(blob);
	const a = document.createElement('a');
	a.href = url;
	a.download = filename;
	document.body.append(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

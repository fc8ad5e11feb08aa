import type { buildExportSpec } from '../../charts/exportSpec';

/** What buildExportSpec takes: plain data (the configs it builds hold functions, which cannot cross threads). */
export type ExportSpecInput = Parameters<typeof buildExportSpec>[0];

/** One image for a render worker: it builds the spec from the input with the screen's config builders. */
export interface RenderTask {
	format: 'png' | 'svg';
	/** Device pixels per CSS pixel (PNG only; an SVG is drawn at 1). */
	scale: number;
	input: ExportSpecInput;
}

/** Pixels a task draws: what the pixel budget counts. */
export function taskPixels(task: Pick<RenderTask, 'format' | 'scale'> & { input: { width: number; height: number } }): number {
	const s = task.format === 'png' ? task.scale : 1;
	return Math.round(task.input.width * s) * Math.round(task.input.height * s);
}

/**
 * The render worker: a worker thread of the pool (pool.ts) loads this file and calls its default
 * export once per image. Nothing here runs when the file is merely imported; the pool imports it
 * only to learn `workerUrl`, which is this file's own URL (in the production build, the URL of the
 * chunk the bundler made of it), so the worker is always bundled with the server that starts it.
 */
import { buildExportSpec } from '../../charts/exportSpec';
import { renderPng, renderSvg } from './index';
import type { RenderTask } from './task';

export const workerUrl = import.meta.url;

/** Builds the spec with the screen's chart-config builders and draws it. Returns the file's bytes. */
export default function render(task: RenderTask): Uint8Array {
	const spec = buildExportSpec(task.input);
	const body = task.format === 'png' ? renderPng(spec, task.scale) : renderSvg(spec);
	return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
}

import { createCanvas, SvgExportFlag, type SKRSContext2D } from '@napi-rs/canvas';
import { BasicPlatform } from 'chart.js';
import { drawExport, type Ctx2D } from '../../charts/draw';
import type { ExportSpec } from '../../charts/exportSpec';
import { registerCharts } from '../../charts/register';

const deps = () => ({ Chart: registerCharts(), BasicPlatform });

/**
 * A PNG of the spec: width x scale by height x scale pixels. CPU-bound and synchronous: the
 * server calls it in a render worker (see pool.ts), never on the thread that answers requests.
 */
export function renderPng(spec: ExportSpec, scale: number): Buffer {
	const canvas = createCanvas(Math.round(spec.width * scale), Math.round(spec.height * scale));
	drawExport(canvas.getContext('2d') as SKRSContext2D as unknown as Ctx2D, spec, deps(), scale);
	return canvas.toBuffer('image/png');
}

/** An SVG of the spec, its text kept as text so it stays legible and editable. Same spec, same bytes. */
export function renderSvg(spec: ExportSpec): Buffer {
	const canvas = createCanvas(spec.width, spec.height, SvgExportFlag.NoPrettyXML);
	drawExport(canvas.getContext('2d') as unknown as Ctx2D, spec, deps(), 1);
	return Buffer.from(stableSvgIds(canvas.getContent().toString('utf8')), 'utf8');
}

/**
 * Skia numbers the SVG's clip paths from a counter that lives as long as the process, so the same
 * chart came out with other ids (and so other bytes) on every render. Renumbers every id in order
 * of first appearance, and each reference to it, so equal drawings give equal files.
 */
export function stableSvgIds(svg: string): string {
	const ids = new Map<string, string>();
	for (const m of svg.matchAll(/\bid="([^"]+)"/g)) if (!ids.has(m[1]!)) ids.set(m[1]!, `c${ids.size + 1}`);
	if (!ids.size) return svg;
	return svg
		.replace(/\bid="([^"]+)"/g, (all, id: string) => `id="${ids.get(id) ?? id}"`)
		.replace(/url\(#([^)]+)\)/g, (all, id: string) => (ids.has(id) ? `url(#${ids.get(id)})` : all))
		.replace(/(xlink:href|href)="#([^"]+)"/g, (all, attr: string, id: string) => (ids.has(id) ? `${attr}="#${ids.get(id)}"` : all));
}

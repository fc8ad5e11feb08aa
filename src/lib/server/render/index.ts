import { createCanvas, SvgExportFlag, type SKRSContext2D } from '@napi-rs/canvas';
import { BasicPlatform } from 'chart.js';
import { createHash } from 'node:crypto';
import { drawExport, type Ctx2D } from '../../charts/draw';
import type { ExportSpec } from '../../charts/exportSpec';
import { registerCharts } from '../../charts/register';

const deps = () => ({ Chart: registerCharts(), BasicPlatform });

/** A PNG of the spec: width x scale by height x scale pixels. */
export function renderPng(spec: ExportSpec, scale: number): Buffer {
	const canvas = createCanvas(Math.round(spec.width * scale), Math.round(spec.height * scale));
	drawExport(canvas.getContext('2d') as SKRSContext2D as unknown as Ctx2D, spec, deps(), scale);
	return canvas.toBuffer('image/png');
}

/** An SVG of the spec, its text kept as text so it stays legible and editable. */
export function renderSvg(spec: ExportSpec): Buffer {
	const canvas = createCanvas(spec.width, spec.height, SvgExportFlag.NoPrettyXML);
	drawExport(canvas.getContext('2d') as unknown as Ctx2D, spec, deps(), 1);
	return canvas.getContent();
}

interface Cached {
	etag: string;
	body: Buffer;
}

/** Rendered images by key, least recently used first out. Rendering is CPU-bound: keep the bytes. */
export class ImageCache {
	private entries = new Map<string, Cached>();
	constructor(private readonly max = 200) {}

	get(key: string, render: () => Buffer): Cached {
		const hit = this.entries.get(key);
		if (hit) {
			this.entries.delete(key);
			this.entries.set(key, hit);
			return hit;
		}
		const body = render();
		const entry = { etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`, body };
		this.entries.set(key, entry);
		if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
		return entry;
	}

	get size(): number {
		return this.entries.size;
	}
}

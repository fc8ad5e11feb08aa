/**
 * Reading exported images in the end-to-end tests: decoding PNGs, where their plot areas are, and
 * which cells of a plot hold ink or a given series colour, to compare two renderings of one view.
 */
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { BasicPlatform } from 'chart.js';
import { drawExport, type Ctx2D, type Rect } from '../../src/lib/charts/draw';
import { registerCharts } from '../../src/lib/charts/register';
import { createDb } from '../../src/lib/server/db/client';
import { exportContext, parseImageSize, sizeFor, specFor } from '../../src/lib/server/export';

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface DecodedPng {
	width: number;
	height: number;
	/** RGBA, row by row. */
	data: Uint8ClampedArray;
}

export async function decodePng(bytes: Buffer): Promise<DecodedPng> {
	expectPng(bytes);
	const img = await loadImage(bytes);
	const canvas = createCanvas(img.width, img.height);
	const ctx = canvas.getContext('2d');
	ctx.drawImage(img, 0, 0);
	return { width: img.width, height: img.height, data: ctx.getImageData(0, 0, img.width, img.height).data };
}

/** Width and height from a PNG's header, without decoding it (for very large ones). */
export function pngSize(bytes: Buffer): { width: number; height: number } {
	expectPng(bytes);
	return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

function expectPng(bytes: Buffer) {
	if (!bytes.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error(`not a PNG: starts with ${JSON.stringify(bytes.subarray(0, 40).toString('utf8'))}`);
}

/**
 * The plot areas (inside the axes, CSS pixels) of the export an image URL asks for, laid out by
 * the same spec and drawing code on the server's own database. Only where to look comes from
 * here; what is drawn there is read from the images under test.
 */
export async function plotAreas(dbPath: string, imageUrl: string): Promise<Rect[]> {
	const db = createDb({ url: `file:${dbPath}` });
	try {
		const url = new URL(imageUrl);
		const parsed = parseImageSize(url.searchParams);
		if ('problems' in parsed) throw new Error(parsed.problems.join('; '));
		const r = await exportContext(db, url);
		if (!r.ok) throw new Error(`export refused: ${await r.response.text()}`);
		const spec = await specFor(r.ctx, sizeFor(r.ctx, parsed.size));
		const canvas = createCanvas(spec.width, spec.height);
		return drawExport(canvas.getContext('2d') as unknown as Ctx2D, spec, { Chart: registerCharts(), BasicPlatform }, 1).plots;
	} finally {
		db.$client.close();
	}
}

type PixelTest = (r: number, g: number, b: number) => boolean;

/** Not (near) white: anything drawn on the export's white background. */
export const inked: PixelTest = (r, g, b) => r < 235 || g < 235 || b < 235;

/** Within `tolerance` (per channel) of a #rrggbb colour: a series line or marker of that colour. */
export function near(hex: string, tolerance = 28): PixelTest {
	const [R, G, B] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
	return (r, g, b) => Math.abs(r - R) <= tolerance && Math.abs(g - G) <= tolerance && Math.abs(b - B) <= tolerance;
}

/**
 * The cells (`cell` CSS pixels square) of the given areas in which some pixel passes `test`, as
 * "column,row" in CSS pixels: comparable between images of one layout at any scale. Areas are
 * shrunk by `inset` pixels so the axis lines themselves are left out.
 */
export function cells(img: DecodedPng, areas: Rect[], test: PixelTest, { scale = 1, cell = 4, inset = 2 } = {}): Set<string> {
	const out = new Set<string>();
	for (const a of areas) {
		const x0 = Math.ceil((a.x + inset) * scale);
		const x1 = Math.floor((a.x + a.w - inset) * scale);
		const y0 = Math.ceil((a.y + inset) * scale);
		const y1 = Math.floor((a.y + a.h - inset) * scale);
		for (let y = y0; y < y1; y++) {
			for (let x = x0; x < x1; x++) {
				const i = (y * img.width + x) * 4;
				if (test(img.data[i]!, img.data[i + 1]!, img.data[i + 2]!)) out.add(`${Math.floor(x / scale / cell)},${Math.floor(y / scale / cell)}`);
			}
		}
	}
	return out;
}

/** Share of cells the two sets have in common (intersection over union): 1 for the same cells. */
export function overlap(a: Set<string>, b: Set<string>): number {
	if (!a.size && !b.size) return 1;
	let both = 0;
	for (const k of a) if (b.has(k)) both++;
	return both / (a.size + b.size - both);
}

/** Pixels of the whole image that pass `test`, and how many of them lie inside the areas. */
export function countInside(img: DecodedPng, areas: Rect[], test: PixelTest, scale = 1): { all: number; inside: number } {
	let all = 0;
	let inside = 0;
	for (let y = 0; y < img.height; y++) {
		for (let x = 0; x < img.width; x++) {
			const i = (y * img.width + x) * 4;
			if (!test(img.data[i]!, img.data[i + 1]!, img.data[i + 2]!)) continue;
			all++;
			const cx = x / scale;
			const cy = y / scale;
			if (areas.some((a) => cx >= a.x && cx < a.x + a.w && cy >= a.y && cy < a.y + a.h)) inside++;
		}
	}
	return { all, inside };
}

/** Rows (CSS pixels) of an area with ink, grouped into runs: the bars of a lanes chart, top to bottom. */
export function inkedBands(img: DecodedPng, area: Rect, scale = 1): { top: number; bottom: number }[] {
	const bands: { top: number; bottom: number }[] = [];
	let open: { top: number; bottom: number } | null = null;
	for (let y = Math.ceil(area.y * scale); y < Math.floor((area.y + area.h - 2) * scale); y++) {
		let ink = 0;
		for (let x = Math.ceil((area.x + 2) * scale); x < Math.floor((area.x + area.w - 2) * scale); x++) {
			const i = (y * img.width + x) * 4;
			// Bars are filled; grid lines (#e3e6ea) and anti-aliased edges are not counted.
			if (img.data[i]! < 225 || img.data[i + 1]! < 200 || img.data[i + 2]! < 200) ink++;
		}
		// A bar row has ink across a good part of the plot; a row of one or two marks does not.
		if (ink > (area.w * scale) / 10) {
			if (open && y / scale - open.bottom <= 1) open.bottom = y / scale;
			else bands.push((open = { top: y / scale, bottom: y / scale }));
		}
	}
	return bands;
}

/** Share of a's cells that have one of b's cells within `radius` cells: how much of a's drawing b also has, nearby. */
export function covered(a: Set<string>, b: Set<string>, radius = 1): number {
	if (!a.size) return 1;
	let hit = 0;
	for (const k of a) {
		const [x, y] = k.split(',').map(Number) as [number, number];
		let found = false;
		for (let dy = -radius; dy <= radius && !found; dy++) for (let dx = -radius; dx <= radius && !found; dx++) found = b.has(`${x + dx},${y + dy}`);
		if (found) hit++;
	}
	return hit / a.size;
}

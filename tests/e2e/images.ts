import { createCanvas, loadImage } from '@napi-rs/canvas';

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface DecodedPng {
	width: number;
	height: number;
	/** Share of pixels that are not (near) white. */
	inked: number;
	/** Coarse colour histogram: 4 levels per channel, as shares of all pixels. */
	histogram: number[];
}

/** Decodes a PNG and summarises what is drawn on it. */
export async function decodePng(bytes: Buffer): Promise<DecodedPng> {
	const img = await loadImage(bytes);
	const canvas = createCanvas(img.width, img.height);
	const ctx = canvas.getContext('2d');
	ctx.drawImage(img, 0, 0);
	const data = ctx.getImageData(0, 0, img.width, img.height).data;
	const histogram = new Array(64).fill(0);
	let inked = 0;
	const n = img.width * img.height;
	for (let i = 0; i < data.length; i += 4) {
		const [r, g, b] = [data[i]!, data[i + 1]!, data[i + 2]!];
		if (r < 240 || g < 240 || b < 240) inked++;
		histogram[(r >> 6) * 16 + (g >> 6) * 4 + (b >> 6)]++;
	}
	return { width: img.width, height: img.height, inked: inked / n, histogram: histogram.map((h) => h / n) };
}

/** Histogram intersection: 1 for identical colour distributions, 0 for disjoint ones. */
export function histogramSimilarity(a: number[], b: number[]): number {
	return a.reduce((s, v, i) => s + Math.min(v, b[i]!), 0);
}

import { expect, type Locator, type Page } from '@playwright/test';

/** Counts the canvas's pixels that are not transparent: a drawn chart has thousands. */
export async function paintedPixels(canvas: Locator): Promise<number> {
	return canvas.evaluate((el) => {
		const c = el as HTMLCanvasElement;
		const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
		let n = 0;
		for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
		return n;
	});
}

/** The datasets the page says its chart draws: [{ label, events }]. */
export async function chartDatasets(page: Page): Promise<{ label: string; events: number }[]> {
	const attr = await page.locator('.stance-chart').first().getAttribute('data-datasets');
	return JSON.parse(attr ?? '[]');
}

export async function expectChartDrawn(page: Page): Promise<void> {
	const canvas = page.locator('.stance-chart canvas').first();
	await expect(canvas).toBeVisible();
	await expect.poll(() => paintedPixels(canvas)).toBeGreaterThan(2000);
}

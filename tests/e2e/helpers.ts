import { expect, type Locator, type Page } from '@playwright/test';

/**
 * Waits until Svelte has hydrated the page (the root layout then sets `data-hydrated` on <html>):
 * text typed before that would be reset, and clicks would miss their handlers. With JavaScript
 * off there is nothing to wait for.
 */
export async function hydrated(page: Page): Promise<void> {
	if (!(await scriptsRun(page))) return;
	// Generous: a loaded machine can take seconds to run a page's scripts.
	await expect(page.locator('html[data-hydrated]')).toHaveCount(1, { timeout: 15_000 });
}

/** Opens a page and waits for hydration: use it instead of `page.goto` before typing or clicking. */
export async function open(page: Page, path: string): Promise<void> {
	await page.goto(path);
	await hydrated(page);
}

/** Whether the page's own scripts run (false in a context made with `javaScriptEnabled: false`). */
async function scriptsRun(page: Page): Promise<boolean> {
	// HTML parsing depends on the scripting flag: with scripts on, <noscript> holds raw text.
	return page.evaluate(() => {
		const probe = document.createElement('div');
		probe.innerHTML = '<noscript><p></p></noscript>';
		return probe.querySelector('p') === null;
	});
}

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

// Takes Chromium screenshots of pages of a running Stance Tracker, for people to look at.
// Usage: node tests/tools/screenshots.mjs [baseURL] [outDir] [path ...]
import { chromium } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { browserLaunchOptions } from './browser.mjs';

const [base = 'http://localhost:3000', out = 'screenshots', ...paths] = process.argv.slice(2);
const pages = paths.length ? paths : ['/', '/issues/intelligence-sharing-us', '/actors/colombia'];
mkdirSync(out, { recursive: true });
const browser = await chromium.launch(browserLaunchOptions());
for (const [name, viewport, scheme] of [
	['desktop', { width: 1280, height: 900 }, 'light'],
	['phone', { width: 390, height: 844 }, 'light'],
	['dark', { width: 1280, height: 900 }, 'dark']
]) {
	const context = await browser.newContext({ viewport, colorScheme: scheme });
	const page = await context.newPage();
	for (const path of pages) {
		await page.goto(base + path, { waitUntil: 'networkidle' });
		const file = `${out}/${name}${path.replace(/[^a-z0-9]+/gi, '_')}.png`;
		await page.screenshot({ path: file, fullPage: true });
		console.log(file);
	}
	await context.close();
}
await browser.close();

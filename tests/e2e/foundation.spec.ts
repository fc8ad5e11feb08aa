import { expect, test } from './fixtures';
import { chartDatasets, expectChartDrawn, open } from './helpers';

test('from home to the intelligence-sharing chart, and a point shows its quote', async ({ page }) => {
	// The reader opens the home page and sees every issue with current stances.
	await open(page, '/');
	await expect(page.getByRole('heading', { level: 1, name: 'Issues' })).toBeVisible();
	const stances = page.getByRole('list', { name: 'Current stances on Intelligence sharing with US agencies' });
	await expect(stances.getByRole('listitem').filter({ hasText: 'Colombia' })).toContainText('Maintain');
	await expect(page.getByRole('heading', { name: 'Latest changes' })).toBeVisible();

	// They open the intelligence-sharing issue.
	await page.getByRole('link', { name: 'Intelligence sharing with US agencies' }).first().click();
	await expect(page).toHaveURL(/\/issues\/intelligence-sharing-us$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Intelligence sharing with US agencies');

	// The chart is drawn, with one line per actor on the issue.
	await expectChartDrawn(page);
	const datasets = await chartDatasets(page);
	expect(datasets.map((d) => d.label)).toContain('Colombia');

	// Hovering Colombia's 13 November point shows Sánchez's words and their source.
	await page.getByRole('button', { name: /^Colombia, 13 November 2025: Maintain \(Pedro Arnulfo Sánchez/ }).hover();
	const tooltip = page.getByRole('tooltip');
	await expect(tooltip).toContainText('continuous flow of information');
	await expect(tooltip).toContainText('Pedro Arnulfo Sánchez');
	await expect(tooltip).toContainText('13 November 2025');
	await expect(tooltip).toContainText('Social media post');
});

test('chart points are reachable from the keyboard', async ({ page }) => {
	await open(page, '/issues/intelligence-sharing-us');
	await expectChartDrawn(page);
	const petro = page.getByRole('button', { name: /^Colombia, 11 November 2025: Halt/ });
	await petro.focus();
	await expect(page.getByRole('tooltip')).toContainText('Announces suspension');
	await page.keyboard.press('Tab');
	await expect(page.getByRole('tooltip')).toBeVisible();
	await page.keyboard.press('Escape');
	await expect(page.getByRole('tooltip')).toBeHidden();
});

test('the events table lists sources and sorts by date', async ({ page }) => {
	await open(page, '/issues/intelligence-sharing-us');
	const table = page.getByRole('table');
	const firstDate = () => table.getByRole('row').nth(1).getByRole('cell').first().innerText();
	const ascending = await firstDate();
	await table.getByRole('link', { name: /Date/ }).click();
	await expect(page).toHaveURL(/sort=desc/);
	await expect.poll(firstDate).not.toBe(ascending);
	await expect(table.getByRole('row').nth(1)).toContainText('13 November 2025');
	await expect(table).toContainText('Social media post');
});

test('the lanes view stays readable with every actor on its own lane', async ({ page }) => {
	await open(page, '/issues/boat-strikes-legality');
	await page.getByRole('navigation', { name: 'Chart view' }).getByRole('link', { name: 'Lanes' }).click();
	await expect(page).toHaveURL(/view=lanes/);
	await expectChartDrawn(page);
	// One dataset holds every lane segment; each actor with events has at least one.
	const [lanes] = await chartDatasets(page);
	expect(lanes!.events).toBeGreaterThanOrEqual(7);
	await expect(page.getByRole('list', { name: 'Actors' }).getByRole('listitem')).toHaveCount(7);
});

test('the chart has a text alternative', async ({ page }) => {
	await open(page, '/issues/intelligence-sharing-us');
	await page.getByText('Chart as text').click();
	await expect(page.getByText(/Colombia: Maintain from 2025 \(approximate date\), then Halt from .*, then Maintain from 13 November 2025\./)).toBeVisible();
});

test('the actor page of Colombia lists its speakers and charts each issue', async ({ page }) => {
	await open(page, '/actors/colombia');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Colombia');
	const speakers = page.getByRole('region', { name: 'Speakers for Colombia' });
	for (const name of ['Gustavo Petro', 'Pedro Arnulfo Sánchez', 'Armando Benedetti']) {
		await expect(speakers.getByRole('link', { name })).toBeVisible();
	}
	await expect(page.getByRole('figure').filter({ hasText: 'Intelligence sharing with US agencies' })).toBeVisible();
	await expectChartDrawn(page);
	// A speaker's page says whom they speak for.
	await speakers.getByRole('link', { name: 'Pedro Arnulfo Sánchez' }).click();
	await expect(page.getByText('Speaks for')).toContainText('Colombia');
	await expect(page.getByRole('table')).toContainText('continuous flow of information');
});

test('pages fit a phone-width screen', async ({ browser }) => {
	const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
	const page = await context.newPage();
	for (const path of ['/', '/issues/intelligence-sharing-us', '/actors/colombia']) {
		await open(page, path);
		await expectChartDrawnIfAny(page);
		const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
		expect(overflow, `${path} scrolls sideways`).toBeLessThanOrEqual(0);
	}
	await context.close();

	async function expectChartDrawnIfAny(p: typeof page) {
		if (await p.locator('.stance-chart').count()) await expectChartDrawn(p);
	}
});

test('unknown issues and actors are a 404 page', async ({ page }) => {
	const r = await page.goto('/issues/no-such-issue');
	expect(r?.status()).toBe(404);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Not found');
	expect((await page.goto('/actors/Not_A_Slug'))?.status()).toBe(404);
});

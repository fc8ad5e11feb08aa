import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { chartDatasets, expectChartDrawn, open } from './helpers';

async function addActor(page: Page, name: string) {
	const input = page.getByLabel('Actors', { exact: true });
	await input.fill(name);
	await input.press('Enter');
	await expect(page.getByRole('list', { name: 'Chosen actors' })).toContainText(name);
}

test('compare three actors on the legality of the strikes, share the view, step back', async ({ page, context }) => {
	// The reader opens Compare and picks three actors with the type-ahead picker, keyboard only.
	await open(page, '/compare');
	await addActor(page, 'Colombia');
	await addActor(page, 'United States');
	await addActor(page, 'United Kingdom');
	// Then ticks one issue.
	await page.getByRole('checkbox', { name: 'Legality of the US boat strikes' }).check();
	await expect(page).toHaveURL(/issues=boat-strikes-legality/);

	// One overlay chart with three lines, drawn.
	const region = page.getByRole('region', { name: 'Legality of the US boat strikes' });
	await expect(region).toBeVisible();
	await expectChartDrawn(page);
	expect((await chartDatasets(page)).map((d) => d.label)).toEqual(['Colombia', 'United States', 'United Kingdom']);
	await expect(page).toHaveURL(/actors=colombia,united-states,united-kingdom/);

	// Side by side: one panel per actor.
	await page.getByRole('navigation', { name: 'Layout' }).getByRole('link', { name: 'Side by side' }).click();
	await expect(page).toHaveURL(/mode=side/);
	await expect(page.getByRole('figure')).toHaveCount(3);
	await expectChartDrawn(page);

	// The copied link reproduces the view in a new page.
	const shared = page.url();
	const other = await context.newPage();
	await open(other, shared);
	await expect(other.getByRole('figure')).toHaveCount(3);
	for (const name of ['Colombia', 'United States', 'United Kingdom']) {
		await expect(other.getByRole('figure').filter({ hasText: name })).toBeVisible();
	}
	await expect(other.getByRole('navigation', { name: 'Layout' }).getByRole('link', { name: 'Side by side' })).toHaveAttribute('aria-current', 'page');
	await other.close();

	// The back button restores the overlay.
	await page.goBack();
	await expect(page).not.toHaveURL(/mode=side/);
	await expect(page.getByRole('figure')).toHaveCount(0);
	await expectChartDrawn(page);
	expect((await chartDatasets(page)).map((d) => d.label)).toEqual(['Colombia', 'United States', 'United Kingdom']);
});

test('a bad slug in the link is reported and the rest still renders', async ({ page }) => {
	await open(page, '/compare?actors=colombia,atlantis,united-states&issues=intelligence-sharing-us,Not_A_Slug');
	const status = page.getByRole('status');
	await expect(status).toContainText('unknown actor "atlantis" was left out');
	await expect(status).toContainText('Not_A_Slug');
	await expectChartDrawn(page);
	expect((await chartDatasets(page)).map((d) => d.label)).toEqual(['Colombia', 'United States']);
});

test('two actors: divergence is shaded and told; mixed signals are shown as such', async ({ page }) => {
	await open(page, '/compare?actors=colombia,united-states&issues=intelligence-sharing-us');
	await expect(page.getByText(/Colombia and United States diverged \(2\+ points apart\) on 12 November 2025\./)).toBeVisible();
	const mixed = page.locator('p', { hasText: 'Mixed signals from Colombia' });
	await expect(mixed).toContainText('Gustavo Petro Halt (11 November 2025)');
	await expect(mixed).toContainText('Pedro Arnulfo Sánchez Maintain (13 November 2025)');
	// The table view flags the same events.
	await page.getByRole('navigation', { name: 'Layout' }).getByRole('link', { name: 'Table' }).click();
	const table = page.getByRole('table', { name: /^Events/ });
	await expect(table.getByRole('row').filter({ hasText: 'Announces suspension' })).toContainText('Mixed signal');
	await expect(table.getByRole('row').filter({ hasText: 'continuous flow of information' })).toContainText('Mixed signal');
	await expect(table.getByRole('row').filter({ hasText: 'Dismisses a report' })).not.toContainText('Mixed signal');
});

test('a legend entry focuses an actor, kept in the URL', async ({ page }) => {
	await open(page, '/compare?actors=colombia,united-states,united-kingdom&issues=intelligence-sharing-us');
	const legend = page.getByRole('list', { name: /Actors on Intelligence sharing/ });
	await legend.getByRole('link', { name: 'United Kingdom' }).click();
	await expect(page).toHaveURL(/focus=united-kingdom/);
	await expect(legend.getByRole('link', { name: 'United Kingdom' })).toHaveAttribute('aria-current', 'true');
	await expectChartDrawn(page);
});

test('side by side: hovering one panel reads every panel at that date', async ({ page }) => {
	await open(page, '/compare?actors=colombia,united-states&issues=intelligence-sharing-us&mode=side');
	await expectChartDrawn(page);
	const first = page.getByRole('figure').first().locator('canvas');
	const box = (await first.boundingBox())!;
	await page.mouse.move(box.x + box.width - 20, box.y + box.height / 2);
	const readouts = page.locator('.readout');
	await expect(readouts.nth(0)).toContainText('November 2025: Maintain');
	await expect(readouts.nth(1)).toContainText('November 2025: Maintain');
});

test('quick ranges and dates narrow the table', async ({ page }) => {
	await open(page, '/compare?actors=united-states&issues=boat-strikes-legality,intelligence-sharing-us&mode=table');
	const table = page.getByRole('table', { name: /^Events/ });
	await expect(table).toContainText('September 2025');
	const all = await table.getByRole('row').count();
	await page.getByRole('link', { name: 'Last 30 days' }).click();
	await expect(page).toHaveURL(/range=30d/);
	// 30 days back from the latest event (12 November 2025): September and October are out.
	await expect(table).not.toContainText('September 2025');
	await page.getByLabel('From', { exact: true }).fill('2025-11-12');
	await page.getByLabel('To', { exact: true }).fill('2025-11-12');
	await page.getByRole('button', { name: 'Set range' }).click();
	await expect(page).toHaveURL(/from=2025-11-12&to=2025-11-12/);
	// The day's event, and the event known only to "November 2025", whose month overlaps the day.
	await expect(table.getByRole('row')).toHaveCount(3);
	await expect(table).toContainText('12 November 2025');
	await expect(table).not.toContainText('October 2025');
	expect(all).toBeGreaterThan(3);
});

test('compare at phone width: panels stack, nothing scrolls sideways', async ({ browser }) => {
	const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
	const page = await context.newPage();
	await open(page, '/compare?actors=colombia,united-states,united-kingdom&issues=boat-strikes-legality&mode=side');
	await expectChartDrawn(page);
	const boxes = await page.getByRole('figure').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().top));
	expect(new Set(boxes).size).toBe(boxes.length);
	expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
	await context.close();
});

test('each compare panel tells its story in words under the chart, as the chart’s description', async ({ page }) => {
	await open(page, '/compare?actors=colombia,united-states&issues=intelligence-sharing-us');
	const chart = page.getByRole('group', { name: /^Intelligence sharing with US agencies: Colombia, United States over time/ });
	const id = await chart.getAttribute('aria-describedby');
	expect(id).toBe('narr-intelligence-sharing-us');
	const words = page.locator(`#${id}`);
	await expect(words).toContainText("Colombia's stance on intelligence sharing with US agencies moved from Maintain to Halt on 11 November 2025, a reversal");
	await expect(words).toContainText("United States's stance on intelligence sharing with US agencies has been Maintain since 12 November 2025");
	// Small multiples: each actor's panel is described by its own paragraph.
	await open(page, '/compare?actors=colombia,united-states&issues=intelligence-sharing-us&mode=side');
	const us = page.getByRole('group', { name: /^United States on Intelligence sharing with US agencies/ });
	await expect(us).toHaveAttribute('aria-describedby', 'narr-intelligence-sharing-us-united-states');
	await expect(page.locator('#narr-intelligence-sharing-us-united-states')).toContainText('has been Maintain since 12 November 2025');
	await expect(page.locator('#narr-intelligence-sharing-us-united-states')).not.toContainText('Colombia');
});

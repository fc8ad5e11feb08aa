/**
 * A cited ("as of") chart keeps an actor or an issue deleted after the moment it is pinned to: its
 * page, PNG, CSV, the pinned actor or issue page, compare, embed and the JSON API still show it;
 * the current versions no longer do.
 */
import { expect, test } from './fixtures';
import { RUN, logIn } from './accounts';
import { open } from './helpers';
import type { Page } from '@playwright/test';

const EDITOR = { email: `editor-asofdel-${RUN}@example.org`, password: 'editor-asofdel-password-1' };
const ISSUE = 'intelligence-sharing-us';
const BUILDUP = 'caribbean-military-buildup';

test.beforeAll(async ({ server }) => {
	await server.addUser(EDITOR.email, 'editor', EDITOR.password);
});

/** Cites the chart of the page open now: its pinned link and its files (PNG, SVG, CSV, JSON). */
async function cite(page: Page): Promise<{ link: string; asof: string; files: Record<string, string> }> {
	await page.getByText('Cite this chart', { exact: true }).click();
	const box = page.locator('details.cite');
	const link = (await box.getByRole('link').first().getAttribute('href'))!;
	const files: Record<string, string> = Object.fromEntries(await box.locator('.files a').evaluateAll((as) => as.map((a) => [a.textContent ?? '', a.getAttribute('href') ?? ''])));
	return { link, asof: new URL(link).searchParams.get('asof')!, files };
}

/** The actor slugs of a CSV export's event rows. */
const csvActors = (csv: string) => {
	const lines = csv.replace(/^\uFEFF/, '').split('\r\n').filter((l) => l && !l.startsWith('#'));
	const col = lines[0]!.split(',').indexOf('actor');
	return new Set(lines.slice(1).map((l) => l.split(',')[col]));
};

test('a chart cited before an actor is deleted still shows it (page, chart as text, PNG, CSV, actor page, compare, embed, API); the current link does not', async ({ page, request }) => {
	await open(page, `/issues/${ISSUE}?actors=colombia,united-kingdom`);
	const { link, asof, files } = await cite(page);
	const pinnedPng = await (await request.get(files.PNG!)).body();
	expect(csvActors(await (await request.get(files.CSV!)).text())).toContain('united-kingdom');
	const ukEvents = (await (await request.get(`/api/events?actor=united-kingdom&issue=${ISSUE}`)).json()).events as { id: number }[];
	expect(ukEvents.length).toBeGreaterThan(0);
	const currentPngBefore = await (await request.get(`/export/chart.png?issues=${ISSUE}`)).body();

	// An editor deletes the United Kingdom.
	await page.waitForTimeout(20);
	await logIn(page, EDITOR.email, EDITOR.password);
	expect((await page.request.delete('/api/actors/united-kingdom', { headers: { Origin: new URL(page.url()).origin } })).status()).toBe(200);

	// The cited page still charts it: its line in the chart as text, its rows in the table.
	await open(page, link);
	await expect(page.getByRole('note', { name: 'As recorded' })).toContainText('As recorded on');
	await page.getByText('Chart as text').click();
	await expect(page.getByRole('table', { name: 'United Kingdom: how long each stance lasted' })).toBeVisible();
	await expect(page.locator(`#event-${ukEvents[0]!.id}`)).toContainText('United Kingdom');
	// The current issue page no longer does.
	await open(page, `/issues/${ISSUE}`);
	await page.getByText('Chart as text').click();
	await expect(page.getByRole('table', { name: /^Colombia: how long/ })).toBeVisible();
	await expect(page.getByRole('table', { name: 'United Kingdom: how long each stance lasted' })).toHaveCount(0);
	await expect(page.locator(`#event-${ukEvents[0]!.id}`)).toHaveCount(0);

	// The cited PNG is the same bytes; the current issue chart changed. The cited CSV keeps its rows.
	expect((await (await request.get(files.PNG!)).body()).equals(pinnedPng)).toBe(true);
	expect((await (await request.get(`/export/chart.png?issues=${ISSUE}`)).body()).equals(currentPngBefore)).toBe(false);
	expect(csvActors(await (await request.get(files.CSV!)).text())).toContain('united-kingdom');
	expect(csvActors(await (await request.get(`/export/data.csv?issues=${ISSUE}`)).text())).not.toContain('united-kingdom');
	expect(csvActors(await (await request.get(`/export/data.csv?issues=${ISSUE}&asof=${asof}`)).text())).toContain('united-kingdom');

	// Its actor page pinned to the moment renders (the cited page links it); the current one is gone.
	await open(page, link);
	await page.getByRole('list', { name: 'Actors on the chart' }).getByRole('link', { name: 'United Kingdom', exact: true }).click();
	await expect(page).toHaveURL(new RegExp(`/actors/united-kingdom\\?asof=${asof.replaceAll('.', '\\.')}$`));
	await expect(page.getByRole('heading', { level: 1, name: 'United Kingdom' })).toBeVisible();
	await expect(page.getByRole('note', { name: 'As recorded' })).toContainText('This actor has since been deleted: there is no current version.');
	await expect(page.getByRole('note', { name: 'As recorded' }).getByRole('link', { name: 'See the current version' })).toHaveCount(0);
	await page.screenshot({ path: 'test-results/asof-deleted-actor.png', fullPage: true });
	expect((await request.get('/actors/united-kingdom')).status()).toBe(404);

	// Compare (overlay and small multiples) and the embed pinned to the moment chart it.
	await open(page, `/compare?actors=colombia,united-kingdom&issues=${ISSUE}&asof=${asof}`);
	await page.getByText('Chart as text').first().click();
	await expect(page.getByRole('table', { name: 'United Kingdom: how long each stance lasted' })).toBeVisible();
	await open(page, `/compare?actors=colombia,united-kingdom&issues=${ISSUE}&mode=side&asof=${asof}`);
	await expect(page.getByRole('figure', { name: 'United Kingdom' })).toBeVisible();
	await open(page, `/compare?actors=colombia,united-kingdom&issues=${ISSUE}&mode=side`);
	await expect(page.getByRole('figure', { name: 'Colombia' })).toBeVisible();
	await expect(page.getByRole('figure', { name: 'United Kingdom' })).toHaveCount(0);
	await page.goto(`/embed?actors=united-kingdom&issues=${ISSUE}&asof=${asof}`);
	await expect(page.getByRole('note')).toContainText('As recorded on');
	expect((await request.get(`/export/chart.svg?actors=united-kingdom&issues=${ISSUE}&asof=${asof}`)).status()).toBe(200);
	expect((await request.get(`/export/chart.svg?actors=united-kingdom&issues=${ISSUE}`)).status()).toBe(404);

	// The JSON API and hover details as of the moment.
	const api = await (await request.get(`/api/events?actor=united-kingdom&issue=${ISSUE}&asof=${asof}`)).json();
	expect(api.events.map((e: { id: number }) => e.id)).toEqual(ukEvents.map((e) => e.id));
	expect((await request.get(`/api/events?actor=united-kingdom&issue=${ISSUE}`)).status()).toBe(404);
	const series = await (await request.get(`/api/series?issue=${ISSUE}&asof=${asof}`)).json();
	expect(series.series.map((s: { actor: string }) => s.actor)).toContain('united-kingdom');
	expect((await request.get(`/api/events/${ukEvents[0]!.id}/detail?asof=${asof}`)).status()).toBe(200);
});

test('a chart cited before an issue is deleted still shows it (page, PNG, CSV, actor page); the current link is gone', async ({ page, request }) => {
	await open(page, `/issues/${BUILDUP}`);
	const title = await page.getByRole('heading', { level: 1 }).textContent();
	const { link, asof, files } = await cite(page);
	const pinnedPng = await (await request.get(files.PNG!)).body();

	await page.waitForTimeout(20);
	await logIn(page, EDITOR.email, EDITOR.password);
	expect((await page.request.delete(`/api/issues/${BUILDUP}`, { headers: { Origin: new URL(page.url()).origin } })).status()).toBe(200);

	await open(page, link);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(title!);
	await expect(page.getByRole('note', { name: 'As recorded' })).toContainText('This issue has since been deleted: there is no current version.');
	await page.getByText('Chart as text').click();
	await expect(page.getByRole('table', { name: /^Colombia: how long/ })).toBeVisible();
	expect((await request.get(`/issues/${BUILDUP}`)).status()).toBe(404);

	const png = await request.get(files.PNG!);
	expect(png.status()).toBe(200);
	expect((await png.body()).equals(pinnedPng)).toBe(true);
	expect(csvActors(await (await request.get(files.CSV!)).text())).toContain('colombia');
	expect((await request.get(`/export/data.csv?issues=${BUILDUP}`)).status()).toBe(404);

	// Colombia's page pinned to the moment has the issue's panel; the current one has not.
	await open(page, `/actors/colombia?asof=${asof}`);
	await expect(page.getByRole('figure', { name: title! })).toBeVisible();
	// Its link leads to the issue's page at the same moment.
	await page.getByRole('figure', { name: title! }).getByRole('link', { name: title! }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(title!);
	await expect(page.getByRole('note', { name: 'As recorded' })).toBeVisible();
	await open(page, '/actors/colombia');
	await expect(page.getByRole('heading', { level: 1, name: 'Colombia' })).toBeVisible();
	await expect(page.getByRole('figure', { name: title! })).toHaveCount(0);
});

test('a pinned page offers an editor no edits (the current page does) and its events table links actors and issues at the same moment', async ({ page }) => {
	await logIn(page, EDITOR.email, EDITOR.password);
	const edits = (p: Page) => [
		p.getByRole('link', { name: 'Add an event' }),
		p.getByRole('link', { name: /^Edit this (issue|actor)$/ }),
		p.getByRole('link', { name: /^Edit event:/ })
	];
	const events = (p: Page) => p.getByRole('table', { name: /^Events, sorted by date/ });

	// The current issue page offers the edits; the same page cited (pinned) offers none.
	await open(page, `/issues/${ISSUE}`);
	for (const l of edits(page)) await expect(l.first()).toBeVisible();
	await expect(page.getByRole('link', { name: 'Edit the context on the timeline' })).toBeVisible();
	const { link, asof } = await cite(page);
	await open(page, link);
	await expect(page.getByRole('note', { name: 'As recorded' })).toContainText('As recorded on');
	for (const l of edits(page)) await expect(l).toHaveCount(0);
	await expect(page.getByRole('link', { name: 'Edit the context on the timeline' })).toHaveCount(0);
	await page.screenshot({ path: 'test-results/asof-pinned-issue-editor.png', fullPage: true });

	// Its events table links the actor at the same moment, and that pinned actor page offers no edits.
	const actorLink = events(page).getByRole('link', { name: 'Colombia', exact: true }).first();
	await expect(actorLink).toHaveAttribute('href', `/actors/colombia?asof=${asof}`);
	await actorLink.click();
	await expect(page).toHaveURL(new RegExp(`/actors/colombia\\?asof=${asof.replaceAll('.', '\\.')}$`));
	await expect(page.getByRole('heading', { level: 1, name: 'Colombia' })).toBeVisible();
	await expect(page.getByRole('note', { name: 'As recorded' })).toBeVisible();
	for (const l of edits(page)) await expect(l).toHaveCount(0);

	// The pinned actor page's events table links the issue at the same moment.
	const issueLink = events(page).locator(`a[href^="/issues/${ISSUE}"]`).first();
	await expect(issueLink).toHaveAttribute('href', `/issues/${ISSUE}?asof=${asof}`);
	await issueLink.click();
	await expect(page).toHaveURL(new RegExp(`/issues/${ISSUE}\\?asof=${asof.replaceAll('.', '\\.')}$`));
	await expect(page.getByRole('note', { name: 'As recorded' })).toBeVisible();

	// The current actor page offers the edits and its table links today's records.
	await open(page, '/actors/colombia');
	for (const l of edits(page)) await expect(l.first()).toBeVisible();
	await expect(events(page).locator(`a[href^="/issues/${ISSUE}"]`).first()).toHaveAttribute('href', `/issues/${ISSUE}`);

	// Compare pinned: its events table has no edit links and keeps the moment; live, it has both edit links and plain links.
	await open(page, `/compare?actors=colombia&issues=${ISSUE}&mode=table&asof=${asof}`);
	await expect(events(page)).toBeVisible();
	await expect(page.getByRole('link', { name: /^Edit event:/ })).toHaveCount(0);
	await expect(events(page).getByRole('link', { name: 'Colombia', exact: true }).first()).toHaveAttribute('href', `/actors/colombia?asof=${asof}`);
	await open(page, `/compare?actors=colombia&issues=${ISSUE}&mode=table`);
	await expect(page.getByRole('link', { name: /^Edit event:/ }).first()).toBeVisible();
	await expect(events(page).getByRole('link', { name: 'Colombia', exact: true }).first()).toHaveAttribute('href', '/actors/colombia');
});

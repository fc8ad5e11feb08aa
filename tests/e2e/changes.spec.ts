import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { open } from './helpers';

/** Parses an Atom document with the browser's XML parser and reads what a feed reader would. */
async function readAtom(page: Page, url: string) {
	const res = await page.request.get(url);
	expect(res.status()).toBe(200);
	expect(res.headers()['content-type']).toContain('application/atom+xml');
	const xml = await res.text();
	return page.evaluate((text) => {
		const doc = new DOMParser().parseFromString(text, 'application/xml');
		const ATOM = 'http://www.w3.org/2005/Atom';
		const error = doc.getElementsByTagName('parsererror').length > 0;
		const root = doc.documentElement;
		const child = (el: Element, name: string) => [...el.children].find((c) => c.namespaceURI === ATOM && c.localName === name);
		return {
			error,
			root: `${root.namespaceURI} ${root.localName}`,
			title: child(root, 'title')?.textContent ?? null,
			updated: child(root, 'updated')?.textContent ?? null,
			entries: [...root.children]
				.filter((c) => c.localName === 'entry')
				.map((e) => ({
					id: child(e, 'id')?.textContent ?? null,
					title: child(e, 'title')?.textContent ?? null,
					updated: child(e, 'updated')?.textContent ?? null,
					link: child(e, 'link')?.getAttribute('href') ?? null,
					content: child(e, 'content')?.textContent ?? ''
				}))
		};
	}, xml);
}

test('the changes page filters by actor and class, in the URL', async ({ page }) => {
	await open(page, '/changes');
	await expect(page.getByRole('heading', { level: 1, name: 'Changes' })).toBeVisible();
	const list = page.getByRole('list', { name: 'Changes' });
	// Pick Colombia and reversals only.
	await page.getByLabel('Actors').selectOption(['colombia']);
	await page.getByRole('checkbox', { name: 'Reversal' }).check();
	await page.getByRole('button', { name: 'Filter' }).click();
	await expect(page).toHaveURL(/actors=colombia/);
	await expect(page).toHaveURL(/classes=reversal/);
	const items = list.getByRole('article');
	await expect(items).toHaveCount(1);
	await expect(items.first()).toHaveAccessibleName('Colombia, 11 November 2025: Reversal');
	await expect(items.first()).toContainText('Maintain → Halt');
	await expect(items.first()).toContainText('Intelligence is not for killing');
	// The same link reproduces the view; clarifications for Colombia are two (both issues on 13 November).
	await page.goto('/changes?actors=colombia&classes=clarification');
	await expect(list.getByRole('article')).toHaveCount(2);
	await expect(list.getByRole('article').first()).toContainText('13 November 2025');
	// The page announces its feed.
	await expect(page.locator('link[rel="alternate"][type="application/atom+xml"]')).toHaveAttribute('href', '/changes.atom?actors=colombia&classes=clarification');
});

test('who moved between 10 and 14 November 2025: Colombia, with Petro’s and Sánchez’s words', async ({ page }) => {
	await open(page, '/changes/between');
	await page.getByLabel('From', { exact: true }).fill('2025-11-10');
	await page.getByLabel('To', { exact: true }).fill('2025-11-14');
	await page.getByLabel('Issue').selectOption({ label: 'Intelligence sharing with US agencies' });
	await page.getByRole('button', { name: 'Show who moved' }).click();
	await expect(page).toHaveURL(/from=2025-11-10&to=2025-11-14/);
	const colombia = page.getByRole('list', { name: 'Actors who moved' }).getByRole('listitem').filter({ has: page.getByRole('heading', { name: /Colombia/ }) });
	await expect(colombia).toContainText('moved and came back');
	await expect(colombia.getByRole('article', { name: /11 November 2025: Reversal/ })).toContainText('Intelligence is not for killing');
	await expect(colombia.getByRole('article', { name: /13 November 2025: Clarification/ })).toContainText('continuous flow of information');
	await expect(colombia).toContainText('Pedro Arnulfo Sánchez');
	// Dates in the wrong order are refused, naming the field.
	await page.goto('/changes/between?from=2025-11-14&to=2025-11-10');
	await expect(page.getByRole('alert')).toContainText('to must be after from');
});

test('who moved pages through the movers, keeping dates and filters, and the pages together show them all', async ({ page }) => {
	await open(page, '/changes/between?from=2025-01-01&to=2025-12-31&per=10');
	const list = page.getByRole('list', { name: 'Actors who moved' });
	const pager = page.getByRole('navigation', { name: 'Pages of actors who moved' }).first();
	const where = (await pager.locator('.where').textContent()) ?? '';
	const m = /Actors who moved 1–10 of (\d+) · page 1 of (\d+)/.exec(where);
	expect(m, where).not.toBeNull();
	const total = Number(m![1]);
	const pages = Number(m![2]);
	expect(total).toBeGreaterThan(10);
	expect(pages).toBe(Math.ceil(total / 10));
	const names = async () => list.getByRole('heading', { level: 3 }).allTextContents();
	const seen = await names();
	expect(seen).toHaveLength(10);
	for (let p = 2; p <= pages; p++) {
		await pager.getByRole('link', { name: 'Next' }).click();
		await expect(page).toHaveURL(new RegExp(`from=2025-01-01&to=2025-12-31&per=10&page=${p}$`));
		await expect(pager.locator('.where')).toContainText(`page ${p} of ${pages}`);
		const here = await names();
		expect(here.length).toBeLessThanOrEqual(10);
		seen.push(...here);
	}
	expect(seen).toHaveLength(total);
	expect(new Set(seen).size).toBe(total);
	// A new filter from the form starts at page 1 and keeps the page size.
	await page.getByLabel('Issue').selectOption({ label: 'Intelligence sharing with US agencies' });
	await page.getByRole('button', { name: 'Show who moved' }).click();
	await expect(page).toHaveURL(/issues=intelligence-sharing-us/);
	await expect(page).toHaveURL(/per=10/);
	await expect(page).not.toHaveURL(/page=/);
});

test('the changes feeds parse as Atom with the expected entries', async ({ page }) => {
	await page.goto('/');
	const all = await readAtom(page, '/changes.atom');
	expect(all.error).toBe(false);
	expect(all.root).toBe('http://www.w3.org/2005/Atom feed');
	expect(all.updated).toMatch(/^\d{4}-\d{2}-\d{2}T/);
	expect(all.entries.length).toBeGreaterThanOrEqual(4);
	for (const e of all.entries) {
		expect(e.id).toBeTruthy();
		expect(e.updated).toMatch(/^\d{4}-\d{2}-\d{2}T/);
		expect(e.link).toMatch(/\/events\/\d+$/);
	}
	const colombia = await readAtom(page, '/changes.atom?actors=colombia&issues=intelligence-sharing-us');
	expect(colombia.title).toContain('Colombia');
	expect(colombia.entries.map((e) => e.title)).toEqual([
		'Colombia on Intelligence sharing with US agencies: Halt → Maintain (clarification, 13 November 2025)',
		'Colombia on Intelligence sharing with US agencies: Maintain → Halt (reversal, 11 November 2025)'
	]);
	expect(colombia.entries[0]!.content).toContain('continuous flow of information');
	// The entry links to the event that starts the change, and the event page exists.
	const res = await page.request.get(colombia.entries[0]!.link!);
	expect(res.status()).toBe(200);
	// Bad filters are a 400 naming the parameter.
	const bad = await page.request.get('/changes.atom?classes=flip');
	expect(bad.status()).toBe(400);
	expect((await bad.json()).error).toContain('classes');
	// Unknown actors and issues are a 404 naming them, not an empty feed.
	for (const [query, name] of [['actors=atlantis', 'unknown actor "atlantis"'], ['actors=colombia,atlantis', 'unknown actor "atlantis"'], ['issues=whaling', 'unknown issue "whaling"']]) {
		const missing = await page.request.get(`/changes.atom?${query}`);
		expect(missing.status(), query).toBe(404);
		expect((await missing.json()).error, query).toContain(name);
	}
	// A feed follows the current record: asof, malformed or not, is a 400 naming it, not a current feed passed off as pinned.
	for (const path of ['/changes.atom?asof=yesterday', '/changes.atom?actors=colombia&asof=2025-11-12', '/corrections.atom?asof=2025-13-01', '/corrections.atom?asof=2025-11-12']) {
		const pinned = await page.request.get(path);
		expect(pinned.status(), path).toBe(400);
		expect((await pinned.json()).details, path).toEqual([{ parameter: 'asof', message: expect.stringContaining('"asof"') }]);
	}
});

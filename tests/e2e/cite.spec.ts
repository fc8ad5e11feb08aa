import { expect, test } from './fixtures';
import { RUN, logIn } from './accounts';
import { open } from './helpers';

const EDITOR = { email: `editor-cite-${RUN}@example.org`, password: 'editor-cite-password-1' };
const ISSUE = 'intelligence-sharing-us';

test.beforeAll(async ({ server }) => {
	await server.addUser(EDITOR.email, 'editor', EDITOR.password);
});

/** The id of Colombia's day-precise event on intelligence sharing by this speaker. */
async function eventId(request: import('@playwright/test').APIRequestContext, speaker: string): Promise<number> {
	const body = await (await request.get(`/api/events?actor=colombia&issue=${ISSUE}`)).json();
	return body.events.find((e: { speaker: string; datePrecision: string }) => e.speaker === speaker && e.datePrecision === 'day').id;
}

test('a cited chart link made before an edit still shows the old value after it (page, PNG, CSV); the current link shows the new one', async ({ page, request, context }) => {
	const id = await eventId(request, 'armando-benedetti');
	await context.grantPermissions(['clipboard-read', 'clipboard-write']);
	// A reader cites the issue page's chart.
	await open(page, `/issues/${ISSUE}?actors=colombia`);
	await page.getByText('Cite this chart', { exact: true }).click();
	const cite = page.locator('details.cite');
	const link = await cite.getByRole('link').first().getAttribute('href');
	expect(link).toMatch(new RegExp(`/issues/${ISSUE}\\?actors=colombia&asof=\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$`));
	await expect(cite).toContainText(`“Intelligence sharing with US agencies”. Stance Tracker, as recorded on`);
	// The copy button works from the keyboard.
	await cite.getByRole('button', { name: 'Copy citation' }).focus();
	await page.keyboard.press('Enter');
	await expect(cite.getByRole('status')).toHaveText('Citation copied');
	expect(await page.evaluate(() => navigator.clipboard.readText())).toContain(link!);
	const files: Record<string, string> = Object.fromEntries(await cite.locator('.files a').evaluateAll((as) => as.map((a) => [a.textContent ?? '', a.getAttribute('href') ?? ''])));
	expect(Object.keys(files)).toEqual(['PNG', 'SVG', 'CSV', 'JSON']);
	const pinnedPng = await (await request.get(files.PNG!)).body();
	const pinnedCsv = await (await request.get(files.CSV!)).text();
	const currentPngBefore = await (await request.get(`/export/chart.png?actors=colombia&issues=${ISSUE}`)).body();

	// Later an editor corrects Benedetti's position (Maintain, +1) to Expand (+2).
	await page.waitForTimeout(20);
	await logIn(page, EDITOR.email, EDITOR.password);
	const current = await (await page.request.get(`/api/events/${id}`)).json();
	expect((await page.request.patch(`/api/events/${id}`, { data: { version: current.version, position: 2 } })).status()).toBe(200);

	// The cited page still shows the old value, says so, and links the current version.
	await open(page, link!);
	const banner = page.getByRole('note', { name: 'As recorded' });
	await expect(banner).toContainText('As recorded on');
	await expect(page.locator(`#event-${id}`)).toContainText('Maintain');
	await banner.getByRole('link', { name: 'See the current version' }).click();
	await expect(page).toHaveURL(new RegExp(`/issues/${ISSUE}\\?actors=colombia$`));
	await expect(page.locator(`#event-${id}`)).toContainText('Expand');
	await expect(page.getByRole('note', { name: 'As recorded' })).toHaveCount(0);

	// A chart's hover details asked as of the pin (as the cited page asks) give the old position; today's the new one.
	const asof = new URL(link!).searchParams.get('asof')!;
	expect(await (await request.get(`/api/events/${id}/detail?asof=${encodeURIComponent(asof)}`)).json()).toMatchObject({ id, positionLabel: 'Maintain' });
	expect(await (await request.get(`/api/events/${id}/detail`)).json()).toMatchObject({ id, positionLabel: 'Expand' });
	expect((await request.get(`/api/events/${id}/detail?asof=2000-01-01`)).status()).toBe(404);
	expect((await request.get(`/api/events/${id}/detail?asof=soon`)).status()).toBe(400);

	// Its PNG is the same bytes as before the edit, while the current one changed.
	expect((await (await request.get(files.PNG!)).body()).equals(pinnedPng)).toBe(true);
	expect((await (await request.get(`/export/chart.png?actors=colombia&issues=${ISSUE}`)).body()).equals(currentPngBefore)).toBe(false);
	// Its CSV: the same file, citation lines first, Benedetti at Maintain; the current one at Expand.
	const csvAfter = await (await request.get(files.CSV!)).text();
	const row = (csv: string) => csv.split('\r\n').find((l) => l.startsWith(`${id},`))!;
	expect(row(csvAfter)).toBe(row(pinnedCsv));
	expect(row(csvAfter)).toContain('Maintain');
	expect(csvAfter.replace(/^\uFEFF/, '').split('\r\n').slice(0, 3)).toEqual([
		expect.stringMatching(/^# Stance Tracker export\. Suggested citation: “Colombia – Intelligence sharing with US agencies”\. Stance Tracker, as recorded on /),
		`# asof: ${new URL(link!).searchParams.get('asof')}`,
		expect.stringMatching(/^# url: http.*asof=/)
	]);
	expect(row(await (await request.get(`/export/data.csv?actors=colombia&issues=${ISSUE}`)).text())).toContain('Expand');
	// The JSON export carries the same citation as fields.
	const pinnedJson = await (await request.get(files.JSON!)).json();
	expect(pinnedJson).toMatchObject({ asof: new URL(link!).searchParams.get('asof'), citation: { site: 'Stance Tracker', url: expect.stringContaining('asof=') } });

	// The page's citation now pins a later moment: the edit is the latest change it includes.
	await page.getByText('Cite this chart', { exact: true }).click();
	const newLink = await page.locator('details.cite').getByRole('link').first().getAttribute('href');
	expect(new URL(newLink!).searchParams.get('asof')! > new URL(link!).searchParams.get('asof')!).toBe(true);
});

test('as of a moment on the actor page, compare, embed and the JSON API; a bad or future asof is a 400 naming it', async ({ page, request }) => {
	// Before the demo was recorded nothing existed; now everything does. A moment still to come is
	// refused: later records could change it, so a link pinned to it would not keep saying the same.
	const now = new Date().toISOString();
	const early = await request.get(`/api/events?actor=colombia&issue=${ISSUE}&asof=2000-01-01`);
	expect(await early.json()).toMatchObject({ asof: '2000-01-01T23:59:59.999Z', total: 0, events: [] });
	const series = await (await request.get(`/api/series?issue=${ISSUE}&actors=colombia&asof=${now}`)).json();
	expect(series.series[0].points.length).toBeGreaterThan(1);
	expect((await request.get(`/api/issues/${ISSUE}?asof=2000-01-01`)).status()).toBe(404);
	// The series API agrees: the issue was not in the record then (it answered 200 with today's title).
	const before = await request.get(`/api/series?issue=${ISSUE}&asof=2000-01-01`);
	expect(before.status()).toBe(404);
	expect((await before.json()).error).toContain('was not in the record on 2000-01-01');
	expect(await (await request.get(`/api/issues/${ISSUE}?asof=${now}`)).json()).toMatchObject({ slug: ISSUE, asof: now });
	for (const path of [`/api/events?asof=soon`, `/api/series?issue=${ISSUE}&asof=soon`, `/api/issues/${ISSUE}?asof=soon`, `/export/data.csv?issues=${ISSUE}&asof=soon`, `/api/series?issue=${ISSUE}&asof=2100-01-01`, `/export/chart.png?issues=${ISSUE}&asof=2100-01-01`]) {
		const r = await request.get(path);
		expect(r.status(), path).toBe(400);
		expect((await r.json()).error, path).toContain('parameter "asof"');
	}
	for (const path of [`/issues/${ISSUE}?asof=soon`, '/actors/colombia?asof=soon', `/compare?actors=colombia&asof=soon`, `/embed?actors=colombia&asof=soon`, '/actors/colombia?asof=2100-01-01', `/compare?actors=colombia&asof=2100-01-01`]) {
		expect((await request.get(path)).status(), path).toBe(400);
	}
	// Pages pinned to a moment say so; each offers its citation.
	await open(page, `/actors/colombia?asof=${encodeURIComponent(now)}`);
	await expect(page.getByRole('note', { name: 'As recorded' })).toContainText('As recorded on');
	await expect(page.locator('details.cite summary')).toHaveText('Cite this chart');
	await open(page, `/compare?actors=colombia&issues=${ISSUE}&asof=${encodeURIComponent(now)}`);
	await expect(page).toHaveURL(new RegExp(`asof=${encodeURIComponent(now)}$`));
	await expect(page.getByRole('note', { name: 'As recorded' })).toBeVisible();
	await page.goto(`/embed?actors=colombia&issues=${ISSUE}&asof=${encodeURIComponent(now)}`);
	await expect(page.getByRole('note')).toContainText('As recorded on');
	await expect(page.getByText('Cite this chart', { exact: true })).toBeVisible();
});

test('without JavaScript the citation text and link are still there', async ({ browser, server }) => {
	const ctx = await browser.newContext({ baseURL: server.baseURL, javaScriptEnabled: false });
	const page = await ctx.newPage();
	await page.goto(`/issues/${ISSUE}`);
	await page.getByText('Cite this chart', { exact: true }).click();
	const cite = page.locator('details.cite');
	await expect(cite.getByRole('link').first()).toHaveAttribute('href', /asof=/);
	await expect(cite).toContainText('Suggested citation');
	await expect(cite).toContainText('“Intelligence sharing with US agencies”. Stance Tracker, as recorded on');
	await expect(cite.getByRole('button', { name: 'Copy citation' })).toHaveCount(0);
	await ctx.close();
});

test('issue and actor pages announce their Atom feeds of changes, which parse with the expected entries', async ({ page, request }) => {
	const feeds: Record<string, string> = {};
	for (const [path, name] of [[`/issues/${ISSUE}`, 'Changes on this issue (Atom feed)'], ['/actors/colombia', 'Changes of Colombia (Atom feed)']] as const) {
		await open(page, path);
		const head = await page.locator('head link[rel="alternate"][type="application/atom+xml"]').getAttribute('href');
		await expect(page.getByRole('link', { name })).toHaveAttribute('href', head!);
		feeds[path] = head!;
	}
	expect(feeds[`/issues/${ISSUE}`]).toBe(`/changes.atom?issues=${ISSUE}`);
	expect(feeds['/actors/colombia']).toBe('/changes.atom?actors=colombia');
	const parse = async (href: string) => {
		const xml = await (await request.get(href)).text();
		return page.evaluate((text) => {
			const NS = 'http://www.w3.org/2005/Atom';
			const doc = new DOMParser().parseFromString(text, 'application/xml');
			if (doc.getElementsByTagName('parsererror').length || doc.documentElement.namespaceURI !== NS || doc.documentElement.localName !== 'feed') return null;
			const one = (el: Element, tag: string) => el.getElementsByTagNameNS(NS, tag)[0];
			return {
				title: one(doc.documentElement, 'title')?.textContent ?? '',
				entries: [...doc.getElementsByTagNameNS(NS, 'entry')].map((e) => ({
					id: one(e, 'id')?.textContent ?? '',
					title: one(e, 'title')?.textContent ?? '',
					updated: one(e, 'updated')?.textContent ?? '',
					link: one(e, 'link')?.getAttribute('href') ?? ''
				}))
			};
		}, xml);
	};
	for (const href of Object.values(feeds)) {
		const feed = await parse(href);
		expect(feed, href).not.toBeNull();
		// Atom requires an id, a title and an updated date on every entry.
		for (const e of feed!.entries) expect(e.id && e.title && !Number.isNaN(Date.parse(e.updated))).toBeTruthy();
		const titles = feed!.entries.map((e) => e.title);
		expect(titles).toContainEqual(expect.stringMatching(/^Colombia on Intelligence sharing with US agencies: .* → .* \(reversal, 11 November 2025\)$/));
		expect(titles).toContainEqual(expect.stringMatching(/^Colombia on Intelligence sharing with US agencies: .* → .* \(clarification, 13 November 2025\)$/));
		expect(feed!.entries.every((e) => /\/events\/\d+$/.test(e.link))).toBe(true);
	}
	// The actor's feed holds only Colombia's changes; the issue's only that issue's.
	expect((await parse(feeds['/actors/colombia']!))!.entries.every((e) => e.title.startsWith('Colombia on '))).toBe(true);
	expect((await parse(feeds[`/issues/${ISSUE}`]!))!.entries.every((e) => e.title.includes(' on Intelligence sharing with US agencies: '))).toBe(true);
});

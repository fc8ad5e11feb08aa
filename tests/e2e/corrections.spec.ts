import { expect, test } from './fixtures';
import { RUN, logIn } from './accounts';
import { open } from './helpers';

const EDITOR = { email: `editor-corr-${RUN}@example.org`, password: 'editor-corr-password-1' };

test.beforeAll(async ({ server }) => {
	await server.addUser(EDITOR.email, 'editor', EDITOR.password);
});

/** The id of Colombia's event on intelligence sharing by this speaker. */
async function eventId(request: import('@playwright/test').APIRequestContext, speaker: string): Promise<number> {
	const body = await (await request.get('/api/events?actor=colombia&issue=intelligence-sharing-us')).json();
	return body.events.find((e: { speaker: string; datePrecision: string }) => e.speaker === speaker && e.datePrecision === 'day').id;
}

test('a correction needs a reason after 24 hours, and appears on the event page and in the corrections feed', async ({ page, request, server }) => {
	const id = await eventId(request, 'gustavo-petro');
	// The event has been public for two days.
	await server.query(`update stance_event set created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-2 days') where id = ?`, [id]);
	await logIn(page, EDITOR.email, EDITOR.password);
	await open(page, `/edit/events/${id}`);
	await page.getByLabel('Summary').fill('Announces the suspension of intelligence sharing with US security agencies');
	// Without a reason the save is refused, the error beside the field.
	await page.getByLabel('Reason for the correction').fill('');
	await page.getByLabel('Reason for the correction').evaluate((el) => el.removeAttribute('required'));
	await page.getByRole('button', { name: 'Save changes' }).click();
	await expect(page.locator('.field-error', { hasText: /is required: this event has been public for more than 24 hours/ })).toBeVisible();
	// With a reason it is saved and listed publicly, without the editor's name.
	await page.getByLabel('Reason for the correction').fill('The summary misread the announcement.');
	await page.getByRole('button', { name: 'Save changes' }).click();
	await expect(page).toHaveURL(new RegExp(`/events/${id}$`));
	const visitor = await page.context().browser()!.newContext({ baseURL: server.baseURL });
	const pub = await visitor.newPage();
	await pub.goto(`/events/${id}`);
	const section = pub.getByRole('region', { name: 'Corrections' });
	await expect(section).toContainText('corrected summary');
	await expect(section).toContainText('Reason: The summary misread the announcement.');
	await expect(pub.getByText(EDITOR.email)).toHaveCount(0);
	await visitor.close();
	// The corrections feed parses as Atom and holds the entry.
	const xml = await (await request.get('/corrections.atom')).text();
	const entries = await page.evaluate((text) => {
		const doc = new DOMParser().parseFromString(text, 'application/xml');
		if (doc.getElementsByTagName('parsererror').length || doc.documentElement.namespaceURI !== 'http://www.w3.org/2005/Atom') return null;
		return [...doc.getElementsByTagNameNS('http://www.w3.org/2005/Atom', 'entry')].map((e) => ({
			link: e.getElementsByTagNameNS('http://www.w3.org/2005/Atom', 'link')[0]?.getAttribute('href'),
			content: e.getElementsByTagNameNS('http://www.w3.org/2005/Atom', 'content')[0]?.textContent ?? ''
		}));
	}, xml);
	expect(entries).not.toBeNull();
	expect(entries!.some((e) => e.link?.endsWith(`/events/${id}`) && e.content.includes('The summary misread the announcement.'))).toBe(true);
	expect(xml).not.toContain(EDITOR.email);
	await pub.close().catch(() => {});
	await open(page, '/corrections');
	await expect(page.getByRole('list', { name: 'Corrections' })).toContainText('The summary misread the announcement.');
});

test('an editor overrides a class with a reason, and the change and its chart marker show it', async ({ page, request }) => {
	const id = await eventId(request, 'pedro-sanchez');
	// Before: the chart marks a clarification the rules gave (an outlined circle).
	await open(page, '/issues/intelligence-sharing-us');
	await expect(page.getByRole('button', { name: 'Change: Colombia, 13 November 2025: clarification, Halt to Maintain' })).toBeVisible();
	const before = await (await request.get('/export/chart.png?actors=colombia&issues=intelligence-sharing-us')).body();
	await logIn(page, EDITOR.email, EDITOR.password);
	await open(page, `/events/${id}`);
	const change = page.getByRole('region', { name: 'The change this event starts' });
	await expect(change.getByRole('article')).toHaveAccessibleName('Colombia, 13 November 2025: Clarification');
	const form = page.getByRole('form', { name: 'Confirm or override the class' });
	await form.getByLabel('Class').selectOption('reversal');
	await form.getByRole('button', { name: 'Confirm or override the class' }).click();
	await expect(form.getByRole('alert')).toContainText('is required to override');
	await form.getByLabel('Reason').fill('The ministers reversed the suspension outright, not a clarification.');
	await form.getByRole('button', { name: 'Confirm or override the class' }).click();
	await expect(change.getByRole('article')).toHaveAccessibleName('Colombia, 13 November 2025: Reversal');
	await expect(change).toContainText('set by an editor');
	// The chart's marker changes: a reversal now, set by an editor (filled), in the list under the chart too.
	await open(page, '/issues/intelligence-sharing-us');
	const marker = page.getByRole('button', { name: 'Change: Colombia, 13 November 2025: reversal, Halt to Maintain (set by an editor; the rules say clarification)' });
	await expect(marker).toBeVisible();
	await expect(page.getByRole('button', { name: /Change: Colombia, 13 November 2025: clarification/ })).toHaveCount(0);
	await marker.hover();
	await expect(page.getByRole('tooltip')).toContainText('set by an editor (rules: clarification)');
	// The exported image is redrawn with the new marker.
	const after = await (await request.get('/export/chart.png?actors=colombia&issues=intelligence-sharing-us')).body();
	expect(after.equals(before)).toBe(false);
	// The changes list follows.
	await open(page, '/changes?actors=colombia&issues=intelligence-sharing-us&classes=reversal');
	await expect(page.getByRole('list', { name: 'Changes' }).getByRole('article')).toHaveCount(2);
});

test('a cited link pinned before an edit keeps the old value in its CSV and PNG; the current link shows the new one', async ({ page, request }) => {
	const id = await eventId(request, 'armando-benedetti');
	const view = '/export/data.csv?actors=colombia&issues=intelligence-sharing-us';
	const pinned = new Date().toISOString();
	const oldPng = await (await request.get('/export/chart.png?actors=colombia&issues=intelligence-sharing-us')).body();
	const pinnedPng = await (await request.get(`/export/chart.png?actors=colombia&issues=intelligence-sharing-us&asof=${pinned}`)).body();
	await page.waitForTimeout(20);
	await logIn(page, EDITOR.email, EDITOR.password);
	const current = await (await page.request.get(`/api/events/${id}`)).json();
	const patch = await page.request.patch(`/api/events/${id}`, { data: { version: current.version, position: 2 } });
	expect(patch.status()).toBe(200);
	const row = (csv: string) => csv.split('\r\n').find((l) => l.startsWith(`${id},`))!;
	const cited = await (await request.get(`${view}&asof=${encodeURIComponent(pinned)}`)).text();
	expect(row(cited)).toContain('Maintain');
	const now = await (await request.get(view)).text();
	expect(row(now)).toContain('Expand');
	// The current image shows the edit; the pinned one is the same bytes as before it.
	const currentPng = await (await request.get('/export/chart.png?actors=colombia&issues=intelligence-sharing-us')).body();
	expect(currentPng.equals(oldPng)).toBe(false);
	const png = await (await request.get(`/export/chart.png?actors=colombia&issues=intelligence-sharing-us&asof=${pinned}`)).body();
	expect(png.equals(pinnedPng)).toBe(true);
	// A bad asof is refused, naming the parameter.
	const bad = await request.get(`${view}&asof=yesterday`);
	expect(bad.status()).toBe(400);
	expect((await bad.json()).error).toContain('asof');
});

test('a corrected event is marked on the lanes view and on every compare layout', async ({ page, request, server }) => {
	const body = await (await request.get('/api/events?actor=united-states&issue=intelligence-sharing-us')).json();
	const us = body.events[0];
	await server.query(`update stance_event set created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-2 days') where id = ?`, [us.id]);
	await logIn(page, EDITOR.email, EDITOR.password);
	const patched = await page.request.patch(`/api/events/${us.id}`, { data: { version: us.version, summary: `${us.summary} (corrected)`, reason: 'The summary named the wrong agency.' } });
	expect(patched.status()).toBe(200);
	const rings = (chart: import('@playwright/test').Locator) => chart.getAttribute('data-corrected-rings').then((v) => JSON.parse(v ?? '[]') as number[]);
	const listed = page.getByRole('list', { name: 'Corrected events' }).getByRole('link', { name: /United States, 12 Nov/ });

	// The issue page's lanes view outlines the lane segment the corrected event states, and lists it.
	await open(page, '/issues/intelligence-sharing-us?view=lanes');
	await expect.poll(() => rings(page.locator('#issue-chart'))).toContain(us.id);
	await expect(listed).toBeVisible();
	// Compare: overlay and lanes ring it on the panel's chart; side by side on the United States' panel only.
	for (const mode of ['overlay', 'lanes']) {
		await open(page, `/compare?actors=colombia,united-states&issues=intelligence-sharing-us${mode === 'overlay' ? '' : `&mode=${mode}`}`);
		await expect.poll(() => rings(page.locator('#chart-intelligence-sharing-us'))).toContain(us.id);
		await expect(listed).toBeVisible();
	}
	await open(page, '/compare?actors=colombia,united-states&issues=intelligence-sharing-us&mode=side');
	await expect.poll(() => rings(page.locator('#chart-intelligence-sharing-us-united-states'))).toEqual([us.id]);
	await expect.poll(() => rings(page.locator('#chart-intelligence-sharing-us-colombia'))).not.toContain(us.id);
	await expect(listed).toBeVisible();
});

test('restoring an event public for more than 24 hours needs a reason, through the API and the trash without JavaScript, and the restore is listed with it', async ({ browser, page, server }) => {
	await logIn(page, EDITOR.email, EDITOR.password);
	const created = await page.request.post('/api/events', {
		data: { actor: 'colombia', issue: 'intelligence-sharing-us', date: '2025-10-15', position: 1, kind: 'statement', summary: `Restored later ${RUN}`, sources: [{ outlet: 'Reuters' }] }
	});
	expect(created.status()).toBe(201);
	const { id } = await created.json();
	// Public for two days, then withdrawn with a reason.
	await server.query(`update stance_event set created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-2 days') where id = ?`, [id]);
	// (No body: a script says it is one with X-Requested-With, which a cross-site page cannot send.)
	const script = { headers: { 'X-Requested-With': 'playwright' } };
	// The reason in a JSON body counts as in ?reason= (before, it was ignored and the delete refused for lacking one).
	expect((await page.request.delete(`/api/events/${id}?version=1`, { data: { reason: 'Looked like a duplicate.' } })).status()).toBe(200);
	// The API refuses a restore without a reason, naming it, and restores nothing.
	const refused = await page.request.post(`/api/events/${id}/restore`, script);
	expect(refused.status()).toBe(400);
	expect((await refused.json()).fields).toEqual([{ field: 'reason', message: expect.stringContaining('is required') }]);
	expect((await page.request.get(`/api/events/${id}`)).status()).toBe(404);

	// The trash, in a browser without JavaScript: a plain form post.
	const nojs = await browser.newContext({ baseURL: server.baseURL, javaScriptEnabled: false, storageState: await page.context().storageState() });
	const trash = await nojs.newPage();
	await trash.goto('/edit/trash');
	const row = trash.getByRole('row', { name: new RegExp(`Restored later ${RUN}`) });
	const reason = row.getByRole('textbox', { name: /Reason for restoring/ });
	await expect(reason).toBeVisible();
	// Past the browser's own check (a client that skips it), the server still refuses.
	await reason.evaluate((el) => el.removeAttribute('required'));
	await row.getByRole('button', { name: /Restore event/ }).click();
	await expect(trash.getByRole('alert')).toContainText('is required');
	expect((await page.request.get(`/api/events/${id}`)).status()).toBe(404);
	await trash.getByRole('row', { name: new RegExp(`Restored later ${RUN}`) }).getByRole('textbox', { name: /Reason for restoring/ }).fill('Not a duplicate: a separate statement.');
	await trash.getByRole('row', { name: new RegExp(`Restored later ${RUN}`) }).getByRole('button', { name: /Restore event/ }).click();
	await expect(trash.getByRole('status')).toContainText('Restored the event');
	await nojs.close();

	// Public: the event page and the corrections feed list the restore with its reason, no editor named.
	const visitor = await browser.newContext({ baseURL: server.baseURL });
	const pub = await visitor.newPage();
	await pub.goto(`/events/${id}`);
	const section = pub.getByRole('region', { name: 'Corrections' });
	await expect(section).toContainText('restored.');
	await expect(section).toContainText('Reason: Not a duplicate: a separate statement.');
	const xml = await (await pub.request.get('/corrections.atom')).text();
	expect(xml).toContain('Not a duplicate: a separate statement.');
	expect(xml).not.toContain(EDITOR.email);
	await visitor.close();
});

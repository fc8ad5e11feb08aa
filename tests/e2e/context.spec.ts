import { createHash } from 'node:crypto';
import { expect, test } from './fixtures';
import { logIn } from './accounts';
import { expectChartDrawn, open } from './helpers';
import { decodePng } from './images';

const EDITOR = { email: 'context-editor@example.org', password: 'context editor password 1' };
const ISSUE = 'intelligence-sharing-us';
const LABEL = 'G7 foreign ministers meet in Niagara';
const EXPORT = `/export/chart.png?issues=${ISSUE}`;

const TOKEN = 'st_contextcontextcontextcontextcont';
const auth = { Authorization: `Bearer ${TOKEN}` };

test.beforeAll(async ({ server }) => {
	await server.addUser(EDITOR.email, 'editor', EDITOR.password);
	const [u] = await server.query('select id from user where email = ?', [EDITOR.email]);
	await server.query(
		"insert into api_token (user_id, name, token_hash, scope, created_at, expires_at) values (?, 'context test', ?, 'write', ?, ?)",
		[Number(u!.id), createHash('sha256').update(TOKEN).digest('hex'), new Date().toISOString(), new Date(Date.now() + 86_400_000).toISOString()]
	);
});

/** The words the SVG export writes in the context colour (it writes each word as its own <text>). */
const contextWords = (svg: string) =>
	[...svg.matchAll(/<text fill="#7A5200"[^>]*>([^<]*)</g)]
		.map((m) => m[1])
		.filter(Boolean)
		.join(' ');

test('an editor adds a context event and sees it on the chart, in its text and in the exported PNG and SVG', async ({ page, request }) => {
	test.setTimeout(90_000);
	const pngBefore = Buffer.from(await (await request.get(EXPORT)).body());

	await test.step('anyone may read the context; only an editor may write it', async () => {
		const list = await (await request.get(`/api/issues/${ISSUE}/context`)).json();
		expect(list.context.map((c: { label: string }) => c.label)).toEqual(['First US strike on a boat', 'US sanctions on Petro']);
		const anonymous = await request.post(`/api/issues/${ISSUE}/context`, { data: { date: '2025-11-12', label: 'x', source: { outlet: 'x' } } });
		expect(anonymous.status()).toBe(401);
	});

	await test.step('the editor opens the issue and goes to its context', async () => {
		await logIn(page, EDITOR.email, EDITOR.password);
		await open(page, `/issues/${ISSUE}`);
		await page.getByRole('link', { name: 'Edit the context on the timeline' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Context on the timeline/);
	});

	await test.step('a label that is too long and an end before the start are refused, naming the fields', async () => {
		const form = page.getByRole('region', { name: 'Add a context event' });
		await form.getByLabel('Label').fill('x'.repeat(80));
		await form.getByLabel('Label').evaluate((el) => ((el as HTMLInputElement).value += 'y'));
		await form.getByLabel('Date (or start)').fill('2025-11-12');
		await form.getByLabel('End date').fill('2025-11-10');
		await form.getByLabel('Source outlet').fill('Reuters');
		await form.getByRole('button', { name: 'Add context event' }).click();
		await expect(form.getByLabel('Label')).toHaveAccessibleDescription(/at most 80 characters/);
		await expect(form.getByLabel('End date')).toHaveAccessibleDescription(/must not be before the start date/);
	});

	await test.step('the editor adds the context event', async () => {
		const form = page.getByRole('region', { name: 'Add a context event' });
		await form.getByLabel('Label').fill(LABEL);
		await form.getByLabel('End date').fill('');
		await form.getByLabel('Source URL').fill('https://example.org/g7');
		await form.getByRole('button', { name: 'Add context event' }).click();
		await expect(page.getByRole('status')).toHaveText(`Added “${LABEL}”.`);
		await expect(page.getByRole('region', { name: /Context events/ }).getByRole('button', { name: `Delete “${LABEL}”` })).toBeVisible();
	});

	await test.step('the history records who added it', async () => {
		const item = page.getByRole('listitem').filter({ has: page.getByRole('button', { name: `Delete “${LABEL}”` }) });
		await item.getByText(/History/).click();
		await expect(item.getByText(/Created/)).toBeVisible();
		await expect(item.getByText(EDITOR.email)).toBeVisible();
	});

	await test.step('the issue chart draws it, and its text lists it', async () => {
		await open(page, `/issues/${ISSUE}`);
		await expectChartDrawn(page);
		const drawn = JSON.parse((await page.locator('.stance-chart').first().getAttribute('data-context')) ?? '[]');
		expect(drawn).toContain(`12 Nov 2025: ${LABEL}`);
		await page.getByText('Chart as text').click();
		await expect(page.getByRole('list', { name: 'Context on the timeline' }).getByRole('listitem').filter({ hasText: LABEL })).toHaveText(/12 November 2025: G7 foreign ministers meet in Niagara \(Reuters\)/);
	});

	await test.step('the lanes view draws it too', async () => {
		await open(page, `/issues/${ISSUE}?view=lanes`);
		await expectChartDrawn(page);
		const drawn = JSON.parse((await page.locator('.stance-chart').first().getAttribute('data-context')) ?? '[]');
		expect(drawn).toContain(`12 Nov 2025: ${LABEL}`);
	});

	await test.step('the exported PNG changed, and the SVG writes the label', async () => {
		const pngAfter = Buffer.from(await (await request.get(EXPORT)).body());
		const [a, b] = [await decodePng(pngBefore), await decodePng(pngAfter)];
		expect([b.width, b.height]).toEqual([a.width, a.height]);
		expect(pngAfter.equals(pngBefore)).toBe(false);
		const svg = await (await request.get(EXPORT.replace('chart.png', 'chart.svg'))).text();
		expect(contextWords(svg)).toContain(`12 Nov 2025: ${LABEL}`);
	});

	await test.step('the editor deletes it: gone from the chart, listed for restore', async () => {
		await open(page, `/edit/issues/${ISSUE}/context`);
		await page.getByRole('button', { name: `Delete “${LABEL}”` }).click();
		await expect(page.getByRole('status')).toHaveText(/Deleted/);
		await expect(page.getByRole('button', { name: `Restore “${LABEL}”` })).toBeVisible();
		const svg = await (await request.get(EXPORT.replace('chart.png', 'chart.svg'))).text();
		expect(contextWords(svg)).not.toContain(LABEL);
	});
});

test('without JavaScript an editor edits a context event into a span, then a stale copy of the form gets a conflict', async ({ browser, request }) => {
	test.setTimeout(90_000);
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await logIn(page, EDITOR.email, EDITOR.password);
	const stale = await context.newPage();

	await test.step('two copies of the edit form of the sanctions on Petro', async () => {
		await open(page, `/edit/issues/petro-accusations-sanctions/context`);
		await page.getByRole('link', { name: 'Edit “US sanctions on Petro”' }).click();
		await open(stale, page.url());
	});

	await test.step('the first makes it a span: the form posts, the page reloads, the list says so', async () => {
		await page.getByLabel('End date').fill('2025-10-31');
		await page.getByRole('button', { name: 'Save changes' }).click();
		await expect(page).toHaveURL(/\/edit\/issues\/petro-accusations-sanctions\/context$/);
		await expect(page.getByText('24 October 2025 to 31 October 2025', { exact: true })).toBeVisible();
		const api = await (await request.get('/api/issues/petro-accusations-sanctions/context')).json();
		expect(api.context).toEqual([expect.objectContaining({ label: 'US sanctions on Petro', date: '2025-10-24', endDate: '2025-10-31', version: 2 })]);
	});

	await test.step('the stale copy is refused with what is stored now', async () => {
		await stale.getByLabel('Label').fill('US sanctions on Gustavo Petro');
		await stale.getByRole('button', { name: 'Save changes' }).click();
		await expect(stale.getByRole('heading', { name: /Someone else changed this context event/ })).toBeVisible();
		const api = await (await request.get('/api/issues/petro-accusations-sanctions/context')).json();
		expect(api.context[0].label).toBe('US sanctions on Petro');
	});
	await context.close();
});

test('the JSON API writes context events with a write token: 201, 409 on a stale version, 400 naming the field, delete and restore, each in the history', async ({ request, server }) => {
	const url = '/api/issues/caribbean-military-buildup/context';
	const body = { date: '2025-10-24', label: 'Carrier strike group ordered to the Caribbean', source: { outlet: 'Test Wire', url: 'https://example.org/carrier' } };
	const created = await request.post(url, { headers: auth, data: body });
	expect(created.status()).toBe(201);
	const c = await created.json();
	expect(c).toMatchObject({ issue: 'caribbean-military-buildup', label: body.label, endDate: null, version: 1 });
	expect(created.headers()['location']).toBe(`/api/context/${c.id}`);

	const bad = await request.post(url, { headers: auth, data: { ...body, label: 'x'.repeat(81) } });
	expect(bad.status()).toBe(400);
	expect((await bad.json()).fields).toEqual([{ field: 'label', message: 'must be at most 80 characters' }]);
	const crossSite = await request.post(url, { headers: { ...auth, Origin: 'https://evil.example' }, data: body });
	expect(crossSite.status()).toBe(403);

	const patched = await request.patch(`/api/context/${c.id}`, { headers: auth, data: { version: 1, endDate: '2025-11-11' } });
	expect(patched.status()).toBe(200);
	expect(await patched.json()).toMatchObject({ endDate: '2025-11-11', version: 2 });
	const stale = await request.patch(`/api/context/${c.id}`, { headers: auth, data: { version: 1, label: 'Lost' } });
	expect(stale.status()).toBe(409);
	expect(await stale.json()).toMatchObject({ currentVersion: 2, current: { endDate: '2025-11-11' } });

	expect((await request.delete(`/api/context/${c.id}?version=2`, { headers: auth })).status()).toBe(200);
	expect((await request.get(`/api/context/${c.id}`)).status()).toBe(404);
	expect((await request.post(`/api/context/${c.id}/restore`, { headers: auth })).status()).toBe(200);
	const rows = await server.query("select action, via from change where entity = 'context' and entity_id = ? order by id", [c.id]);
	expect(rows.map((r) => `${r.action} ${r.via}`)).toEqual(['create api', 'update api', 'delete api', 'restore api']);
});

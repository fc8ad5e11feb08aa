import { expect, test } from './fixtures';
import { logIn } from './accounts';
import { hydrated, open } from './helpers';

// A private deployment: REQUIRE_LOGIN=true makes every page, the API and the exports need a login.
test.use({ serverEnv: { REQUIRE_LOGIN: 'true' } });

const VIEWER = { email: 'private-viewer@example.org', password: 'private viewer password' };
const ISSUE = 'intelligence-sharing-us';

test.beforeAll(({ server }) => server.addUser(VIEWER.email, 'viewer', VIEWER.password));

test('anonymous readers are sent to log in from every page, and come back where they were going', async ({ page, request }) => {
	for (const path of ['/', `/issues/${ISSUE}`, '/actors/colombia', `/compare?actors=colombia&issues=${ISSUE}`, `/embed?issues=${ISSUE}`]) {
		const r = await request.get(path, { maxRedirects: 0 });
		expect(r.status(), path).toBe(303);
		expect(r.headers()['location'], path).toBe(`/login?next=${encodeURIComponent(path)}`);
		// Nothing of the data leaks in the refusal.
		expect(await r.text(), path).not.toContain('Colombia');
	}

	// In the browser: the issue page leads to the login form, and logging in leads back to it.
	await open(page, `/issues/${ISSUE}`);
	await expect(page).toHaveURL(`/login?next=${encodeURIComponent(`/issues/${ISSUE}`)}`);
	await expect(page.getByRole('heading', { level: 1 })).not.toHaveText('Intelligence sharing with US agencies');
	await page.getByLabel('Email').fill(VIEWER.email);
	await page.getByLabel('Password').fill(VIEWER.password);
	await page.getByRole('button', { name: 'Log in' }).click();
	await expect(page).toHaveURL(`/issues/${ISSUE}`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Intelligence sharing with US agencies');
});

test('the API and the exports answer 401 without a login, and serve a signed-in reader', async ({ page, request }) => {
	const paths = [
		'/api/issues',
		'/api/actors',
		'/api/events?limit=1',
		`/api/series?issue=${ISSUE}`,
		`/export/chart.png?issues=${ISSUE}`,
		`/export/chart.svg?issues=${ISSUE}`,
		`/export/data.csv?issues=${ISSUE}`,
		`/export/data.json?issues=${ISSUE}`
	];
	for (const path of paths) {
		const r = await request.get(path, { maxRedirects: 0 });
		expect(r.status(), path).toBe(401);
		expect(r.headers()['content-type'], path).toContain('application/json');
		expect(typeof (await r.json()).error, path).toBe('string');
	}

	// The same requests with the session of a signed-in viewer succeed.
	await logIn(page, VIEWER.email, VIEWER.password);
	for (const path of paths) {
		const r = await page.request.get(path, { maxRedirects: 0 });
		expect(r.status(), path).toBe(200);
	}
	const issues = await (await page.request.get('/api/issues')).json();
	expect(issues.map((i: { slug: string }) => i.slug)).toContain(ISSUE);
});

test('a read token reads the API of a private deployment', async ({ page, request }) => {
	await logIn(page, VIEWER.email, VIEWER.password);
	await open(page, '/account/tokens');
	await page.getByLabel('Name').fill('private reader');
	await page.getByLabel('Scope').selectOption('read');
	await page.getByRole('button', { name: 'Create token' }).click();
	const token = await page.getByLabel('New token').inputValue();
	expect(token).toMatch(/^st_/);
	const r = await request.get('/api/events?limit=1', { headers: { Authorization: `Bearer ${token}` } });
	expect(r.status()).toBe(200);
	expect((await r.json()).total).toBeGreaterThan(0);
});

test('the login page itself, and a wrong password, work without a session', async ({ page }) => {
	const r = await page.goto('/login');
	expect(r?.status()).toBe(200);
	await hydrated(page);
	await page.getByLabel('Email').fill(VIEWER.email);
	await page.getByLabel('Password').fill('not the password');
	await page.getByRole('button', { name: 'Log in' }).click();
	await expect(page.getByRole('alert')).toContainText('do not match');
	await expect(page).toHaveURL(/\/login/);
});

import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { RUN, eventBody, issueBody, logIn, open } from './accounts';
import { hydrated } from './helpers';

const ADMIN = { email: `admin-${RUN}@example.org`, password: 'admin password one' };
const EDITOR = { email: `editor-${RUN}@example.org`, password: 'editor password one', name: 'Erin Editor' };
const TOKEN_EDITOR = { email: `token-editor-${RUN}@example.org`, password: 'token editor password' };

test.beforeAll(async ({ server }) => {
	// The first admin comes from the CLI, as on a fresh install.
	await server.addUser(ADMIN.email, 'admin', ADMIN.password);
	await server.addUser(TOKEN_EDITOR.email, 'editor', TOKEN_EDITOR.password);
});

/** The users table's row of this email (exactly: one email may end another). */
const userRow = (page: Page, email: string) =>
	page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${email.replace(/[.+]/g, '\\$&')}( you)?$`) }) });

test('an admin creates an editor who logs in; disabling the editor ends their session at once', async ({ browser, server }) => {
	const adminContext = await browser.newContext();
	const admin = await adminContext.newPage();

	// The admin logs in and opens the users page from the header.
	await logIn(admin, ADMIN.email, ADMIN.password);
	await admin.getByRole('banner').getByRole('link', { name: 'Admin', exact: true }).click();
	await expect(admin.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();
	await expect(userRow(admin, ADMIN.email)).toContainText('you');

	// A first try with a malformed email and a short password: each error beside its field, what was typed kept.
	await admin.getByLabel('Email').fill('not an email');
	await admin.getByLabel('Name').fill(EDITOR.name);
	await admin.getByLabel('Role', { exact: true }).selectOption('editor');
	await admin.getByLabel('Initial password').fill('short');
	await admin.getByRole('button', { name: 'Add user' }).click();
	const email = admin.getByLabel('Email');
	await expect(email).toHaveAttribute('aria-invalid', 'true');
	await expect(email).toHaveAccessibleDescription('must be an email address');
	await expect(admin.getByLabel('Initial password')).toHaveAccessibleDescription(/at least 10 characters$/);
	await expect(admin.getByLabel('Name')).toHaveValue(EDITOR.name);
	await expect(admin.getByLabel('Role', { exact: true })).toHaveValue('editor');

	// Corrected, the editor is added.
	await email.fill(EDITOR.email);
	await admin.getByLabel('Initial password').fill(EDITOR.password);
	await admin.getByRole('button', { name: 'Add user' }).click();
	await expect(admin.getByRole('status')).toHaveText(`Added ${EDITOR.email} as editor.`);
	const row = userRow(admin, EDITOR.email);
	await expect(row).toContainText(EDITOR.name);
	await expect(row.getByLabel(`Role of ${EDITOR.email}`)).toHaveValue('editor');
	await expect(row).toContainText('Active');

	// The editor logs in elsewhere and sees the editing link.
	const editorContext = await browser.newContext();
	const editor = await editorContext.newPage();
	await logIn(editor, EDITOR.email, EDITOR.password);
	await expect(editor.getByRole('banner').getByRole('link', { name: 'Edit', exact: true })).toBeVisible();

	// The admin disables the editor.
	await row.getByRole('button', { name: `Disable ${EDITOR.email}` }).click();
	await expect(row).toContainText('Disabled');
	await expect(admin.getByRole('status')).toContainText('sessions have ended');
	expect(await server.query('select count(*) as n from session where user_id = (select id from "user" where email = ?)', [EDITOR.email])).toEqual([
		{ n: 0 }
	]);

	// The editor's next page load is anonymous, and the account pages send them to log in.
	await editor.reload();
	await expect(editor.getByRole('banner').getByRole('link', { name: 'Log in' })).toBeVisible();
	await expect(editor.getByRole('banner').getByRole('link', { name: EDITOR.email })).toHaveCount(0);
	await editor.goto('/account/tokens');
	await expect(editor).toHaveURL(/\/login\?next=%2Faccount%2Ftokens$/);

	// Enabled again, they can log in again.
	await row.getByRole('button', { name: `Enable ${EDITOR.email}` }).click();
	await expect(row).toContainText('Active');
	await logIn(editor, EDITOR.email, EDITOR.password);

	await adminContext.close();
	await editorContext.close();
});

test('the last active admin cannot demote or disable themselves', async ({ page, server }) => {
	// The CLI's admin is the only active admin in this file's database.
	expect(await server.query(`select email from "user" where role = 'admin' and disabled_at is null`)).toEqual([{ email: ADMIN.email }]);
	await logIn(page, ADMIN.email, ADMIN.password);
	await open(page, '/admin/users');

	const me = userRow(page, ADMIN.email);
	await me.getByLabel(`Role of ${ADMIN.email}`).selectOption('editor');
	await me.getByRole('button', { name: 'Change role' }).click();
	await expect(page.getByRole('alert')).toContainText('There must always be an active admin');
	// The select shows the role still held.
	await expect(me.getByLabel(`Role of ${ADMIN.email}`)).toHaveValue('admin');

	await me.getByRole('button', { name: `Disable ${ADMIN.email}` }).click();
	await expect(page.getByRole('alert')).toContainText('There must always be an active admin');
	await expect(me).toContainText('Active');
	// Still an admin: the page still loads.
	await page.reload();
	await expect(page.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();
});

test('the users form works without JavaScript', async ({ browser }) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await logIn(page, ADMIN.email, ADMIN.password);
	await open(page, '/admin/users');
	const viewer = `nojs-viewer-${RUN}@example.org`;
	await page.getByLabel('Email').fill(viewer);
	await page.getByLabel('Role', { exact: true }).selectOption('viewer');
	await page.getByLabel('Initial password').fill('viewer password one');
	await page.getByRole('button', { name: 'Add user' }).click();
	await expect(page.getByRole('status')).toHaveText(`Added ${viewer} as viewer.`);
	await expect(userRow(page, viewer)).toContainText('Active');
	await context.close();
});

test('an editor creates a write token, sees it once, writes with it, revokes it and it is refused', async ({ page, request, server }) => {
	await logIn(page, TOKEN_EDITOR.email, TOKEN_EDITOR.password);
	// The email in the header leads to the tokens page.
	await page.getByRole('banner').getByRole('link', { name: TOKEN_EDITOR.email }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Your API tokens' })).toBeVisible();

	await page.getByLabel('Name').fill('newsroom script');
	await page.getByLabel('Scope').selectOption('write');
	await page.getByLabel('Expires in (days)').fill('30');
	await page.getByRole('button', { name: 'Create token' }).click();

	// The secret is shown once, with a copy button.
	const secret = page.getByLabel('New token');
	await expect(secret).toHaveValue(/^st_[a-z2-7]{32}$/);
	const token = await secret.inputValue();
	await expect(page.getByText('it is shown only this once')).toBeVisible();
	await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
	await page.getByRole('button', { name: 'Copy' }).click();
	await expect(page.getByRole('status')).toHaveText('Copied to the clipboard.');
	expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
	const tokens = page.getByRole('table', { name: 'Your tokens' });
	const row = tokens.getByRole('row').filter({ hasText: 'newsroom script' });
	await expect(row).toContainText('write');
	await expect(row).toContainText('Active');
	await expect(row).toContainText('never');

	// Reloading shows the list, never the secret again; the database holds only its hash.
	await page.reload();
	await expect(page.getByLabel('New token')).toHaveCount(0);
	await expect(page.locator('body')).not.toContainText(token);
	expect(await server.query('select count(*) as n from api_token where token_hash = ?', [token])).toEqual([{ n: 0 }]);

	// The token writes through the API, as curl would.
	const auth = { Authorization: `Bearer ${token}` };
	const slug = `token-land-${RUN}`;
	const issue = `token-issue-${RUN}`;
	expect((await request.post('/api/actors', { headers: auth, data: { slug, name: 'Token Land', kind: 'country' } })).status()).toBe(201);
	expect((await request.post('/api/issues', { headers: auth, data: issueBody(issue, 'Token issue') })).status()).toBe(201);
	const created = await request.post('/api/events', { headers: auth, data: eventBody(slug, issue) });
	expect(created.status()).toBe(201);
	expect(created.headers()['location']).toMatch(/^\/api\/events\/\d+$/);
	const listed = await (await request.get(`/api/events?issue=${issue}`)).json();
	expect(listed.total).toBe(1);

	// The list now says when it was last used.
	await page.reload();
	await hydrated(page);
	await expect(row).not.toContainText('never');

	// Revoked, it is refused and writes nothing.
	await row.getByRole('button', { name: 'Revoke newsroom script' }).click();
	await expect(row).toContainText('Revoked');
	await expect(row.getByRole('button')).toHaveCount(0);
	const refused = await request.post('/api/events', { headers: auth, data: eventBody(slug, issue, { summary: 'After revoking' }) });
	expect(refused.status()).toBe(401);
	expect((await (await request.get(`/api/events?issue=${issue}`)).json()).total).toBe(1);

});

test('an admin sees every token with its owner and can revoke any', async ({ page, request }) => {
	// The editor makes a read token…
	await logIn(page, TOKEN_EDITOR.email, TOKEN_EDITOR.password);
	await open(page, '/account/tokens');
	await page.getByLabel('Name').fill('dashboard reader');
	await page.getByLabel('Scope').selectOption('read');
	await page.getByRole('button', { name: 'Create token' }).click();
	const token = await page.getByLabel('New token').inputValue();
	expect((await request.get('/api/issues', { headers: { Authorization: `Bearer ${token}` } })).status()).toBe(200);
	await page.getByRole('button', { name: 'Log out' }).click();
	await expect(page.getByRole('banner').getByRole('link', { name: 'Log in' })).toBeVisible();

	// …and the admin revokes it from the admin tokens page.
	await logIn(page, ADMIN.email, ADMIN.password);
	await open(page, '/admin/tokens');
	await expect(page.getByRole('heading', { level: 1, name: 'All API tokens' })).toBeVisible();
	const row = page.getByRole('table', { name: 'All API tokens' }).getByRole('row').filter({ hasText: 'dashboard reader' });
	await expect(row).toContainText(TOKEN_EDITOR.email);
	await row.getByRole('button', { name: `Revoke dashboard reader of ${TOKEN_EDITOR.email}` }).click();
	await expect(row).toContainText('Revoked');
	expect((await request.get('/api/issues', { headers: { Authorization: `Bearer ${token}` } })).status()).toBe(401);
});

/**
 * Accounts and write bodies for the end-to-end tests: logging in through the page, the API's view
 * of the data, and valid bodies for the write API. Users are added with `server.addUser` and the
 * database is read with `server.query` / `server.rowCounts` (see ./fixtures).
 */
import { expect, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import type { E2EServer } from './fixtures';
import { open } from './helpers';

export { open };
export type { Role } from './fixtures';

/** Unique per run: handy for names that must differ between tests of one file. */
export const RUN = Date.now().toString(36);

/** Logs in through the login page and waits for the header to name the user. */
export async function logIn(page: Page, email: string, password: string): Promise<void> {
	await open(page, '/login');
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Log in' }).click();
	await expect(page.getByRole('banner').getByRole('link', { name: email })).toBeVisible();
}

/** Creates an API token on the tokens page (logged in already) and returns its secret. */
export async function createToken(page: Page, name: string, scope: 'read' | 'write' = 'write', days = 30): Promise<string> {
	await open(page, '/account/tokens');
	await page.getByLabel('Name').fill(name);
	await page.getByLabel('Scope').selectOption(scope);
	await page.getByLabel('Expires in (days)').fill(String(days));
	await page.getByRole('button', { name: 'Create token' }).click();
	const secret = page.getByLabel('New token');
	await expect(secret).toHaveValue(/^st_/);
	return secret.inputValue();
}

/** A new editor's write token: adds the user, logs in on a page of its own, creates the token there. */
export async function editorToken(browser: Browser, server: Pick<E2EServer, 'addUser'>, email: string, password: string, name: string): Promise<string> {
	await server.addUser(email, 'editor', password);
	const page = await browser.newPage();
	await logIn(page, email, password);
	const token = await createToken(page, name);
	await page.close();
	return token;
}

/** The header that sends an API token. */
export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** The API's view of the data: the event total, and one record with its version. */
export async function apiSnapshot(request: APIRequestContext, actor = 'colombia') {
	const [events, one] = await Promise.all([request.get('/api/events?limit=1'), request.get(`/api/actors/${actor}`)]);
	return { events: (await events.json()).total as number, actor: await one.json() };
}

/** A valid event for the write API, on the given actor and issue. */
export function eventBody(actor: string, issue: string, overrides: Record<string, unknown> = {}) {
	return {
		actor,
		issue,
		date: '2025-10-01',
		position: 1,
		kind: 'statement',
		summary: 'Test statement recorded by the end-to-end tests',
		sources: [{ outlet: 'Test outlet', url: 'https://example.org/test' }],
		...overrides
	};
}

/** A -2..2 issue body for the write API. */
export function issueBody(slug: string, title: string) {
	return {
		slug,
		title,
		scale: {
			min: -2,
			max: 2,
			labels: [
				{ value: -2, label: 'Oppose' },
				{ value: 0, label: 'Neutral' },
				{ value: 2, label: 'Support' }
			]
		}
	};
}

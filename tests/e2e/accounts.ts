/**
 * Accounts for the end-to-end tests: users made through the CLI (as an operator would), logging in
 * through the page, and a look straight into the e2e database to show what a refused write left.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { createClient, type InValue } from '@libsql/client';
import { expect, type APIRequestContext, type Page } from '@playwright/test';

export const E2E_DB = resolve('tests/.tmp/e2e.db');

/** Unique per run, so emails and slugs never meet those of a retry or another spec. */
export const RUN = Date.now().toString(36);

export type Role = 'viewer' | 'editor' | 'admin';

/** Adds a user with the CLI; the password goes through the environment, never the command line. */
export function addUser(email: string, role: Role, password: string): void {
	execFileSync('npx', ['tsx', 'src/cli/index.ts', 'user', 'add', email, '--role', role], {
		env: { ...process.env, DATABASE_URL: `file:${E2E_DB}`, STANCE_PASSWORD: password },
		stdio: 'pipe'
	});
}

/**
 * Opens a page and waits until its scripts have run: Svelte's hydration sets each input to its
 * rendered value, so text typed before it would be lost.
 */
export async function open(page: Page, path: string): Promise<void> {
	await page.goto(path);
	await page.waitForLoadState('networkidle');
}

/** Logs in through the login page and waits for the header to name the user. */
export async function logIn(page: Page, email: string, password: string): Promise<void> {
	await open(page, '/login');
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Log in' }).click();
	await expect(page.getByRole('banner').getByRole('link', { name: email })).toBeVisible();
}

/** Runs one SQL query on the e2e database file (the server has it open too; WAL allows both). */
export async function query(sql: string, args: InValue[] = []) {
	const client = createClient({ url: `file:${E2E_DB}` });
	try {
		return (await client.execute({ sql, args })).rows;
	} finally {
		client.close();
	}
}

/** Row counts of the tables a write could touch: a refused write leaves them all alone. */
export async function rowCounts(): Promise<Record<string, number>> {
	const tables = ['actor', 'issue', 'scale_label', 'stance_event', 'source', 'change', 'user', 'api_token'];
	const rows = await query(`select ${tables.map((t) => `(select count(*) from "${t}") as "${t}"`).join(', ')}`);
	return Object.fromEntries(tables.map((t) => [t, Number(rows[0]![t])]));
}

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

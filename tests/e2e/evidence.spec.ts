import { expect, test } from './fixtures';
import { RUN, eventBody, logIn } from './accounts';
import { open } from './helpers';

const EDITOR = { email: `editor-evidence-${RUN}@example.org`, password: 'editor-evidence-password-1' };
const today = () => new Date().toISOString().slice(0, 10);

test.beforeAll(async ({ server }) => {
	await server.addUser(EDITOR.email, 'editor', EDITOR.password);
});

test('the home page and an actor page say since when a stance holds, on what evidence, and mark a stale one', async ({ page }) => {
	await logIn(page, EDITOR.email, EDITOR.password);
	// A staleness period of 30 days on intelligence sharing: the demo's November 2025 statements are older.
	const issue = await (await page.request.get('/api/issues/intelligence-sharing-us')).json();
	const patched = await page.request.patch('/api/issues/intelligence-sharing-us', { data: { version: issue.version, rules: { staleAfterDays: 30 } } });
	expect(patched.status()).toBe(200);
	expect((await patched.json()).rules).toEqual({ minShare: null, walkBackDays: null, staleAfterDays: 30 });
	// The United States restates its stance today: it holds since 12 November 2025, and is not stale.
	expect((await page.request.post('/api/events', { data: eventBody('united-states', 'intelligence-sharing-us', { date: today(), position: 1 }) })).status()).toBe(201);

	await open(page, '/');
	const stances = page.getByRole('list', { name: 'Current stances on Intelligence sharing with US agencies' });
	const colombia = stances.getByRole('listitem').filter({ has: page.getByRole('link', { name: 'Colombia' }) });
	await expect(colombia).toContainText('Maintain');
	await expect(colombia).toContainText('since 13 Nov 2025');
	await expect(colombia).toContainText('2 events, 2 sources');
	await expect(colombia).toContainText('last stated 13 Nov 2025');
	await expect(colombia).toContainText('No recent statement');
	const us = stances.getByRole('listitem').filter({ has: page.getByRole('link', { name: 'United States' }) });
	await expect(us).toContainText('since 12 Nov 2025');
	await expect(us).toContainText('2 events, 2 sources');
	await expect(us).not.toContainText('No recent statement');
	// Another issue keeps the default period of a year: its stances are marked by their own rule.
	const onUs = page.getByRole('list', { name: 'Current stances on US military build-up in the Caribbean' });
	await expect(onUs.getByRole('listitem').filter({ has: page.getByRole('link', { name: 'United States' }) })).toContainText('since Oct 2025');

	await open(page, '/actors/colombia');
	const table = page.getByRole('region', { name: 'Where Colombia stands now' }).getByRole('table');
	const row = table.getByRole('row', { name: /Intelligence sharing with US agencies/ });
	await expect(row.getByRole('cell')).toHaveText(['Maintain', '13 Nov 2025', '2 events, 2 sources', /13 Nov 2025\s*No recent statement/]);
	// The chart panel says the same under its title.
	await expect(page.getByRole('figure').filter({ hasText: 'Intelligence sharing with US agencies' }).first()).toContainText('since 13 Nov 2025');
});

test('an editor changes an issue’s walk-back window on its form and sees a change re-classed', async ({ page }) => {
	await logIn(page, EDITOR.email, EDITOR.password);
	// France: Maintain, Halt three days later, back to Maintain three days after that.
	for (const [date, position] of [['2025-06-01', 1], ['2025-06-04', -2], ['2025-06-07', 1]] as const) {
		expect((await page.request.post('/api/events', { data: eventBody('france', 'intelligence-sharing-us', { date, position }) })).status()).toBe(201);
	}
	const changes = page.getByRole('list', { name: 'Changes' }).getByRole('article');
	await open(page, '/changes?actors=france&issues=intelligence-sharing-us');
	// Within the default 7-day window the move back is a walk-back: a clarification.
	await expect(changes.first()).toHaveAccessibleName('France, 7 June 2025: Clarification');

	await open(page, '/edit/issues/intelligence-sharing-us');
	const window = page.getByLabel('Walk-back window (days)');
	await expect(window).toHaveValue('');
	// A bad value is refused beside its field, nothing saved.
	await window.fill('a week');
	await page.getByRole('button', { name: 'Save changes' }).click();
	await expect(page.locator('.field-error', { hasText: 'must be a whole number of days' })).toBeVisible();
	await expect(window).toHaveAttribute('aria-invalid', 'true');
	await window.fill('2');
	await page.getByRole('button', { name: 'Save changes' }).click();
	await expect(page).toHaveURL(/\/issues\/intelligence-sharing-us$/);

	// Three days is past a two-day window: the move back crosses the midpoint, a reversal.
	await open(page, '/changes?actors=france&issues=intelligence-sharing-us');
	await expect(changes.first()).toHaveAccessibleName('France, 7 June 2025: Reversal');
	// The API shows the rule; the form shows it again.
	expect((await (await page.request.get('/api/issues/intelligence-sharing-us')).json()).rules.walkBackDays).toBe(2);
	await open(page, '/edit/issues/intelligence-sharing-us');
	await expect(page.getByLabel('Walk-back window (days)')).toHaveValue('2');
});

test('the chart as text says how long each stance lasted', async ({ page }) => {
	await open(page, '/issues/intelligence-sharing-us');
	await page.getByText('Chart as text').click();
	const table = page.getByRole('table', { name: 'Colombia: how long each stance lasted' });
	await expect(table.getByRole('row', { name: /^Halt/ }).getByRole('cell')).toHaveText(['11 Nov 2025', '13 Nov 2025', '2 days', '2']);
	await expect(table.getByRole('row', { name: /^Maintain 13 Nov 2025/ }).getByRole('cell').nth(2)).toHaveText(/^since 13 Nov 2025 \(/);
});

test('a chart tooltip tells the stance at the hovered point: since when, last stated, until when or its whole evidence', async ({ page }) => {
	await open(page, '/issues/intelligence-sharing-us');
	// Petro's announcement: a stance that held two days.
	await page.getByRole('button', { name: /^Colombia, 11 November 2025: Halt/ }).hover();
	await expect(page.getByRole('tooltip')).toContainText('Stance: Halt since 11 Nov 2025; last stated 11 Nov 2025; held 2 days, until 13 Nov 2025');
	// Sánchez's clarification starts Colombia's current stance: the whole record's evidence, stale after a year.
	await page.getByRole('button', { name: /^Colombia, 13 November 2025: Maintain/ }).hover();
	await expect(page.getByRole('tooltip')).toContainText(/Stance: Maintain since 13 Nov 2025; 2 events, 2 sources; last stated 13 Nov 2025(; no recent statement)?/);
	// The lanes view says the same of the lane under the pointer.
	await open(page, '/issues/intelligence-sharing-us?view=lanes');
	await page.getByRole('button', { name: /^Colombia, 11 November 2025: Halt/ }).focus();
	await expect(page.getByRole('tooltip')).toContainText('held 2 days, until 13 Nov 2025');
});

test('compare says where each actor stands now, on what evidence, and "no known position" apart from neutral', async ({ page }) => {
	await open(page, '/compare?actors=colombia,venezuela&issues=intelligence-sharing-us');
	const table = page.getByRole('table', { name: 'Where they stand now on Intelligence sharing with US agencies' });
	await expect(table.getByRole('row', { name: /^Colombia/ }).getByRole('cell')).toHaveText(['Maintain', '13 Nov 2025', '2 events, 2 sources', /^13 Nov 2025/]);
	await expect(table.getByRole('row', { name: /^Venezuela/ }).getByRole('cell')).toHaveText(['No known position']);
	// Side by side: each panel's caption carries its actor's evidence, and a table of how long each stance lasted.
	await open(page, '/compare?actors=colombia,united-states&issues=intelligence-sharing-us&mode=side');
	const colombia = page.getByRole('figure').filter({ has: page.locator('figcaption', { hasText: 'Colombia' }) });
	await expect(colombia.locator('figcaption')).toContainText('since 13 Nov 2025');
	await expect(colombia.locator('figcaption')).toContainText('2 events, 2 sources');
	await colombia.getByText('How long each stance lasted', { exact: true }).click();
	await expect(colombia.getByRole('table', { name: 'Colombia on Intelligence sharing with US agencies: how long each stance lasted' }).getByRole('row', { name: /^Halt/ }).getByRole('cell')).toHaveText([
		'11 Nov 2025',
		'13 Nov 2025',
		'2 days',
		'2'
	]);
	// The table view lists them too.
	await open(page, '/compare?actors=colombia,venezuela&issues=intelligence-sharing-us&mode=table');
	await expect(page.getByRole('table', { name: 'Intelligence sharing with US agencies' }).getByRole('row', { name: /^Venezuela/ })).toContainText('No known position');
});

import { expect, test, type E2EServer } from './fixtures';
import { open } from './helpers';

/**
 * The actor page at size: Land A has 1,500 votes over 20 years on one issue (more events than a
 * panel has pixels: drawn aggregated) and 120 statements and actions on another (drawn one by one;
 * every third an action said by its envoy, one with a quote). Inserted with SQL into the spec's
 * own database.
 */
const ACTOR = '/actors/land-a';

async function seed(server: E2EServer) {
	await server.query("insert into issue (slug, title, description, scale_min, scale_max) values ('votes-a', 'Votes of A', 'Votes.', -1, 1)");
	await server.query("insert into issue (slug, title, description, scale_min, scale_max) values ('words-a', 'Words of A', 'Words.', -2, 2)");
	for (const [slug, values] of [
		['votes-a', [[-1, 'No'], [0, 'Abstain'], [1, 'Yes']]],
		['words-a', [[-2, 'Halt'], [-1, 'Restrict'], [0, 'Unclear'], [1, 'Maintain'], [2, 'Expand']]]
	] as const) {
		for (const [v, l] of values) await server.query('insert into scale_label (issue_id, value, label) values ((select id from issue where slug = ?), ?, ?)', [slug, v, l]);
	}
	await server.query("insert into actor (slug, name, kind, color) values ('land-a', 'Land A', 'country', '#336699')");
	await server.query("insert into actor (slug, name, kind, color, parent_id) values ('envoy-a', 'Envoy of Land A', 'person', '#993366', (select id from actor where slug = 'land-a'))");
	const rows: string[] = [];
	const A = "(select id from actor where slug = 'land-a')";
	for (let k = 0; k < 1500; k++) {
		const date = new Date(Date.UTC(2000, 0, 1) + Math.floor((k * 7300) / 1500) * 86_400_000).toISOString().slice(0, 10);
		rows.push(`(${A}, (select id from issue where slug = 'votes-a'), '${date}', ${k < 900 ? 1 : -1}, 'action', 'Vote ${k + 1}', null, null)`);
	}
	for (let d = 0; d < 120; d++) {
		const date = new Date(Date.UTC(2024, 0, 1) + d * 86_400_000).toISOString().slice(0, 10);
		const action = d % 3 === 0;
		rows.push(
			`(${A}, (select id from issue where slug = 'words-a'), '${date}', ${(d % 5) - 2}, '${action ? 'action' : 'statement'}', 'Word ${d + 1}', ${d === 100 ? "'Every channel stays open.'" : 'null'}, ${action ? "(select id from actor where slug = 'envoy-a')" : 'null'})`
		);
	}
	for (let i = 0; i < rows.length; i += 200) {
		await server.query(`insert into stance_event (actor_id, issue_id, date, position, kind, summary, quote, speaker_id) values ${rows.slice(i, i + 200).join(',')}`);
	}
	await server.query("insert into source (event_id, ordinal, outlet, url) select id, 0, 'Test Gazette', 'https://example.org/gazette' from stance_event where quote = 'Every channel stays open.'");
}

test.beforeAll(async ({ server }) => {
	await seed(server);
});

test('the actor page pages its events on the server, with filters, sort and dates in the URL', async ({ page }) => {
	await open(page, ACTOR);
	const events = page.getByRole('region', { name: /Statements and actions/ });
	await expect(page.getByRole('heading', { name: /Statements and actions \(1,620\)/ })).toBeVisible();
	const pager = page.getByRole('navigation', { name: 'Pages of events' }).first();
	await expect(pager).toContainText('Events 1–50 of 1,620 · page 1 of 33');
	await expect(events.getByRole('row')).toHaveCount(51);
	// Newest first by default: the last word of 2024 leads.
	await expect(events.getByRole('row').nth(1)).toContainText('Word 120');
	// The page carries one page of events, not 1,620.
	expect(await page.content()).not.toContain('Vote 1<');

	await pager.getByRole('link', { name: 'Next' }).click();
	await expect(page).toHaveURL(/[?&]page=2/);
	await expect(pager).toContainText('Events 51–100 of 1,620 · page 2 of 33');

	// Filters: back to page 1, each in the URL.
	await page.getByRole('combobox', { name: 'Speaker' }).selectOption('envoy-a');
	await page.getByRole('combobox', { name: 'Kind' }).selectOption('action');
	await page.getByRole('combobox', { name: 'Order' }).selectOption('asc');
	await page.getByRole('button', { name: 'Filter' }).click();
	await expect(page).toHaveURL(/speaker=envoy-a/);
	await expect(page).toHaveURL(/kind=action/);
	await expect(page).toHaveURL(/sort=asc/);
	expect(page.url()).not.toMatch(/page=/);
	await expect(page.getByRole('heading', { name: /Statements and actions \(40 matching\)/ })).toBeVisible();
	await expect(events.getByRole('row').nth(1)).toContainText('Word 1');
	await expect(events.getByRole('row').nth(1)).toContainText('Envoy of Land A');

	// The dates narrow the table and the charts together.
	await page.getByRole('textbox', { name: 'From', exact: true }).fill('2024-02-01');
	await page.getByRole('textbox', { name: 'To', exact: true }).fill('2024-02-29');
	await page.getByRole('button', { name: 'Set dates' }).click();
	await expect(page).toHaveURL(/from=2024-02-01/);
	await expect(page.getByRole('heading', { name: /Statements and actions \(9 matching\)/ })).toBeVisible();

	// A copied link reproduces the view.
	const url = page.url().replace(/^https?:\/\/[^/]+/, '');
	await page.goto('/');
	await open(page, url);
	await expect(page.getByRole('heading', { name: /Statements and actions \(9 matching\)/ })).toBeVisible();
	await expect(page.getByRole('combobox', { name: 'Kind' })).toHaveValue('action');
});

test('a busy panel is drawn aggregated; narrowing the dates re-fetches it and single events appear', async ({ page }) => {
	await open(page, ACTOR);
	const note = page.getByTestId('aggregation-note');
	await expect(note).toContainText('1 of 2 panels are drawn as yearly averages');
	await expect(note).toContainText('1,500 events on Votes of A');
	const votes = page.getByRole('figure').filter({ hasText: 'Votes of A' });
	await votes.getByText('Yearly averages of 1,500 events (as text)').click();
	// The switch from Yes to No late in 2011 stays visible: that year's band spans both.
	await expect(votes.getByRole('table').getByRole('row', { name: /^2011/ })).toContainText('No to Yes');
	// The other panel is drawn event by event (on 24 years, a week's events share a marker).
	await expect(page.getByRole('button', { name: 'Land A, 1 January 2024: Halt, 6 events' })).toBeAttached();

	// Narrow the range: the page asks the server for the new range, which now fits single events.
	const refetch = page.waitForResponse((r) => r.url().includes('/actors/land-a/__data.json') && r.url().includes('from=2011-06-01'));
	await page.getByRole('textbox', { name: 'From', exact: true }).fill('2011-06-01');
	await page.getByRole('textbox', { name: 'To', exact: true }).fill('2012-06-01');
	await page.getByRole('button', { name: 'Set dates' }).click();
	expect((await refetch).status()).toBe(200);
	await expect(note).toHaveCount(0);
	await expect(votes.getByRole('button', { name: /^Land A, \d+ \w+ 2012: No$/ }).first()).toBeAttached();
	await expect(votes.getByRole('button', { name: /^Land A, \d+ \w+ 2011: Yes$/ }).first()).toBeAttached();
	// Widening again goes back to the aggregated series.
	await page.getByRole('link', { name: 'All dates' }).click();
	await expect(note).toContainText('1,500 events on Votes of A');
});

test('hovering a point of a busy actor fetches its quote and source', async ({ page }) => {
	// The table shows only the envoy's events, so the quoted one (not the envoy's) is not on the page.
	await open(page, `${ACTOR}?from=2024-04-08&to=2024-04-14&speaker=envoy-a`);
	// The events table and the chart's points carry no quotes: they come when a point is hovered.
	// (Only the changes the chart marks ship their two quotes, for their cards and the narrative.)
	expect(await page.locator('section.events').textContent()).not.toContain('Every channel stays open.');
	const detail = page.waitForResponse((r) => /\/api\/events\/\d+\/detail$/.test(r.url()));
	await page.getByRole('button', { name: 'Land A, 10 April 2024: Halt' }).hover();
	expect((await detail).status()).toBe(200);
	const tip = page.getByRole('tooltip');
	await expect(tip).toContainText('Every channel stays open.');
	await expect(tip).toContainText('Test Gazette');
});

test('a person’s page charts what they said and lists it, paged', async ({ page }) => {
	await open(page, '/actors/envoy-a');
	await expect(page.getByText('Speaks for')).toContainText('Land A');
	await expect(page.getByRole('figure').filter({ hasText: 'Words of A' })).toBeVisible();
	await expect(page.getByRole('figure').filter({ hasText: 'Votes of A' })).toHaveCount(0);
	await expect(page.getByRole('heading', { name: /Statements and actions \(40\)/ })).toBeVisible();
});

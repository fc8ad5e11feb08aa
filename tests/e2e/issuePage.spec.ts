import { expect, test, type E2EServer } from './fixtures';
import { hydrated, open } from './helpers';
import { logIn } from './accounts';

/**
 * The issue page at size: an issue with 12 countries (more than the 8 a chart opens on), 150
 * events of one busy country, one of them with a quote, and a busy country with 1,500 votes that
 * the chart must draw aggregated. Inserted with SQL into the spec's own database.
 */
const ISSUE = '/issues/many-actors';
const BUSY = '/issues/busy-votes';

async function seed(server: E2EServer) {
	await server.query("insert into issue (slug, title, description, scale_min, scale_max) values ('many-actors', 'Many actors', 'Twelve countries.', -2, 2)");
	await server.query("insert into issue (slug, title, description, scale_min, scale_max) values ('busy-votes', 'Busy votes', 'Votes.', -1, 1)");
	for (const [slug, values] of [
		['many-actors', [[-2, 'Halt'], [-1, 'Restrict'], [0, 'Unclear'], [1, 'Maintain'], [2, 'Expand']]],
		['busy-votes', [[-1, 'No'], [0, 'Abstain'], [1, 'Yes']]]
	] as const) {
		for (const [v, l] of values) await server.query('insert into scale_label (issue_id, value, label) values ((select id from issue where slug = ?), ?, ?)', [slug, v, l]);
	}
	for (let i = 1; i <= 12; i++) {
		const n = String(i).padStart(2, '0');
		await server.query("insert into actor (slug, name, kind, color) values (?, ?, 'country', '#336699')", [`land-${n}`, `Land ${n}`]);
	}
	await server.query("insert into actor (slug, name, kind, color, parent_id) values ('envoy-01', 'Envoy of Land 01', 'person', '#336699', (select id from actor where slug = 'land-01'))");
	// Land 01: 150 events on 150 days, every third an action said by its envoy; Land 02..12: 12-i+1 events each.
	const rows: string[] = [];
	for (let d = 0; d < 150; d++) {
		const date = new Date(Date.UTC(2024, 0, 1) + d * 86_400_000).toISOString().slice(0, 10);
		const action = d % 3 === 0;
		rows.push(
			`((select id from actor where slug = 'land-01'), (select id from issue where slug = 'many-actors'), '${date}', ${(d % 5) - 2}, '${action ? 'action' : 'statement'}', 'Land 01 event ${d + 1}', ${d === 149 ? "'We keep every channel open.'" : 'null'}, ${action ? "(select id from actor where slug = 'envoy-01')" : 'null'})`
		);
	}
	for (let i = 2; i <= 12; i++) {
		for (let k = 0; k < 14 - i; k++) {
			rows.push(`((select id from actor where slug = 'land-${String(i).padStart(2, '0')}'), (select id from issue where slug = 'many-actors'), '2024-0${1 + (k % 5)}-1${k % 9}', ${(k % 3) - 1}, 'statement', 'Land ${i} event ${k + 1}', null, null)`);
		}
	}
	// Land 03 votes 1,500 times on the busy issue over 20 years: more events than a chart has pixels.
	for (let k = 0; k < 1500; k++) {
		const date = new Date(Date.UTC(2000, 0, 1) + Math.floor((k * 7300) / 1500) * 86_400_000).toISOString().slice(0, 10);
		rows.push(`((select id from actor where slug = 'land-03'), (select id from issue where slug = 'busy-votes'), '${date}', ${k < 900 ? (k % 7 === 0 ? 0 : 1) : -1}, 'action', 'Vote ${k + 1}', null, null)`);
	}
	for (let i = 0; i < rows.length; i += 200) {
		await server.query(`insert into stance_event (actor_id, issue_id, date, position, kind, summary, quote, speaker_id) values ${rows.slice(i, i + 200).join(',')}`);
	}
	await server.query("insert into source (event_id, ordinal, outlet, url) select id, 0, 'Test Gazette', 'https://example.org/gazette' from stance_event where quote = 'We keep every channel open.'");
}

test.beforeAll(async ({ server }) => {
	await seed(server);
});

test('the events table pages on the server, and its filters and sort live in the URL', async ({ page }) => {
	await open(page, ISSUE);
	const events = page.getByRole('region', { name: /Events/ });
	await expect(page.getByRole('heading', { name: /Events \(227\)/ })).toBeVisible();
	const pager = page.getByRole('navigation', { name: 'Pages of events' }).first();
	await expect(pager).toContainText('Events 1–50 of 227 · page 1 of 5');
	await expect(events.getByRole('row')).toHaveCount(51);

	// Next page: the URL says which, and the rows move on.
	await pager.getByRole('link', { name: 'Next' }).click();
	await expect(page).toHaveURL(/[?&]page=2/);
	await expect(pager).toContainText('Events 51–100 of 227 · page 2 of 5');

	// Filter by actor, speaker and kind: back to page 1, every choice in the URL.
	await page.getByRole('combobox', { name: 'Actor', exact: true }).selectOption('land-01');
	await page.getByRole('combobox', { name: 'Speaker' }).selectOption('envoy-01');
	await page.getByRole('combobox', { name: 'Kind' }).selectOption('action');
	await page.getByRole('combobox', { name: 'Order' }).selectOption('desc');
	await page.getByRole('button', { name: 'Filter' }).click();
	await expect(page).toHaveURL(/actor=land-01/);
	await expect(page).toHaveURL(/speaker=envoy-01/);
	await expect(page).toHaveURL(/kind=action/);
	await expect(page).toHaveURL(/sort=desc/);
	expect(page.url()).not.toMatch(/page=/);
	await expect(page.getByRole('heading', { name: /Events \(50 matching\)/ })).toBeVisible();
	// Newest first: Land 01's 148th event (day 147, an action) leads.
	await expect(events.getByRole('row').nth(1)).toContainText('Land 01 event 148');
	await expect(events.getByRole('row').nth(1)).toContainText('Envoy of Land 01');

	// The date range narrows the table (and the chart) too.
	await page.getByRole('textbox', { name: 'From', exact: true }).fill('2024-05-01');
	await page.getByRole('textbox', { name: 'To', exact: true }).fill('2024-05-10');
	await page.getByRole('button', { name: 'Set dates' }).click();
	await expect(page).toHaveURL(/from=2024-05-01/);
	await expect(page.getByRole('heading', { name: /Events \(3 matching\)/ })).toBeVisible();
	await expect(events.getByRole('row')).toHaveCount(4);

	// A copied link reproduces the view.
	const url = page.url();
	await page.goto('/');
	await open(page, url.replace(/^https?:\/\/[^/]+/, ''));
	await expect(page.getByRole('heading', { name: /Events \(3 matching\)/ })).toBeVisible();
});

test('without JavaScript the filters and pages still work, as plain GET forms and links', async ({ browser, server }) => {
	const context = await browser.newContext({ javaScriptEnabled: false, baseURL: server.baseURL });
	const page = await context.newPage();
	await page.goto(`${ISSUE}?page=3`);
	await expect(page.getByRole('navigation', { name: 'Pages of events' }).first()).toContainText('Events 101–150 of 227 · page 3 of 5');
	await page.getByRole('combobox', { name: 'Kind' }).selectOption('statement');
	await page.getByRole('button', { name: 'Filter' }).click();
	await expect(page).toHaveURL(/kind=statement/);
	await expect(page.getByRole('heading', { name: /Events \(177 matching\)/ })).toBeVisible();
	await page.getByRole('navigation', { name: 'Pages of events' }).first().getByRole('link', { name: 'Next' }).click();
	await expect(page).toHaveURL(/kind=statement.*page=2|page=2.*kind=statement/);
	await expect(page.getByRole('navigation', { name: 'Pages of events' }).first()).toContainText('Events 51–100 of 177 · page 2 of 4');
	// Adding an actor to the chart works without JavaScript too.
	await page.getByLabel('Add an actor').fill('Land 12');
	await page.getByRole('button', { name: 'Add' }).click();
	await expect(page.getByRole('list', { name: 'Actors on the chart' }).getByRole('listitem')).toHaveCount(9);
	await context.close();
});

test('a chart of many actors opens on the most active, says how many are not shown, and the picker adds one', async ({ page }) => {
	await open(page, ISSUE);
	await expect(page.getByText('Showing 8 of 12 actors; 4 not shown.')).toBeVisible();
	const chips = page.getByRole('list', { name: 'Actors on the chart' });
	await expect(chips.getByRole('listitem')).toHaveCount(8);
	// The most active: Land 01 (150 events) down to Land 08; the quietest four are left out.
	await expect(chips).toContainText('Land 01');
	await expect(chips).not.toContainText('Land 12');

	await page.getByLabel('Add an actor').fill('Land 12');
	await page.getByLabel('Add an actor').press('Enter');
	await expect(page).toHaveURL(/actors=.*land-12/);
	await expect(chips.getByRole('listitem')).toHaveCount(9);
	await expect(page.getByText('Showing 9 of 12 actors; 3 not shown.')).toBeVisible();
	await hydrated(page);
	const drawn = JSON.parse((await page.locator('.stance-chart').first().getAttribute('data-datasets')) ?? '[]') as { label: string }[];
	expect(drawn.map((d) => d.label)).toContain('Land 12');

	// Removing one, and going back to the default.
	await chips.getByRole('link', { name: 'Remove Land 01 from the chart' }).click();
	await expect(chips.getByRole('listitem')).toHaveCount(8);
	await expect(chips).not.toContainText('Land 01');
	await page.getByRole('link', { name: 'Back to the default selection' }).click();
	await expect(chips).toContainText('Land 01');
});

test('hovering a point fetches its quote, speaker and source', async ({ page }) => {
	// The table shows only the envoy's events, so the quoted one (not the envoy's) is not on the page.
	await open(page, `${ISSUE}?actors=land-01&from=2024-05-25&to=2024-05-31&speaker=envoy-01`);
	// The events table and the chart's points carry no quotes: they come when a point is hovered.
	// (Only the changes the chart marks ship their two quotes, for their cards and the narrative.)
	expect(await page.locator('section.events').textContent()).not.toContain('We keep every channel open.');
	const detail = page.waitForResponse((r) => /\/api\/events\/\d+\/detail$/.test(r.url()));
	const marker = page.getByRole('button', { name: 'Land 01, 29 May 2024: Expand' });
	await marker.hover();
	expect((await detail).status()).toBe(200);
	const tip = page.getByRole('tooltip');
	await expect(tip).toContainText('We keep every channel open.');
	await expect(tip).toContainText('Test Gazette');
});

test('a series with more events than pixels is drawn as monthly or yearly averages, and the text alternative reads the periods', async ({ page }) => {
	await open(page, BUSY);
	const note = page.getByTestId('aggregation-note');
	await expect(note).toContainText('Yearly averages of 1,500 events');
	await page.getByText('Chart as text').click();
	const table = page.getByRole('table', { name: 'Land 03: yearly summary' });
	await expect(table.getByRole('row')).toHaveCount(21);
	// The switch from Yes to No at the end of 2011 is kept: that year's band spans both, the years before never reach No.
	await expect(table.getByRole('row', { name: /^2011/ })).toContainText('No to Yes');
	await expect(table.getByRole('row', { name: /^2010/ })).toContainText('Abstain to Yes');
	await expect(table.getByRole('row', { name: /^2013/ })).toContainText('No');
	// The lanes show the share of each stance per period.
	await open(page, `${BUSY}?view=lanes`);
	await expect(note).toContainText('Yearly averages of 1,500 events');
	await expect(page.getByRole('button', { name: /^Land 03, 2001: \d+ events: Yes \d+%, Abstain \d+%/ })).toBeAttached();
	await page.getByText('Chart as text').click();
	await expect(page.getByRole('table', { name: 'Land 03: yearly summary' }).getByRole('row', { name: /^2001/ })).toContainText(/Yes \d+%, Abstain \d+%/);
	// Narrowing the dates brings back single events.
	await open(page, `${BUSY}?from=2011-06-01&to=2012-06-01`);
	await expect(page.getByTestId('aggregation-note')).toHaveCount(0);
	await expect(page.getByRole('button', { name: /^Land 03, \d+ \w+ 2012: No$/ }).first()).toBeAttached();
});

test('an editor features actors for an issue, and the page opens on them', async ({ page, server }) => {
	await server.addUser('featuring-editor@example.org', 'editor', 'a long editor password');
	await logIn(page, 'featuring-editor@example.org', 'a long editor password');
	await open(page, `/edit${ISSUE}`);
	const featured = page.getByRole('group', { name: 'Featured actors' });
	await featured.getByLabel(/Land 11/).check();
	await featured.getByLabel(/Land 12/).check();
	await page.getByRole('button', { name: 'Save changes' }).click();
	await expect(page).toHaveURL(new RegExp(`${ISSUE}$`));
	const chips = page.getByRole('list', { name: 'Actors on the chart' });
	await expect(chips.getByRole('listitem')).toHaveCount(2);
	await expect(chips).toContainText('Land 11');
	await expect(page.getByText('Showing 2 of 12 actors; 10 not shown. These are the featured actors.')).toBeVisible();
});

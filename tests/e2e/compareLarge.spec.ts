import { expect, test, type E2EServer } from './fixtures';
import { open } from './helpers';
import { RUN, logIn } from './accounts';

/**
 * The compare page past COMPARE_INLINE_EVENTS (2,000): three countries with 1,200 votes each over
 * 20 years. The page ships compact series (aggregated per year at full range), fetches quotes on
 * hover, and pages its table on the server. Inserted with SQL into the spec's own database.
 */
const VIEW = '/compare?actors=land-a,land-b,land-c&issues=big-votes';
const dateOf = (k: number) => new Date(Date.UTC(2000, 0, 1) + Math.floor((k * 7300) / 1200) * 86_400_000).toISOString().slice(0, 10);
const spoken = (date: string) => new Date(`${date}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

async function seed(server: E2EServer) {
	await server.query("insert into issue (slug, title, description, scale_min, scale_max) values ('big-votes', 'Big votes', 'Votes.', -1, 1)");
	for (const [v, l] of [[-1, 'No'], [0, 'Abstain'], [1, 'Yes']] as const) {
		await server.query("insert into scale_label (issue_id, value, label) values ((select id from issue where slug = 'big-votes'), ?, ?)", [v, l]);
	}
	for (const [slug, name, color] of [['land-a', 'Land A', '#0072b2'], ['land-b', 'Land B', '#d55e00'], ['land-c', 'Land C', '#009e73']] as const) {
		await server.query("insert into actor (slug, name, kind, color) values (?, ?, 'country', ?)", [slug, name, color]);
	}
	const rows: string[] = [];
	for (let k = 0; k < 1200; k++) {
		const date = dateOf(k);
		const row = (actor: string, position: number, quote: string | null) =>
			`((select id from actor where slug = '${actor}'), (select id from issue where slug = 'big-votes'), '${date}', ${position}, 'action', '${actor} vote ${k + 1}', ${quote ? `'${quote}'` : 'null'})`;
		rows.push(row('land-a', k < 720 ? 1 : -1, null), row('land-b', k % 10 === 0 ? 1 : 0, null), row('land-c', 1, k === 845 ? 'We stand by this vote.' : null));
	}
	for (let i = 0; i < rows.length; i += 300) {
		await server.query(`insert into stance_event (actor_id, issue_id, date, position, kind, summary, quote) values ${rows.slice(i, i + 300).join(',')}`);
	}
	await server.query("insert into source (event_id, ordinal, outlet, url) select id, 0, 'Test Gazette', 'https://example.org/gazette' from stance_event where quote = 'We stand by this vote.'");
}

test.beforeAll(async ({ server }) => {
	await seed(server);
});

test('a large comparison ships compact series, drawn aggregated; narrowing the range re-fetches single events', async ({ page }) => {
	await open(page, VIEW);
	const note = page.getByTestId('aggregation-note');
	await expect(note).toContainText('Yearly averages of 3,600 events');
	await expect(note).toContainText('Land A 1,200, Land B 1,200, Land C 1,200');
	// No event travels with the page: not one vote's summary is in it.
	expect(await page.content()).not.toMatch(/land-[abc] vote \d+/);
	// Land A's switch from Yes to No late in 2011 stays visible in its yearly summary.
	await page.getByText('Chart as text').click();
	await expect(page.getByRole('table', { name: 'Land A: yearly summary' }).getByRole('row', { name: /^2011/ })).toContainText('No to Yes');

	// Narrow the range: the page asks the server again, and single votes appear.
	const refetch = page.waitForResponse((r) => r.url().includes('/compare/__data.json') && r.url().includes('from=2011-06-01'));
	await page.getByRole('textbox', { name: 'From', exact: true }).fill('2011-06-01');
	await page.getByRole('textbox', { name: 'To', exact: true }).fill('2012-06-01');
	await page.getByRole('button', { name: 'Set range' }).click();
	expect((await refetch).status()).toBe(200);
	await expect(page).toHaveURL(/from=2011-06-01&to=2012-06-01/);
	await expect(note).toHaveCount(0);
	await expect(page.getByRole('button', { name: /^Land A, \d+ \w+ 2012: No$/ }).first()).toBeAttached();
	await expect(page.getByRole('button', { name: /^Land A, \d+ \w+ 2011: Yes$/ }).first()).toBeAttached();

	// Side by side narrows the same way: each panel is wide enough for its own votes.
	await page.getByRole('link', { name: 'Side by side' }).click();
	await expect(page.getByRole('figure').filter({ hasText: 'Land B' }).getByRole('button', { name: /^Land B, \d+ \w+ 2012: Abstain$/ }).first()).toBeAttached();
	// Back to every date: aggregated again.
	await page.getByRole('link', { name: 'Overlay' }).click();
	await expect(page).not.toHaveURL(/mode=side/);
	await page.getByRole('link', { name: 'All', exact: true }).click();
	await expect(note).toContainText('Yearly averages of 3,600 events');
});

test('hovering a vote of a large comparison fetches its quote and source', async ({ page }) => {
	// Not 840: Land B changes there (every tenth vote), and its change marker sits on Land C's point.
	const date = dateOf(845);
	await open(page, `${VIEW}&from=${date.slice(0, 8)}01&to=${date}`);
	expect(await page.content()).not.toContain('We stand by this vote.');
	const detail = page.waitForResponse((r) => /\/api\/events\/\d+\/detail$/.test(r.url()));
	await page.getByRole('button', { name: `Land C, ${spoken(date)}: Yes` }).hover();
	expect((await detail).status()).toBe(200);
	await expect(page.getByRole('tooltip')).toContainText('We stand by this vote.');
	await expect(page.getByRole('tooltip')).toContainText('Test Gazette');
});

test('the table of a comparison pages on the server, with its filters and sort in the URL', async ({ page }) => {
	await open(page, `${VIEW}&mode=table`);
	await expect(page.getByRole('heading', { name: 'Events in view (3,600)' })).toBeVisible();
	const pager = page.getByRole('navigation', { name: 'Pages of events' }).first();
	await expect(pager).toContainText('Events 1–50 of 3,600 · page 1 of 72');
	const table = page.getByRole('region', { name: /Events in view/ });
	await expect(table.getByRole('row')).toHaveCount(51);
	await pager.getByRole('link', { name: 'Next' }).click();
	await expect(page).toHaveURL(/mode=table.*page=2/);
	await expect(pager).toContainText('Events 51–100 of 3,600 · page 2 of 72');

	await page.getByRole('combobox', { name: 'Actor', exact: true }).selectOption('land-b');
	await page.getByRole('combobox', { name: 'Order' }).selectOption('desc');
	await page.getByRole('button', { name: 'Filter' }).click();
	await expect(page).toHaveURL(/actor=land-b/);
	await expect(page).toHaveURL(/sort=desc/);
	expect(page.url()).not.toMatch(/page=/);
	await expect(page.getByRole('heading', { name: 'Events in view (1,200 matching)' })).toBeVisible();
	await expect(table.getByRole('row').nth(1)).toContainText('land-b vote 1200');

	// The view's range narrows the table too, and a copied link reproduces it all.
	await page.getByRole('textbox', { name: 'From', exact: true }).fill('2011-06-01');
	await page.getByRole('textbox', { name: 'To', exact: true }).fill('2012-06-01');
	await page.getByRole('button', { name: 'Set range' }).click();
	await expect(page).toHaveURL(/from=2011-06-01/);
	const url = page.url().replace(/^https?:\/\/[^/]+/, '');
	await page.goto('/');
	await open(page, url);
	await expect(page.getByRole('heading', { name: /Events in view \(\d+\)/ })).toBeVisible();
	await expect(page.getByRole('combobox', { name: 'Actor', exact: true })).toHaveValue('');
});

// Last: it edits Land C's quoted vote.
test('as of a moment a large comparison is bounded the same way, and a hovered vote is as it stood then', async ({ page, server }) => {
	const editor = { email: `editor-large-${RUN}@example.org`, password: 'editor-large-password-1' };
	await server.addUser(editor.email, 'editor', editor.password);
	const [row] = await server.query("select id, version from stance_event where quote = 'We stand by this vote.'");
	const [id, version] = [Number(row![0]), Number(row![1])];
	// A reader pins the view; later an editor changes the vote and its quote.
	const pin = new Date().toISOString();
	await page.waitForTimeout(20);
	await logIn(page, editor.email, editor.password);
	expect((await page.request.patch(`/api/events/${id}`, { data: { version, position: -1, quote: 'We take it back.' } })).status()).toBe(200);

	// The pinned view ships compact series, no event, as the live one does.
	await open(page, `${VIEW}&asof=${encodeURIComponent(pin)}`);
	await expect(page.getByRole('note', { name: 'As recorded' })).toBeVisible();
	await expect(page.getByTestId('aggregation-note')).toContainText('Yearly averages of 3,600 events');
	expect(await page.content()).not.toMatch(/land-[abc] vote \d+/);
	// Hovering the vote fetches it as of the pin: Yes, with the words it had then.
	const date = dateOf(845);
	await open(page, `${VIEW}&from=${date.slice(0, 8)}01&to=${date}&asof=${encodeURIComponent(pin)}`);
	expect(await page.content()).not.toContain('We stand by this vote.');
	const detail = page.waitForResponse((r) => new RegExp(`/api/events/${id}/detail\\?asof=`).test(r.url()));
	await page.getByRole('button', { name: `Land C, ${spoken(date)}: Yes` }).hover();
	expect((await detail).status()).toBe(200);
	await expect(page.getByRole('tooltip')).toContainText('We stand by this vote.');
	// The current view: No, with the new words.
	await open(page, `${VIEW}&from=${date.slice(0, 8)}01&to=${date}`);
	await page.getByRole('button', { name: `Land C, ${spoken(date)}: No` }).hover();
	await expect(page.getByRole('tooltip')).toContainText('We take it back.');
});

import { expect, test } from './fixtures';
import { RUN, logIn } from './accounts';
import { expectChartDrawn, open } from './helpers';

const ADMIN = { email: `admin-edit-${RUN}@example.org`, password: 'admin-edit-password-1' };
const EDITOR = { email: `editor-edit-${RUN}@example.org`, password: 'editor-edit-password-1' };
const AGENCY = { name: `Editing Test Agency ${RUN}`, slug: `editing-test-agency-${RUN}` };
const ISSUE = '/issues/intelligence-sharing-us';

test.beforeAll(async ({ server }) => {
	// The first admin comes from the CLI, as on a fresh install.
	await server.addUser(ADMIN.email, 'admin', ADMIN.password);
});

test('an editor adds an event, edits it in two tabs, reads its history, deletes and restores it', async ({ page, browser, request }) => {
	test.setTimeout(90_000);

	await test.step('the admin logs in and creates an editor', async () => {
		await logIn(page, ADMIN.email, ADMIN.password);
		await page.getByRole('banner').getByRole('link', { name: 'Admin', exact: true }).click();
		const form = page.getByRole('region', { name: 'Add a user' });
		await form.getByLabel('Email').fill(EDITOR.email);
		await form.getByLabel('Role', { exact: true }).selectOption('editor');
		await form.getByLabel('Initial password').fill(EDITOR.password);
		await form.getByRole('button', { name: 'Add user' }).click();
		await expect(page.getByRole('status')).toHaveText(`Added ${EDITOR.email} as editor.`);
	});

	const context = await browser.newContext();
	const tabA = await context.newPage();
	await logIn(tabA, EDITOR.email, EDITOR.password);

	await test.step('the editor adds an actor of their own, so the demo series stay as they are', async () => {
		await open(tabA, '/edit');
		await tabA.getByRole('link', { name: /New actor/ }).click();
		await tabA.getByLabel('Name').fill(AGENCY.name);
		await tabA.getByLabel('Kind').selectOption('organisation');
		await tabA.getByRole('button', { name: 'Save actor' }).click();
		await expect(tabA).toHaveURL(new RegExp(`/actors/${AGENCY.slug}$`));
		await expect(tabA.getByRole('heading', { level: 1 })).toHaveText(AGENCY.name);
	});

	let eventUrl = '';
	await test.step('the editor adds an event to the intelligence-sharing issue', async () => {
		await open(tabA, ISSUE);
		await tabA.getByRole('link', { name: 'Add an event' }).click();
		await expect(tabA.getByLabel('Issue')).toHaveValue('intelligence-sharing-us');
		// The position field shows the issue's scale labels as a hint.
		await expect(tabA.getByLabel('Position')).toHaveAccessibleDescription(/−2\sHalt.*Maintain.*\+2\sExpand/);
		await tabA.getByLabel('Actor').selectOption({ label: AGENCY.name });
		await tabA.getByLabel('Date', { exact: true }).fill('2025-11-20');
		await tabA.getByLabel('Position').fill('1');
		await tabA.getByLabel('Summary').fill('Says intelligence sharing continues as before');
		await tabA.getByLabel('Quote', { exact: true }).fill('Nothing has changed in our cooperation.');
		await tabA.getByLabel('Quote language').fill('en');
		const first = tabA.getByRole('group', { name: 'Source 1' });
		await first.getByLabel('Outlet').fill('Test Wire');
		await first.getByLabel('URL').fill('https://example.org/wire/1');
		await first.getByLabel('Published').fill('2025-11-20');
		const second = tabA.getByRole('group', { name: 'Source 2' });
		await second.getByLabel('Outlet').fill('Second Desk');
		await tabA.getByRole('button', { name: 'Save event' }).click();
		await expect(tabA).toHaveURL(/\/events\/\d+$/);
		eventUrl = new URL(tabA.url()).pathname;
		await expect(tabA.getByRole('heading', { level: 1 })).toHaveText(`${AGENCY.name}, 20 November 2025`);
		await expect(tabA.getByRole('link', { name: 'Test Wire' })).toHaveAttribute('href', 'https://example.org/wire/1');
		await expect(tabA.getByText('Second Desk', { exact: true })).toBeVisible();
	});
	const id = eventUrl.split('/').pop()!;

	await test.step('the issue chart shows it, and its card leads to "Edit this event"', async () => {
		await tabA.getByRole('link', { name: 'See it on the chart' }).click();
		await expectChartDrawn(tabA);
		const marker = tabA.getByRole('button', { name: new RegExp(`^${AGENCY.name}, 20 November 2025: Maintain`) });
		await expect(marker).toHaveCount(1);
		await marker.click();
		await tabA.getByRole('tooltip').getByRole('link', { name: /Edit this event/ }).click();
		await expect(tabA).toHaveURL(new RegExp(`/edit/events/${id}$`));
	});

	const tabB = await context.newPage();
	await test.step('two tabs edit it; the second save shows the conflict with both versions', async () => {
		await open(tabB, `/edit/events/${id}`);
		await tabA.getByLabel('Summary').fill('Says intelligence sharing continues, with new safeguards');
		await tabA.getByRole('button', { name: 'Save changes' }).click();
		await expect(tabA).toHaveURL(new RegExp(`${eventUrl}$`));

		await tabB.getByLabel('Position').fill('2');
		await tabB.getByRole('button', { name: 'Save changes' }).click();
		const conflict = tabB.getByRole('alert').filter({ hasText: 'Someone else changed this event' });
		await expect(conflict).toBeVisible();
		const position = conflict.getByRole('row', { name: /Position/ });
		await expect(position.getByRole('cell').nth(0)).toHaveText('+2 (Expand)');
		await expect(position.getByRole('cell').nth(1)).toHaveText('+1 (Maintain)');
		const summary = conflict.getByRole('row', { name: /Summary/ });
		await expect(summary.getByRole('cell').nth(0)).toHaveText('Says intelligence sharing continues as before');
		await expect(summary.getByRole('cell').nth(1)).toHaveText('Says intelligence sharing continues, with new safeguards');
		// Nothing was overwritten, and what the editor typed is still in the form.
		await expect(tabB.getByLabel('Position')).toHaveValue('2');
		expect((await (await request.get(`/api/events?issue=intelligence-sharing-us&actor=${AGENCY.slug}`)).json()).events[0]).toMatchObject({
			position: 1,
			summary: 'Says intelligence sharing continues, with new safeguards'
		});

		// Saving again with the stale version is still refused; loading the stored version starts afresh.
		await tabB.getByRole('link', { name: 'Load the stored version' }).click();
		await expect(tabB.getByLabel('Summary')).toHaveValue('Says intelligence sharing continues, with new safeguards');
		await expect(tabB.getByLabel('Position')).toHaveValue('1');
		await tabB.close();
	});

	await test.step("the event's history lists the creation and the change, with who and what", async () => {
		await open(tabA, eventUrl);
		const history = tabA.getByRole('region', { name: 'History' });
		const entries = history.getByRole('listitem');
		await expect(entries).toHaveCount(2);
		await expect(entries.nth(0)).toContainText(`Changed by ${EDITOR.email} in the editing form`);
		const changed = entries.nth(0).getByRole('row', { name: /Summary/ });
		await expect(changed).toContainText('Says intelligence sharing continues as before');
		await expect(changed).toContainText('with new safeguards');
		await expect(entries.nth(0).getByRole('row')).toHaveCount(2); // the header and the one field changed
		await expect(entries.nth(1)).toContainText(`Created by ${EDITOR.email} in the editing form`);
	});

	await test.step('deleting hides it from the chart and the public; restoring brings it back', async () => {
		await tabA.getByRole('link', { name: 'Edit this event' }).click();
		await tabA.getByRole('button', { name: 'Delete event' }).click();
		await expect(tabA.getByText('This event is deleted.')).toBeVisible();
		expect((await request.get(eventUrl)).status()).toBe(404);

		await open(tabA, ISSUE);
		await expectChartDrawn(tabA);
		await expect(tabA.getByRole('button', { name: /^Colombia, 13 November 2025/ }).first()).toBeVisible();
		await expect(tabA.getByRole('button', { name: new RegExp(`^${AGENCY.name}`) })).toHaveCount(0);

		await open(tabA, '/edit/trash');
		await tabA.getByRole('link', { name: '20 November 2025' }).click();
		await tabA.getByRole('button', { name: 'Restore event' }).click();
		await expect(tabA.getByText('This event is deleted.')).toBeHidden();
		await expect(tabA.getByRole('region', { name: 'History' }).getByRole('listitem').first()).toContainText('Restored');

		await open(tabA, ISSUE);
		await expectChartDrawn(tabA);
		await expect(tabA.getByRole('button', { name: new RegExp(`^${AGENCY.name}, 20 November 2025: Maintain`) })).toHaveCount(1);
	});

	await test.step('deleting the actor sends it to the trash, and its event with it', async () => {
		await open(tabA, `/edit/actors/${AGENCY.slug}`);
		await tabA.getByRole('button', { name: 'Delete actor' }).click();
		await expect(tabA).toHaveURL(/\/edit\/trash$/);
		await expect(tabA.getByRole('region', { name: /Actors/ })).toContainText(AGENCY.name);
		expect((await (await request.get('/api/actors')).json()).map((a: { slug: string }) => a.slug)).not.toContain(AGENCY.slug);
	});
	await context.close();
});

test('without JavaScript, a bad event form shows each error beside its field, keeps the input and writes nothing', async ({ browser, server }) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await logIn(page, ADMIN.email, ADMIN.password);
	const before = await server.rowCounts();

	await open(page, '/edit/events/new?issue=intelligence-sharing-us');
	await page.getByLabel('Actor').selectOption({ label: 'Colombia' });
	await page.getByLabel('Date', { exact: true }).fill('2099-01-01');
	await page.getByLabel('Position').fill('7');
	await page.getByLabel('Summary').fill('A stance from the future');
	const source = page.getByRole('group', { name: 'Source 1' });
	await source.getByLabel('Outlet').fill('Somewhere');
	await source.getByLabel('URL').fill('ftp://example.org/file');
	// A second row with a URL but no outlet: its error goes on that row.
	await page.getByRole('group', { name: 'Source 2' }).getByLabel('URL').fill('https://example.org/no-outlet');
	await page.getByRole('button', { name: 'Save event' }).click();

	await expect(page.getByRole('alert')).toContainText('Nothing was saved');
	await expect(page.getByLabel('Position')).toHaveAccessibleDescription(/off this issue's scale \(-2 to 2\)/);
	await expect(page.getByLabel('Date', { exact: true })).toHaveAccessibleDescription(/must not be in the future/);
	await expect(source.getByLabel('URL')).toHaveAccessibleDescription(/must be an http\(s\) URL/);
	await expect(page.getByRole('group', { name: 'Source 2' }).getByLabel('Outlet')).toHaveAccessibleDescription(/must not be empty/);
	await expect(page.getByLabel('Position')).toHaveAttribute('aria-invalid', 'true');
	await expect(page.getByLabel('Summary')).not.toHaveAttribute('aria-invalid');
	// What was typed is still there.
	await expect(page.getByLabel('Position')).toHaveValue('7');
	await expect(page.getByLabel('Summary')).toHaveValue('A stance from the future');
	await expect(page.getByLabel('Actor')).toHaveValue('colombia');
	await expect(source.getByLabel('URL')).toHaveValue('ftp://example.org/file');
	// And nothing was written: no event, no source, no history.
	expect(await server.rowCounts()).toEqual(before);

	// A position that is not a number says so, beside the field.
	await page.getByLabel('Position').fill('a lot');
	await page.getByRole('button', { name: 'Save event' }).click();
	await expect(page.getByLabel('Position')).toHaveAccessibleDescription(/must be a number/);
	await expect(page.getByLabel('Position')).toHaveValue('a lot');
	expect(await server.rowCounts()).toEqual(before);
	await context.close();
});

test('issues: scale labels are checked line by line; edit, delete and restore from the trash', async ({ page }) => {
	const title = `Editing test ${RUN}: a yes-or-no vote`;
	const slug = `editing-test-${RUN}-a-yes-or-no-vote`;
	await logIn(page, ADMIN.email, ADMIN.password);
	await open(page, '/edit/issues/new');
	await page.getByLabel('Title').fill(title);
	await page.getByLabel('Scale from').fill('-1');
	await page.getByLabel('Scale to').fill('1');
	await page.getByLabel('Labelled values').fill('-1 No\nabstain\n1 Yes\n3 Never');
	await page.getByRole('button', { name: 'Save issue' }).click();
	const labels = page.getByLabel('Labelled values');
	await expect(labels).toHaveAccessibleDescription(/line 2: write the value, then its label/);
	await expect(labels).toHaveValue('-1 No\nabstain\n1 Yes\n3 Never');

	await labels.fill('-1 No\n0 Abstain\n1 Yes\n3 Never');
	await page.getByRole('button', { name: 'Save issue' }).click();
	await expect(labels).toHaveAccessibleDescription(/line 4: the value must lie within the scale -1..1/);

	await labels.fill('-1 No\n0 Abstain\n1 Yes');
	await page.getByRole('button', { name: 'Save issue' }).click();
	await expect(page).toHaveURL(new RegExp(`/issues/${slug}$`));
	await expect(page.getByRole('group', { name: 'Scale from -1 to 1' })).toContainText('Abstain');

	await page.getByRole('link', { name: 'Edit this issue' }).click();
	await page.getByLabel('Title').fill(`${title}, renamed`);
	await page.getByRole('button', { name: 'Save changes' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${title}, renamed`);

	await page.getByRole('link', { name: 'Edit this issue' }).click();
	await page.getByRole('button', { name: 'Delete issue' }).click();
	await expect(page).toHaveURL(/\/edit\/trash$/);
	expect((await page.request.get(`/issues/${slug}`)).status()).toBe(404);
	await page.getByRole('button', { name: `Restore issue ${title}, renamed` }).click();
	await expect(page.getByRole('status')).toContainText('Restored the issue');
	expect((await page.request.get(`/issues/${slug}`)).status()).toBe(200);
});

test('an event gets an uncertainty interval from its form: a wrong one is named by bound and written nowhere, a right one shows on its page and again in the form', async ({ browser, server }) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await logIn(page, ADMIN.email, ADMIN.password);
	const before = await server.rowCounts();

	await open(page, '/edit/events/new?issue=intelligence-sharing-us');
	await page.getByLabel('Actor').selectOption({ label: 'Colombia' });
	await page.getByLabel('Date', { exact: true }).fill('2025-11-21');
	await page.getByLabel('Position').fill('1');
	await page.getByLabel('Lower bound').fill('1.5');
	await page.getByLabel('Summary').fill('Keeps sharing, give or take');
	await page.getByRole('group', { name: 'Source 1' }).getByLabel('Outlet').fill('Interval Wire');
	await page.getByRole('button', { name: 'Save event' }).click();

	await expect(page.getByRole('alert')).toContainText('Nothing was saved');
	await expect(page.getByLabel('Lower bound')).toHaveAccessibleDescription(/1\.5 is above the position 1/);
	await expect(page.getByLabel('Upper bound')).toHaveAccessibleDescription(/needs both/);
	await expect(page.getByLabel('Lower bound')).toHaveValue('1.5');
	expect(await server.rowCounts()).toEqual(before);

	await page.getByLabel('Lower bound').fill('0.5');
	await page.getByLabel('Upper bound').fill('1.5');
	await page.getByRole('button', { name: 'Save event' }).click();
	await expect(page).toHaveURL(/\/events\/\d+$/);
	await expect(page.getByText('+1, interval +0.5 to +1.5')).toBeVisible();
	const id = new URL(page.url()).pathname.split('/').pop();

	await open(page, `/edit/events/${id}`);
	await expect(page.getByLabel('Lower bound')).toHaveValue('0.5');
	await expect(page.getByLabel('Upper bound')).toHaveValue('1.5');
	await context.close();
});

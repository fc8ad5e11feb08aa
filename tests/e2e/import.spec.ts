import { expect, test } from './fixtures';
import { RUN, logIn } from './accounts';
import { chartDatasets, expectChartDrawn, open } from './helpers';

const EDITOR = { email: `editor-import-${RUN}@example.org`, password: 'editor-import-password-1' };
const LAND = `Importland ${RUN}`;

// Someone else's CSV: their column names and their words for positions, mapped in the form.
const CSV = ['country;stance;day;paper', `${LAND};expand;2025-09-01;Diário Oficial`, `${LAND};halt;2025-10-15;Diário Oficial`, ''].join('\n');
const MAPPING = JSON.stringify({
	format: 'stance-tracker/mapping-v1',
	fields: {
		actor: '{country}',
		issue: 'intelligence-sharing-us',
		date: '{day}',
		position: '{stance}',
		summary: 'Says {stance}',
		source_outlet: '{paper}'
	},
	values: { position: { expand: 2, maintain: 0, halt: -2 } }
});

test.beforeAll(async ({ server }) => {
	await server.addUser(EDITOR.email, 'editor', EDITOR.password);
});

test('an editor uploads a CSV with a mapping, watches it reach 100 %, and sees the events on the issue chart', async ({ page }) => {
	test.setTimeout(60_000);
	await logIn(page, EDITOR.email, EDITOR.password);

	await test.step('the import form takes the file, the mapping and "create missing"', async () => {
		await open(page, '/edit');
		await page.getByRole('link', { name: /Import/ }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Import events');
		await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'their-votes.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
		await page.getByLabel('Column mapping (JSON, optional)').fill(MAPPING);
		await page.getByLabel('Create missing actors and issues').check();
		await page.getByRole('button', { name: 'Import' }).click();
	});

	await test.step('both progress bars reach 100 % and the report counts two new events', async () => {
		await expect(page.getByRole('progressbar', { name: 'Upload' })).toHaveAttribute('value', '100');
		await expect(page.getByRole('progressbar', { name: 'Processing' })).toHaveAttribute('value', '100');
		const report = page.getByRole('region', { name: 'Report' });
		await expect(report).toContainText('2 rows read');
		await expect(report).toContainText('New: 2; already present: 0; rejected: 0');
		await expect(report).toContainText('Written.');
	});

	await test.step('the issue chart draws the new actor with its two events', async () => {
		await open(page, '/issues/intelligence-sharing-us');
		await expectChartDrawn(page);
		await expect.poll(async () => (await chartDatasets(page)).find((d) => d.label.startsWith(LAND))?.events).toBe(2);
	});
});

test('a bad file shows each problem with its line and writes nothing', async ({ page, server }) => {
	test.setTimeout(60_000);
	await logIn(page, EDITOR.email, EDITOR.password);
	const before = await server.rowCounts();
	const bad = [
		'actor,issue,date,position,source_outlet',
		'colombia,intelligence-sharing-us,2025-09-01,1,El Tiempo',
		'colombia,intelligence-sharing-us,2025-13-01,1,El Tiempo',
		'atlantis,intelligence-sharing-us,2025-09-02,1,El Tiempo',
		'colombia,intelligence-sharing-us,2025-09-03,9,El Tiempo',
		''
	].join('\n');

	await open(page, '/edit/import');
	await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
	await page.getByRole('button', { name: 'Import' }).click();

	const report = page.getByRole('region', { name: 'Report' });
	await expect(report).toContainText('Nothing was written.');
	const problems = report.getByRole('table', { name: /3 problem/ });
	await expect(problems.getByRole('row')).toHaveCount(4);
	await expect(problems.getByRole('row').nth(1)).toContainText(/3\s*date\s*"2025-13-01" is not a date/);
	await expect(problems.getByRole('row').nth(2)).toContainText(/4\s*actor\s*unknown actor "atlantis"/);
	await expect(problems.getByRole('row').nth(3)).toContainText(/5\s*position\s*9 is off the scale/);
	expect(await server.rowCounts()).toEqual(before);
});

test('without JavaScript the form posts the file and shows the report: the problems of a bad file, then the events of a good one', async ({ browser, server }) => {
	test.setTimeout(60_000);
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await logIn(page, EDITOR.email, EDITOR.password);
	const land = `Formland ${RUN}`;

	await test.step('a bad file: its problems by line, nothing written', async () => {
		const before = await server.rowCounts();
		await open(page, '/edit/import');
		const bad = ['actor,issue,date,position,source_outlet', 'colombia,intelligence-sharing-us,2025-13-01,1,El Tiempo', ''].join('\n');
		await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
		await page.getByRole('button', { name: 'Import' }).click();
		const report = page.getByRole('region', { name: 'Report' });
		await expect(report).toContainText('Nothing was written.');
		await expect(report.getByRole('table', { name: /1 problem/ }).getByRole('row').nth(1)).toContainText(/2\s*date\s*"2025-13-01" is not a date/);
		expect(await server.rowCounts()).toEqual(before);
	});

	await test.step('a good file with a mapping and "create missing": written, and on the issue page', async () => {
		await open(page, '/edit/import');
		const csv = CSV.replaceAll(LAND, land);
		await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'their-votes.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
		await page.getByLabel('Column mapping (JSON, optional)').fill(MAPPING);
		await page.getByLabel('Create missing actors and issues').check();
		await page.getByRole('button', { name: 'Import' }).click();
		const report = page.getByRole('region', { name: 'Report' });
		await expect(report).toContainText('New: 2; already present: 0; rejected: 0');
		await expect(report).toContainText('Written.');
		await open(page, '/issues/intelligence-sharing-us');
		await expect(page.getByText(land).first()).toBeVisible();
	});
	await context.close();
});

test('without JavaScript a file over the body limit gets a page naming the limit and where larger files go, and writes nothing', async ({ browser, server }) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await logIn(page, EDITOR.email, EDITOR.password);
	const before = await server.rowCounts();
	await open(page, '/edit/import');
	// 600 KB: over the 512 KB default of BODY_SIZE_LIMIT that a plain form post is held to.
	const rows = Array.from({ length: 6000 }, (_, i) => `colombia,intelligence-sharing-us,2025-10-01,1,${'x'.repeat(60)} ${i},Reuters`);
	const big = ['actor,issue,date,position,summary,source_outlet', ...rows, ''].join('\n');
	await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'big.csv', mimeType: 'text/csv', buffer: Buffer.from(big) });
	await page.getByRole('button', { name: 'Import' }).click();
	await expect(page.getByText("The request is larger than this server's limit of 512 KB (BODY_SIZE_LIMIT), so nothing was saved.")).toBeVisible();
	await expect(page.getByText('npm run cli -- import FILE')).toBeVisible();
	expect(await server.rowCounts()).toEqual(before);
	await context.close();
});

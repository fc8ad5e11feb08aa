/**
 * A cited ("as of") chart keeps the change markers and the narrative the record held at its
 * moment: after an edit that adds a reversal, the cited page, its PNG, the pinned compare view and
 * the pinned event page show the record then; the current link shows the new change.
 */
import { expect, test } from './fixtures';
import { RUN, eventBody, logIn } from './accounts';
import { open } from './helpers';

const EDITOR = { email: `editor-asofchg-${RUN}@example.org`, password: 'editor-asofchg-password-1' };
const ISSUE = 'intelligence-sharing-us';
const REVERSAL = 'Colombia, 11 November 2025: reversal, Maintain to Halt';
const CLARIFICATION = 'Colombia, 13 November 2025: clarification, Halt to Maintain';
const NEW_REVERSAL = 'Colombia, 25 November 2025: reversal, Maintain to Halt';

test.beforeAll(async ({ server }) => {
	await server.addUser(EDITOR.email, 'editor', EDITOR.password);
});

test('a chart cited before an edit that adds a reversal keeps its markers, narrative and PNG; the current link shows the new reversal', async ({ page, request }) => {
	// A reader cites Colombia's chart on intelligence sharing: a reversal and a clarification.
	await open(page, `/issues/${ISSUE}?actors=colombia`);
	await page.getByText('Cite this chart', { exact: true }).click();
	const cite = page.locator('details.cite');
	const link = (await cite.getByRole('link').first().getAttribute('href'))!;
	const asof = new URL(link).searchParams.get('asof')!;
	const files: Record<string, string> = Object.fromEntries(await cite.locator('.files a').evaluateAll((as) => as.map((a) => [a.textContent ?? '', a.getAttribute('href') ?? ''])));
	const pinnedPng = await (await request.get(files.PNG!)).body();

	// Later an editor records Colombia halting it again on 25 November: a new reversal.
	await page.waitForTimeout(20);
	await logIn(page, EDITOR.email, EDITOR.password);
	const created = await page.request.post('/api/events', {
		headers: { Origin: new URL(page.url()).origin },
		data: eventBody('colombia', ISSUE, { date: '2025-11-25', position: -2, summary: 'Colombia halts the sharing again', quote: 'We stop it again.', kind: 'action' })
	});
	expect(created.status()).toBe(201);
	const newId = Number(created.headers()['location']!.split('/').pop());

	// The cited page: the two changes of then, marked and listed, and the narrative of then.
	await open(page, link);
	await expect(page.getByRole('note', { name: 'As recorded' })).toContainText('As recorded on');
	const chart = page.getByRole('group', { name: /Intelligence sharing with US agencies: stance of/ });
	await expect(chart.getByRole('button', { name: `Change: ${REVERSAL}` })).toBeVisible();
	await expect(chart.getByRole('button', { name: `Change: ${CLARIFICATION}` })).toBeVisible();
	await expect(chart.getByRole('button', { name: `Change: ${NEW_REVERSAL}` })).toHaveCount(0);
	await expect(page.getByRole('list', { name: 'Changes on this chart' }).getByRole('listitem')).toHaveText([new RegExp(REVERSAL), new RegExp(CLARIFICATION)]);
	const narrative = page.locator('#issue-narratives');
	await expect(narrative).toContainText('Colombia');
	await expect(narrative).toContainText('11 November 2025');
	await expect(narrative).not.toContainText('25 November');
	// A marker's card links its events at the same moment.
	await chart.getByRole('button', { name: `Change: ${REVERSAL}` }).hover();
	const card = chart.getByRole('tooltip').getByRole('article', { name: 'Colombia, 11 November 2025: Reversal' });
	await expect(card).toBeVisible();
	expect(await card.getByRole('link', { name: /November 2025/ }).first().getAttribute('href')).toMatch(new RegExp(`\\?asof=${asof.replaceAll('.', '\\.')}$`));
	// The editor sees no Edit menu on the pinned page.
	await expect(page.getByRole('banner').getByRole('link', { name: 'Edit', exact: true })).toHaveCount(0);
	await page.mouse.move(0, 0);
	await page.screenshot({ path: 'test-results/asof-changes-pinned.png', fullPage: true });

	// The cited PNG is the same bytes.
	expect((await (await request.get(files.PNG!)).body()).equals(pinnedPng)).toBe(true);

	// The pinned compare view (small multiples) marks the changes of then too.
	await open(page, `/compare?actors=colombia&issues=${ISSUE}&mode=side&asof=${asof}`);
	await expect(page.getByRole('button', { name: `Change: ${REVERSAL}` })).toBeVisible();
	await expect(page.getByRole('button', { name: `Change: ${NEW_REVERSAL}` })).toHaveCount(0);

	// Petro's 11 November event pinned to the moment: as it stood, with the change it started then.
	const petro = ((await (await request.get(`/api/events?actor=colombia&issue=${ISSUE}`)).json()).events as { id: number; date: string }[]).find((e) => e.date === '2025-11-11')!;
	await open(page, `/events/${petro.id}?asof=${asof}`);
	await expect(page.getByRole('note', { name: 'As recorded' })).toContainText('As recorded on');
	const started = page.getByRole('article', { name: 'Colombia, 11 November 2025: Reversal' });
	await expect(started).toBeVisible();
	expect(await started.getByRole('link', { name: 'Colombia' }).getAttribute('href')).toBe(`/actors/colombia?asof=${asof}`);
	await expect(page.getByRole('link', { name: 'Edit this event' })).toHaveCount(0);
	await page.screenshot({ path: 'test-results/asof-changes-event.png', fullPage: true });

	// The new event's page pinned to the moment says it was not recorded yet, and links the current version.
	await open(page, `/events/${newId}?asof=${asof}`);
	const banner = page.getByRole('note', { name: 'As recorded' });
	await expect(banner).toContainText('As recorded on');
	await expect(page.getByRole('status')).toContainText('this event had not been recorded yet');
	await banner.getByRole('link', { name: 'See the current version' }).click();
	await expect(page).toHaveURL(new RegExp(`/events/${newId}$`));
	await expect(page.getByRole('heading', { level: 1 })).toContainText('Colombia, 25 November 2025');

	// The current page: the new reversal is marked and told; the editor's Edit menu is back.
	await open(page, `/issues/${ISSUE}?actors=colombia`);
	await expect(chart.getByRole('button', { name: `Change: ${NEW_REVERSAL}` })).toBeVisible();
	await expect(page.locator('#issue-narratives')).toContainText('25 November 2025');
	await expect(page.getByRole('banner').getByRole('link', { name: 'Edit', exact: true })).toBeVisible();
});

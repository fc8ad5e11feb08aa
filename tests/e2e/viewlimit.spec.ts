import { expect, test } from './fixtures';
import { expectChartDrawn, open } from './helpers';

// Never die on a request: with a small VIEW_MAX_EVENTS, a view that would load more events is
// refused with a message naming the limit (page) or a 413 (exports), and the server keeps serving.
test.use({ serverEnv: { VIEW_MAX_EVENTS: '10' } });

test('a view past VIEW_MAX_EVENTS is refused with its limit named; smaller views still work', async ({ page, request }) => {
	// The demo has 13 events on the legality of the strikes: over the limit of 10.
	await open(page, '/compare?issues=boat-strikes-legality');
	const alert = page.getByRole('alert').filter({ hasText: 'Too many events to show' });
	await expect(alert).toContainText('13 events, more than the 10 one view may load (VIEW_MAX_EVENTS)');
	await expect(alert).toContainText('/api/series?bucket=month');
	// The rest of the page renders: the picker is there.
	await expect(page.getByLabel('Actors', { exact: true })).toBeVisible();

	const csv = await request.get('/export/data.csv?issues=boat-strikes-legality');
	expect(csv.status()).toBe(413);
	expect((await csv.json()).error).toContain('VIEW_MAX_EVENTS');
	const png = await request.get('/export/chart.png?issues=boat-strikes-legality');
	expect(png.status()).toBe(413);

	// The server keeps serving, and a view under the limit is unchanged.
	const ok = await request.get('/export/data.csv?actors=colombia&issues=intelligence-sharing-us');
	expect(ok.status()).toBe(200);
	await open(page, '/compare?actors=colombia&issues=intelligence-sharing-us');
	await expect(page.getByText('Too many events to show')).toHaveCount(0);
	await expectChartDrawn(page);
});

test('changes past VIEW_MAX_EVENTS: listed unfiltered from the stored change records, feed and who moved too', async ({ page, request }) => {
	// Every issue together has more events than the limit of 10: the changes pages read stored records, not the events.
	await open(page, '/changes');
	await expect(page.getByText('Too many events')).toHaveCount(0);
	await expect(page.getByText(/^\d+ changes?\b/)).toBeVisible();
	const list = page.getByRole('list', { name: 'Changes' });
	await expect(list.getByRole('article', { name: 'Colombia, 11 November 2025: Reversal' })).toBeVisible();
	// Both issues' changes: 13 November has a clarification on each.
	await expect(list.getByRole('article', { name: 'Colombia, 13 November 2025: Clarification' })).toHaveCount(2);
	const feed = await request.get('/changes.atom');
	expect(feed.status()).toBe(200);
	expect(await feed.text()).toContain('<entry>');
	await open(page, '/changes/between?from=2025-01-01&to=2025-12-31');
	await expect(page.getByText('Too many events')).toHaveCount(0);
	await expect(page.getByRole('list', { name: 'Actors who moved' }).getByRole('heading', { name: /Colombia/ }).first()).toBeVisible();
});

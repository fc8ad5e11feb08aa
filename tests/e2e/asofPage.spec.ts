import { expect, test } from './fixtures';
import { open } from './helpers';

// A cited compare page is pinned to a moment that carries a time ("2025-11-12T08:30:00Z"): the
// canonical link encodes its colons, and the page must settle on it instead of redirecting forever.
test('a compare page pinned to a date-time opens at its canonical link and keeps the asof', async ({ page, request }) => {
	const at = new Date().toISOString();
	const url = `/compare?actors=colombia&issues=intelligence-sharing-us&asof=${encodeURIComponent(at)}`;
	// The canonical link itself answers, without a redirect.
	const res = await request.get(url, { maxRedirects: 0 });
	expect(res.status()).toBe(200);
	// The same link with its colons left unencoded, as people paste it, settles on it at once.
	const pasted = await request.get(`/compare?issues=intelligence-sharing-us&actors=colombia&asof=${at}`, { maxRedirects: 0 });
	expect(pasted.status()).toBe(303);
	const next = new URL(pasted.headers()['location']!, res.url());
	expect(next.searchParams.get('asof')).toBe(at);
	expect((await request.get(next.pathname + next.search, { maxRedirects: 0 })).status()).toBe(200);
	await open(page, url);
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
	expect(new URL(page.url()).searchParams.get('asof')).toBe(at);
});

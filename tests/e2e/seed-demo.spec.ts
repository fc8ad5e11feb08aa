import { rmSync } from 'node:fs';
import { expect, test } from './fixtures';
import { open } from './helpers';

// SEED_DEMO=false: a new deployment starts on an empty database, not the demo data.
test.use({ serverEnv: { SEED_DEMO: 'false' } });

const EMPTY = { actor: 0, issue: 0, scale_label: 0, stance_event: 0, source: 0, change: 0, user: 0, api_token: 0 };

test('with SEED_DEMO=false the database starts empty, and the site says so', async ({ page, request, server }) => {
	expect(await server.rowCounts()).toEqual(EMPTY);
	expect(await (await request.get('/api/issues')).json()).toEqual([]);
	expect(await (await request.get('/api/actors')).json()).toEqual([]);
	expect((await (await request.get('/api/events')).json()).total).toBe(0);

	await open(page, '/');
	await expect(page.getByRole('heading', { level: 1, name: 'Issues' })).toBeVisible();
	await expect(page.getByText('No issues yet.')).toBeVisible();
	await expect(page.getByText('No changes yet.')).toBeVisible();
	expect((await request.get('/issues/intelligence-sharing-us')).status()).toBe(404);
});

test('restarting with SEED_DEMO=false keeps the database empty; without it, an empty database is seeded', async ({ server, startServer }) => {
	// A second start on the same file, as after a restart: still empty.
	const again = await startServer({ dbPath: server.dbPath, env: { SEED_DEMO: 'false' } });
	expect(await (await fetch(`${again.baseURL}/api/issues`)).json()).toEqual([]);
	await again.stop();
	expect(await server.rowCounts()).toEqual(EMPTY);

	// The same empty database started with the default setting gets the demo data: the setting is
	// what kept it empty.
	const copy = server.dbPath.replace(/\.db$/, '-copy.db');
	rmSync(copy, { force: true });
	await server.query('vacuum into ?', [copy]);
	const seeded = await startServer({ dbPath: copy });
	const issues: { slug: string }[] = await (await fetch(`${seeded.baseURL}/api/issues`)).json();
	expect(issues.map((i) => i.slug)).toContain('intelligence-sharing-us');
	await seeded.stop();
});

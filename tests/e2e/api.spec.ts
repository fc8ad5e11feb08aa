import { expect, test } from './fixtures';

test('GET /api/series shows Colombia halting, then maintaining intelligence sharing', async ({ request }) => {
	const r = await request.get('/api/series?issue=intelligence-sharing-us&actors=colombia');
	expect(r.status()).toBe(200);
	const body = await r.json();
	expect(body.issue.slug).toBe('intelligence-sharing-us');
	expect(body.issue.scale).toMatchObject({ min: -2, max: 2 });
	const points: { date: string; position: number; eventId: number }[] = body.series[0].points;
	expect(body.series).toHaveLength(1);
	const dates = points.map((p) => p.date);
	expect([...dates].sort()).toEqual(dates);
	const drop = points.findIndex((p) => p.position < 0 && p.date <= '2025-11-12');
	const recovery = points.findIndex((p, i) => i > drop && p.position > 0 && p.date === '2025-11-13');
	expect(drop).toBeGreaterThanOrEqual(0);
	expect(recovery).toBeGreaterThan(drop);
});

test('GET /api/series without actors returns every actor on the issue', async ({ request }) => {
	const body = await (await request.get('/api/series?issue=boat-strikes-legality')).json();
	expect(body.series.length).toBeGreaterThanOrEqual(5);
});

test('GET /api/actors and /api/issues', async ({ request }) => {
	const actors = await (await request.get('/api/actors')).json();
	const petro = actors.find((a: { slug: string }) => a.slug === 'gustavo-petro');
	expect(petro).toMatchObject({ kind: 'person', parent: 'colombia', role: 'President' });
	expect(petro.color).toMatch(/^#[0-9a-f]{6}$/i);
	const issues = await (await request.get('/api/issues')).json();
	const intel = issues.find((i: { slug: string }) => i.slug === 'intelligence-sharing-us');
	expect(intel.scale.labels).toContainEqual({ value: -2, label: 'Halt' });
});

test('GET /api/events filters, pages and keeps accents', async ({ request }) => {
	const all = await (await request.get('/api/events?actor=colombia&issue=intelligence-sharing-us')).json();
	expect(all.total).toBe(all.events.length);
	const sanchez = all.events.find((e: { speaker: string }) => e.speaker === 'pedro-sanchez');
	expect(sanchez).toMatchObject({ date: '2025-11-13', datePrecision: 'day', position: 1, target: 'united-states' });
	expect(sanchez.sources[0].outlet).toBe('Social media post');
	const window = await (await request.get('/api/events?from=2025-11-13&to=2025-11-13')).json();
	expect(window.events.length).toBeGreaterThan(0);
	expect(window.events.every((e: { date: string }) => e.date === '2025-11-13')).toBe(true);
	const page1 = await (await request.get('/api/events?limit=2&offset=0')).json();
	const page2 = await (await request.get('/api/events?limit=2&offset=2')).json();
	expect(page1.events).toHaveLength(2);
	expect(page1.total).toBeGreaterThanOrEqual(30);
	expect(page2.events[0].id).not.toBe(page1.events[0].id);
	const names = await (await request.get('/api/actors')).json();
	expect(names.map((a: { name: string }) => a.name)).toContain('Pedro Arnulfo Sánchez');
});

test('API errors: malformed parameters are 400 naming the parameter, unknown slugs 404', async ({ request }) => {
	for (const [url, status, words] of [
		['/api/events?limit=abc', 400, 'limit'],
		['/api/events?from=2025-13-01', 400, 'from'],
		['/api/events?from=2025-11-13&to=2025-11-01', 400, 'to'],
		['/api/series', 400, 'issue'],
		['/api/series?issue=Bad Slug', 400, 'issue'],
		['/api/series?issue=no-such-issue', 404, 'no-such-issue'],
		['/api/series?issue=intelligence-sharing-us&actors=colombia,atlantis', 404, 'atlantis'],
		['/api/events?actor=atlantis', 404, 'atlantis']
	] as const) {
		const r = await request.get(url);
		expect(r.status(), url).toBe(status);
		const body = await r.json();
		expect(body.error, url).toContain(words);
	}
});

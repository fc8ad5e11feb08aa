/**
 * The write API's promises, with a write token as a script would use it: PATCH answers with the
 * new version; a stale or missing version is refused and writes nothing; the three restores; a
 * deleted event leaves every listing and export; a scale that would strand events is refused;
 * and every write leaves exactly one history row naming the channel and the token.
 */
import { createHash } from 'node:crypto';
import { expect, test, type E2EServer } from './fixtures';
import { eventBody, issueBody } from './accounts';

const TOKEN = 'st_writeapiwriteapiwriteapiwriteapi';
const auth = { Authorization: `Bearer ${TOKEN}` };
let tokenId = 0;
let n = 0;
const unique = (what: string) => `${what}-${Date.now().toString(36)}-${n++}`;

test.beforeAll(async ({ server }) => {
	await server.addUser('write-api@example.org', 'editor', 'write api password 1');
	const [u] = await server.query('select id from user where email = ?', ['write-api@example.org']);
	await server.query(
		"insert into api_token (user_id, name, token_hash, scope, created_at, expires_at) values (?, 'write api test', ?, 'write', ?, ?)",
		[Number(u!.id), createHash('sha256').update(TOKEN).digest('hex'), new Date().toISOString(), new Date(Date.now() + 86_400_000).toISOString()]
	);
	const [t] = await server.query('select id from api_token where name = ?', ['write api test']);
	tokenId = Number(t!.id);
});

/** History rows of one record, oldest first. */
async function history(server: E2EServer, entity: string, id: number) {
	return server.query('select action, via, token_id from change where entity = ? and entity_id = ? order by id', [entity, id]);
}
const idOf = async (server: E2EServer, table: 'actor' | 'issue', slug: string) => Number((await server.query(`select id from ${table} where slug = ?`, [slug]))[0]!.id);

test('events: PATCH gives the new version; stale and missing versions write nothing; delete hides it everywhere; restore brings it back', async ({ request, server }) => {
	const summary = unique('Write API event');
	const created = await request.post('/api/events', { headers: auth, data: eventBody('colombia', 'intelligence-sharing-us', { summary }) });
	expect(created.status()).toBe(201);
	const { id, version } = await created.json();
	expect(version).toBe(1);

	const patched = await request.patch(`/api/events/${id}`, { headers: auth, data: { version: 1, position: -1 } });
	expect(patched.status()).toBe(200);
	expect(await patched.json()).toMatchObject({ id, version: 2, position: -1 });

	// A stale version: 409 with the current record; nothing written.
	const before = await server.rowCounts();
	const stale = await request.patch(`/api/events/${id}`, { headers: auth, data: { version: 1, position: 2 } });
	expect(stale.status()).toBe(409);
	expect(await stale.json()).toMatchObject({ currentVersion: 2, current: { position: -1 } });
	// No version at all: 400 naming the field.
	const missing = await request.patch(`/api/events/${id}`, { headers: auth, data: { position: 2 } });
	expect(missing.status()).toBe(400);
	expect((await missing.json()).fields).toContainEqual({ field: 'version', message: expect.stringMatching(/required/) });
	// A stale DELETE ?version=.
	expect((await request.delete(`/api/events/${id}?version=1`, { headers: auth })).status()).toBe(409);
	expect(await server.rowCounts()).toEqual(before);
	expect((await (await request.get(`/api/events/${id}`)).json()).position).toBe(-1);

	// Deleted at the current version: gone from the listing, the series and both exports.
	const deleted = await request.delete(`/api/events/${id}?version=2`, { headers: auth });
	expect(await deleted.json()).toEqual({ id, version: 3, deleted: true });
	// Where to look, and what names the event there (the series carries event ids, not summaries).
	const places: [string, string][] = [
		['/api/events?issue=intelligence-sharing-us&limit=500', summary],
		['/api/series?issue=intelligence-sharing-us&actors=colombia', `"eventId":${id}`],
		['/export/data.csv?issues=intelligence-sharing-us&actors=colombia', summary],
		['/export/data.json?issues=intelligence-sharing-us&actors=colombia', summary]
	];
	for (const [path, needle] of places) {
		const r = await request.get(path);
		expect(r.status(), path).toBe(200);
		expect(await r.text(), path).not.toContain(needle);
	}
	expect((await request.get(`/api/events/${id}`)).status()).toBe(404);

	// Restored: back in all of them.
	const restored = await request.post(`/api/events/${id}/restore`, { headers: auth });
	expect(await restored.json()).toMatchObject({ id, version: 4 });
	for (const [path, needle] of places) expect(await (await request.get(path)).text(), path).toContain(needle);

	// One history row per write, each with the channel and the token.
	expect(await history(server, 'event', id)).toEqual([
		{ action: 'create', via: 'api', token_id: tokenId },
		{ action: 'update', via: 'api', token_id: tokenId },
		{ action: 'delete', via: 'api', token_id: tokenId },
		{ action: 'restore', via: 'api', token_id: tokenId }
	]);
});

test('actors: PATCH gives the new version; a stale PATCH or DELETE writes nothing; delete and restore', async ({ request, server }) => {
	const slug = unique('write-api-land');
	expect((await request.post('/api/actors', { headers: auth, data: { slug, name: 'Write API Land', kind: 'country' } })).status()).toBe(201);
	const patched = await request.patch(`/api/actors/${slug}`, { headers: auth, data: { version: 1, name: 'Renamed Land' } });
	expect(await patched.json()).toMatchObject({ slug, name: 'Renamed Land', version: 2 });

	const before = await server.rowCounts();
	const stale = await request.patch(`/api/actors/${slug}`, { headers: auth, data: { version: 1, name: 'Lost Update Land' } });
	expect(stale.status()).toBe(409);
	expect(await stale.json()).toMatchObject({ currentVersion: 2, current: { name: 'Renamed Land' } });
	expect((await request.patch(`/api/actors/${slug}`, { headers: auth, data: { name: 'No Version Land' } })).status()).toBe(400);
	expect((await request.delete(`/api/actors/${slug}?version=1`, { headers: auth })).status()).toBe(409);
	expect(await server.rowCounts()).toEqual(before);
	expect((await (await request.get(`/api/actors/${slug}`)).json()).name).toBe('Renamed Land');

	expect(await (await request.delete(`/api/actors/${slug}?version=2`, { headers: auth })).json()).toMatchObject({ slug, version: 3, deleted: true });
	expect((await request.get(`/api/actors/${slug}`)).status()).toBe(404);
	expect(await (await request.post(`/api/actors/${slug}/restore`, { headers: auth })).json()).toMatchObject({ slug, version: 4 });
	expect((await request.get(`/api/actors/${slug}`)).status()).toBe(200);

	const id = await idOf(server, 'actor', slug);
	expect((await history(server, 'actor', id)).map((h) => [h.action, h.via, h.token_id])).toEqual([
		['create', 'api', tokenId],
		['update', 'api', tokenId],
		['delete', 'api', tokenId],
		['restore', 'api', tokenId]
	]);
});

test('issues: a stale PATCH or DELETE writes nothing; a scale that would strand events is refused; delete and restore', async ({ request, server }) => {
	const slug = unique('write-api-issue');
	expect((await request.post('/api/issues', { headers: auth, data: issueBody(slug, 'Write API issue') })).status()).toBe(201);
	expect((await request.post('/api/events', { headers: auth, data: eventBody('colombia', slug, { position: 2 }) })).status()).toBe(201);
	const patched = await request.patch(`/api/issues/${slug}`, { headers: auth, data: { version: 1, title: 'Renamed issue' } });
	expect(await patched.json()).toMatchObject({ slug, title: 'Renamed issue', version: 2 });

	const before = await server.rowCounts();
	expect((await request.patch(`/api/issues/${slug}`, { headers: auth, data: { version: 1, title: 'Lost update' } })).status()).toBe(409);
	expect((await request.patch(`/api/issues/${slug}`, { headers: auth, data: { title: 'No version' } })).status()).toBe(400);
	expect((await request.delete(`/api/issues/${slug}?version=1`, { headers: auth })).status()).toBe(409);
	// The event at +2 would fall off a -1..1 scale.
	const narrowed = await request.patch(`/api/issues/${slug}`, {
		headers: auth,
		data: { version: 2, scale: { min: -1, max: 1, labels: [{ value: 0, label: 'Neutral' }] } }
	});
	expect(narrowed.status()).toBe(400);
	expect((await narrowed.json()).fields).toContainEqual({ field: 'scale.min', message: '1 event(s) on this issue would fall off the new scale' });
	expect(await server.rowCounts()).toEqual(before);
	expect((await (await request.get(`/api/issues/${slug}`)).json()).scale).toMatchObject({ min: -2, max: 2 });

	expect(await (await request.delete(`/api/issues/${slug}?version=2`, { headers: auth })).json()).toMatchObject({ slug, version: 3, deleted: true });
	expect((await request.get(`/api/issues/${slug}`)).status()).toBe(404);
	expect(await (await request.post(`/api/issues/${slug}/restore`, { headers: auth })).json()).toMatchObject({ slug, version: 4 });

	const id = await idOf(server, 'issue', slug);
	expect((await history(server, 'issue', id)).map((h) => [h.action, h.via, h.token_id])).toEqual([
		['create', 'api', tokenId],
		['update', 'api', tokenId],
		['delete', 'api', tokenId],
		['restore', 'api', tokenId]
	]);
});

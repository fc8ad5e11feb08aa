/**
 * API tokens are for the JSON API and the exports. A token never works a page's form action,
 * whatever its scope (issue 8, finding 1), and writes made with a token name it in the history.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { isHttpError } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import { apiToken, change, session, stanceEvent, user } from '../../../src/lib/server/db/schema';
import type { Role, TokenScope } from '../../../src/lib/domain/types';
import { actorInput, eventInput, issueInput } from '../../fixtures/factories';

vi.mock('$lib/server/db', async () => {
	const { openTestDb } = await import('./testDb');
	const t = await openTestDb();
	return { db: t.db, close: t.close };
});

const dbModule = (await import('$lib/server/db')) as unknown as typeof import('$lib/server/db') & { close: () => void };
const { db } = dbModule;
const users = await import('../../../src/lib/server/auth/users');
const { acceptsBearer, authenticate } = await import('../../../src/lib/server/auth/request');
const write = await import('../../../src/lib/server/write');
const newEvent = await import('../../../src/routes/(app)/edit/events/new/+page.server');
const accountTokens = await import('../../../src/routes/(app)/account/tokens/+page.server');
const adminUsers = await import('../../../src/routes/(app)/admin/users/+page.server');
const apiEvents = await import('../../../src/routes/api/events/+server');

const PASSWORD = 'a long enough password';
type Person = { id: number; email: string; name: string; role: Role };
let admin: Person;
let viewer: Person;
const secrets = {} as Record<TokenScope, { token: string; id: number }>;

beforeAll(async () => {
	admin = await users.createUser(db, { email: 'admin@example.org', name: 'Admin', role: 'admin', password: PASSWORD });
	viewer = await users.createUser(db, { email: 'viewer@example.org', name: 'Viewer', role: 'viewer', password: PASSWORD });
	for (const scope of ['read', 'write'] as const) secrets[scope] = await users.createToken(db, admin.id, { name: scope, scope, expiresInDays: 30 });
	const seed = { userId: admin.id, via: 'api' as const };
	await write.createActor(db, actorInput(), seed);
	await write.createIssue(db, issueInput(), seed);
});
afterAll(() => dbModule.close());

const counts = async () => ({
	users: await db.$count(user),
	tokens: await db.$count(apiToken),
	sessions: await db.$count(session),
	events: await db.$count(stanceEvent),
	changes: await db.$count(change)
});

/** A request event as SvelteKit hands it to an action, made by `who` with an API token. */
function withToken(path: string, who: Person, scope: TokenScope, form: Record<string, string>) {
	const url = new URL(`http://localhost${path}`);
	const body = new FormData();
	for (const [k, v] of Object.entries(form)) body.set(k, v);
	return {
		url,
		locals: { user: who, session: null, token: { id: secrets[scope].id, scope } },
		request: new Request(url, { method: 'POST', body, headers: { authorization: `Bearer ${secrets[scope].token}` } }),
		params: {},
		route: { id: path },
		setHeaders: () => {},
		getClientAddress: () => '127.0.0.1',
		cookies: { get: () => undefined }
	} as never;
}

/** The fields of a valid new-event form: without the guard, this posts an event. */
const EVENT_FORM = {
	actor: 'testland',
	issue: 'test-issue',
	date: '2025-06-01',
	datePrecision: 'day',
	position: '1',
	kind: 'statement',
	confidence: 'medium',
	summary: 'Made through a form with an API token',
	'sources.0.outlet': 'Test outlet'
};

describe('form actions refuse API tokens, whatever the scope, and write nothing', () => {
	const cases = [
		['/edit/events/new', () => newEvent.actions.default, EVENT_FORM],
		['/account/tokens?/create', () => accountTokens.actions.create, { name: 'minted', scope: 'write', expiresInDays: '30' }],
		['/admin/users?/role', () => adminUsers.actions.role, { id: '0', role: 'admin' }],
		['/admin/users?/create', () => adminUsers.actions.create, { email: 'made@example.org', name: 'Made', role: 'admin', password: PASSWORD }]
	] as const;
	for (const scope of ['read', 'write'] as const) {
		for (const [path, action, form] of cases) {
			it(`${path} with a ${scope} token of an admin: 403`, async () => {
				const f = path.endsWith('role') ? { ...form, id: String(viewer.id) } : form;
				const before = await counts();
				let thrown: unknown = null;
				try {
					await (action() as (e: never) => unknown)(withToken(path, admin, scope, f));
				} catch (e) {
					thrown = e;
				}
				expect(isHttpError(thrown), String(thrown)).toBe(true);
				expect((thrown as { status: number }).status).toBe(403);
				expect(await counts()).toEqual(before);
				expect((await users.byId(db, viewer.id))?.role).toBe('viewer');
			});
		}
	}
});

/** What hooks.server.ts hands `authenticate`, with a bearer header and no cookie. */
function hookEvent(path: string, token: string, method = 'POST') {
	const url = new URL(`http://localhost${path}`);
	return {
		url,
		request: new Request(url, { method, headers: { authorization: `Bearer ${token}` } }),
		cookies: { get: () => undefined, set: () => {}, delete: () => {} },
		locals: {} as App.Locals
	} as never as Parameters<typeof authenticate>[1];
}

describe('authenticate: where a bearer token counts', () => {
	it('accepts tokens on the JSON API and the exports only', () => {
		for (const p of ['/api/events', '/api/actors/x/restore', '/export/chart.png', '/export/data.csv']) expect(acceptsBearer(p), p).toBe(true);
		for (const p of ['/edit/events/new', '/account/tokens', '/admin/users', '/events/3', '/login', '/', '/apiary', '/exports']) {
			expect(acceptsBearer(p), p).toBe(false);
		}
	});

	it('on a page, ignores the header: no user, no token, no 401', async () => {
		for (const path of ['/edit/events/new', '/account/tokens', '/admin/users', '/events/1']) {
			const e = hookEvent(path, secrets.write.token);
			expect(await authenticate(db, e)).toBeNull();
			expect(e.locals).toEqual({ user: null, session: null, token: null });
			// Even a made-up token is no error there: the header is simply not read.
			const bad = hookEvent(path, 'st_madeup');
			expect(await authenticate(db, bad)).toBeNull();
		}
	});

	it('on the API, sets the user and the token with its scope, or answers 401', async () => {
		const e = hookEvent('/api/events', secrets.read.token);
		expect(await authenticate(db, e)).toBeNull();
		expect(e.locals.user?.id).toBe(admin.id);
		expect(e.locals.token).toEqual({ id: secrets.read.id, scope: 'read' });
		const bad = await authenticate(db, hookEvent('/api/events', 'st_madeup'));
		expect(bad?.status).toBe(401);
	});
});

describe('the write API with a token', () => {
	function apiEvent(scope: TokenScope, body: unknown) {
		const url = new URL('http://localhost/api/events');
		return {
			url,
			locals: { user: admin, session: null, token: { id: secrets[scope].id, scope } },
			request: new Request(url, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
			params: {}
		} as never;
	}

	it('a read token is refused (403) and writes nothing', async () => {
		const before = await counts();
		const r = await apiEvents.POST(apiEvent('read', eventInput({ summary: 'read token write' })));
		expect(r.status).toBe(403);
		expect(await counts()).toEqual(before);
	});

	it('a write token writes, and the history row names the token', async () => {
		const r = await apiEvents.POST(apiEvent('write', eventInput({ summary: 'write token write' })));
		expect(r.status).toBe(201);
		const { id } = await r.json();
		const rows = await db.select().from(change).where(eq(change.entityId, id));
		const made = rows.filter((c) => c.entity === 'event');
		expect(made).toHaveLength(1);
		expect(made[0]).toMatchObject({ action: 'create', userId: admin.id, tokenId: secrets.write.id, via: 'api' });
	});
});

/**
 * The account and admin pages' loads and actions, called directly: each checks the role itself,
 * without relying on hooks.server.ts (which a route or a refactor could slip past).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { isHttpError, isRedirect } from '@sveltejs/kit';
import { apiToken, session, user } from '../../../src/lib/server/db/schema';
import type { Role } from '../../../src/lib/domain/types';

vi.mock('$lib/server/db', async () => {
	const { openTestDb } = await import('./testDb');
	const t = await openTestDb();
	return { db: t.db, close: t.close };
});

const dbModule = (await import('$lib/server/db')) as unknown as typeof import('$lib/server/db') & { close: () => void };
const { db } = dbModule;
const users = await import('../../../src/lib/server/auth/users');
const adminUsers = await import('../../../src/routes/(app)/admin/users/+page.server');
const adminTokens = await import('../../../src/routes/(app)/admin/tokens/+page.server');
const accountTokens = await import('../../../src/routes/(app)/account/tokens/+page.server');

const PASSWORD = 'a long enough password';
type Person = { id: number; email: string; name: string; role: Role };
const people = {} as Record<Role, Person>;

beforeAll(async () => {
	for (const role of ['viewer', 'editor', 'admin'] as const) {
		const u = await users.createUser(db, { email: `${role}@example.org`, name: role, role, password: PASSWORD });
		people[role] = { id: u.id, email: u.email, name: u.name, role: u.role };
	}
});
afterAll(() => dbModule.close());

/** A request event as SvelteKit hands it to a load or an action. */
function event(path: string, who: Person | null, form?: Record<string, string>) {
	const url = new URL(`http://localhost${path}`);
	const body = new FormData();
	for (const [k, v] of Object.entries(form ?? {})) body.set(k, v);
	return {
		url,
		locals: { user: who, session: who ? { id: 'test' } : null, token: null },
		request: new Request(url, form ? { method: 'POST', body } : {}),
		params: {},
		route: { id: path },
		setHeaders: () => {},
		cookies: { get: () => undefined }
	} as never;
}

const counts = async () => ({ users: await db.$count(user), tokens: await db.$count(apiToken), sessions: await db.$count(session) });

/** Runs it and returns what it threw: SvelteKit's redirect and error are thrown. */
async function thrown(run: () => unknown): Promise<unknown> {
	try {
		await run();
	} catch (e) {
		return e;
	}
	return expect.fail('it did not throw');
}

const FORMS: Record<string, Record<string, string>> = {
	create: { email: 'made@example.org', name: 'Made', role: 'admin', password: PASSWORD, scope: 'write', expiresInDays: '30' },
	role: { id: '1', role: 'viewer' },
	disable: { id: '1' },
	enable: { id: '1' },
	revoke: { id: '1' }
};

const ROUTES = [
	{ path: '/admin/users', module: adminUsers, needs: 'admin' as Role },
	{ path: '/admin/tokens', module: adminTokens, needs: 'admin' as Role },
	{ path: '/account/tokens', module: accountTokens, needs: 'viewer' as Role }
];

describe('every load and action checks the role', () => {
	for (const { path, module, needs } of ROUTES) {
		const below: (Role | null)[] = needs === 'admin' ? [null, 'viewer', 'editor'] : [null];
		const actions = module.actions as Record<string, (e: never) => unknown>;
		for (const who of below) {
			it(`${path}: load refuses ${who ?? 'anonymous'}`, async () => {
				const e = await thrown(() => module.load(event(path, who ? people[who] : null)));
				expectRefused(e, who, path);
			});
			for (const name of Object.keys(actions)) {
				it(`${path}?/${name}: refuses ${who ?? 'anonymous'} and writes nothing`, async () => {
					const before = await counts();
					const e = await thrown(() => actions[name]!(event(`${path}?/${name}`, who ? people[who] : null, FORMS[name])));
					expectRefused(e, who, path);
					expect(await counts()).toEqual(before);
				});
			}
		}
	}
});

function expectRefused(e: unknown, who: Role | null, path: string) {
	if (who === null) {
		expect(isRedirect(e), String(e)).toBe(true);
		expect((e as { location: string }).location).toMatch(new RegExp(`^/login\\?next=${encodeURIComponent(path)}`));
	} else {
		expect(isHttpError(e), String(e)).toBe(true);
		expect((e as { status: number }).status).toBe(403);
	}
}

describe('/account/tokens', () => {
	it('refuses a write token to a viewer, naming the scope field', async () => {
		const before = await counts();
		const r = await accountTokens.actions.create(event('/account/tokens?/create', people.viewer, { name: 'x', scope: 'write', expiresInDays: '30' }));
		expect(r).toMatchObject({ status: 403, data: { errors: { scope: 'viewers may create read tokens only' } } });
		expect(await counts()).toEqual(before);
	});

	it('gives a viewer a read token, and returns the secret once', async () => {
		const r = await accountTokens.actions.create(event('/account/tokens?/create', people.viewer, { name: 'reader', scope: 'read', expiresInDays: '7' }));
		expect(r).toMatchObject({ action: 'create', created: { name: 'reader', scope: 'read', token: expect.stringMatching(/^st_/) } });
		const page = (await accountTokens.load(event('/account/tokens', people.viewer))) as { tokens: unknown[] };
		expect(JSON.stringify(page)).not.toContain((r as { created: { token: string } }).created.token);
	});

	it('keeps what was typed and names each bad field', async () => {
		const r = await accountTokens.actions.create(event('/account/tokens?/create', people.editor, { name: '', scope: 'write', expiresInDays: '0' }));
		expect(r).toMatchObject({ status: 400, data: { values: { name: '', scope: 'write', expiresInDays: '0' } } });
		expect(Object.keys((r as { data: { errors: object } }).data.errors).sort()).toEqual(['expiresInDays', 'name']);
	});

	it("cannot revoke another user's token", async () => {
		const { id, token } = await users.createToken(db, people.editor.id, { name: 'theirs', scope: 'write', expiresInDays: 30 });
		const r = await accountTokens.actions.revoke(event('/account/tokens?/revoke', people.viewer, { id: String(id) }));
		expect(r).toMatchObject({ status: 404 });
		expect(await users.validateToken(db, token)).not.toBeNull();
		// An admin can, from the admin page.
		expect(await adminTokens.actions.revoke(event('/admin/tokens?/revoke', people.admin, { id: String(id) }))).toMatchObject({ ok: true });
		expect(await users.validateToken(db, token)).toBeNull();
	});
});

describe('/admin/users', () => {
	it('creates a user, or keeps the values and names each bad field', async () => {
		const bad = await adminUsers.actions.create(event('/admin/users?/create', people.admin, { email: 'nope', name: 'N', role: 'editor', password: 'short' }));
		expect(bad).toMatchObject({ status: 400, data: { values: { email: 'nope', name: 'N', role: 'editor' } } });
		expect(JSON.stringify(bad)).not.toContain('short');
		expect(Object.keys((bad as { data: { errors: object } }).data.errors).sort()).toEqual(['email', 'password']);
		const good = await adminUsers.actions.create(event('/admin/users?/create', people.admin, { email: 'New@Example.org', name: 'N', role: 'editor', password: PASSWORD }));
		expect(good).toMatchObject({ created: { email: 'new@example.org', role: 'editor' } });
	});

	it('refuses to let the only admin demote or disable themselves', async () => {
		const me = people.admin;
		for (const [name, form] of [
			['role', { id: String(me.id), role: 'editor' }],
			['disable', { id: String(me.id) }]
		] as const) {
			const r = await (adminUsers.actions as Record<string, (e: never) => unknown>)[name]!(event(`/admin/users?/${name}`, me, form));
			expect(r).toMatchObject({ status: 409, data: { ok: false, message: expect.stringContaining('active admin') } });
		}
		expect((await users.byId(db, me.id))?.role).toBe('admin');
	});

	it('disabling ends their sessions; an unknown id is refused', async () => {
		const { createSession } = await import('../../../src/lib/server/auth/sessions');
		await createSession(db, people.editor.id);
		const r = await adminUsers.actions.disable(event('/admin/users?/disable', people.admin, { id: String(people.editor.id) }));
		expect(r).toMatchObject({ ok: true });
		expect((await users.byId(db, people.editor.id))?.disabled).toBe(true);
		expect(await counts()).toMatchObject({ sessions: 0 });
		await adminUsers.actions.enable(event('/admin/users?/enable', people.admin, { id: String(people.editor.id) }));
		expect(await adminUsers.actions.role(event('/admin/users?/role', people.admin, { id: '99999', role: 'viewer' }))).toMatchObject({ status: 404 });
		expect(await adminUsers.actions.role(event('/admin/users?/role', people.admin, { id: 'x', role: 'viewer' }))).toMatchObject({ status: 400 });
		expect(await adminUsers.actions.role(event('/admin/users?/role', people.admin, { id: String(people.viewer.id), role: 'owner' }))).toMatchObject({
			status: 400
		});
	});
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { apiToken, loginFailure, session, user } from '../../../src/lib/server/db/schema';
import { createDb } from '../../../src/lib/server/db/client';
import {
	ABSOLUTE_MS,
	IDLE_MS,
	createSession,
	invalidateSession,
	invalidateUserSessions,
	validateSession
} from '../../../src/lib/server/auth/sessions';
import { hashToken } from '../../../src/lib/server/auth/tokens';
import { Throttle } from '../../../src/lib/server/auth/throttle';
import { attemptLogin } from '../../../src/lib/server/auth/login';
import * as users from '../../../src/lib/server/auth/users';
import { ValidationError } from '../../../src/lib/server/write';
import type { Role } from '../../../src/lib/domain/types';
import { openTestDb, type TestDb } from './testDb';

const PASSWORD = 'correct horse battery';
const T0 = Date.parse('2025-11-13T12:00:00Z');
const DAY = 86_400_000;
let t: TestDb;
let n = 0;

/** A fresh user with a unique email. */
async function someone(role: Role = 'editor', password = PASSWORD) {
	return users.createUser(t.db, { email: `user${++n}@example.org`, name: `User ${n}`, role, password });
}

beforeAll(async () => {
	t = await openTestDb();
});
afterAll(() => t?.close());

describe('sessions', () => {
	it('stores only the hash of the cookie token and finds the user by the token', async () => {
		const u = await someone();
		const { token, expiresAt } = await createSession(t.db, u.id, T0);
		expect(expiresAt.getTime()).toBe(T0 + IDLE_MS);
		const rows = await t.db.select().from(session).where(eq(session.userId, u.id));
		expect(rows).toHaveLength(1);
		expect(rows[0]!.id).toBe(hashToken(token));
		expect(JSON.stringify(rows)).not.toContain(token);
		const s = await validateSession(t.db, token, T0 + 1000);
		expect(s?.user).toEqual({ id: u.id, email: u.email, name: u.name, role: 'editor' });
		expect(s?.extended).toBe(false);
	});

	it('refuses an unknown token', async () => {
		expect(await validateSession(t.db, 'no-such-token', T0)).toBeNull();
	});

	it('ends after the idle time unused, and deletes the row', async () => {
		const u = await someone();
		const { token } = await createSession(t.db, u.id, T0);
		expect(await validateSession(t.db, token, T0 + IDLE_MS - 1)).not.toBeNull();
		// That use extended it: a fresh session, left alone for the idle time, ends.
		const other = await createSession(t.db, u.id, T0);
		expect(await validateSession(t.db, other.token, T0 + IDLE_MS)).toBeNull();
		expect(await t.db.$count(session, eq(session.id, hashToken(other.token)))).toBe(0);
	});

	it('slides: a use in the second half of the idle time extends it, an early use does not', async () => {
		const u = await someone();
		const { token } = await createSession(t.db, u.id, T0);
		const early = await validateSession(t.db, token, T0 + IDLE_MS / 4);
		expect(early?.extended).toBe(false);
		expect(early?.expiresAt.getTime()).toBe(T0 + IDLE_MS);
		const late = T0 + IDLE_MS / 2 + 1000;
		const s = await validateSession(t.db, token, late);
		expect(s?.extended).toBe(true);
		expect(s?.expiresAt.getTime()).toBe(late + IDLE_MS);
		// Still valid past the first idle expiry, thanks to the extension.
		expect(await validateSession(t.db, token, T0 + IDLE_MS + 1000)).not.toBeNull();
	});

	it('ends at the absolute expiry however often it is used', async () => {
		const u = await someone();
		const { token } = await createSession(t.db, u.id, T0);
		let now = T0;
		while (now + 4 * DAY < T0 + ABSOLUTE_MS) {
			now += 4 * DAY;
			const s = await validateSession(t.db, token, now);
			expect(s, `still valid on day ${(now - T0) / DAY}`).not.toBeNull();
			expect(s!.expiresAt.getTime()).toBeLessThanOrEqual(T0 + ABSOLUTE_MS);
		}
		expect(await validateSession(t.db, token, T0 + ABSOLUTE_MS)).toBeNull();
	});

	it('is invalid once its user is disabled, and every session of theirs is gone', async () => {
		const u = await someone();
		const a = await createSession(t.db, u.id, T0);
		const b = await createSession(t.db, u.id, T0);
		expect(await users.changeDisabled(t.db, u.id, true)).toEqual({ ok: true });
		expect(await t.db.$count(session, eq(session.userId, u.id))).toBe(0);
		expect(await validateSession(t.db, a.token, T0 + 1000)).toBeNull();
		expect(await validateSession(t.db, b.token, T0 + 1000)).toBeNull();
		// Enabled again, they must log in afresh: the old sessions stay ended.
		await users.changeDisabled(t.db, u.id, false);
		expect(await validateSession(t.db, a.token, T0 + 1000)).toBeNull();
	});

	it('logout ends that session only; ending all of a user ends the rest', async () => {
		const u = await someone();
		const a = await createSession(t.db, u.id, T0);
		const b = await createSession(t.db, u.id, T0);
		await invalidateSession(t.db, hashToken(a.token));
		expect(await validateSession(t.db, a.token, T0 + 1000)).toBeNull();
		expect(await validateSession(t.db, b.token, T0 + 1000)).not.toBeNull();
		await invalidateUserSessions(t.db, u.id);
		expect(await validateSession(t.db, b.token, T0 + 1000)).toBeNull();
	});
});

describe('API tokens', () => {
	it('stores the hash, never the secret, and the secret authenticates its owner', async () => {
		const u = await someone();
		const { token, id } = await users.createToken(t.db, u.id, { name: 'script', scope: 'write', expiresInDays: 30 }, T0);
		expect(token).toMatch(/^st_[a-z2-7]{32}$/);
		const [row] = await t.db.select().from(apiToken).where(eq(apiToken.id, id));
		expect(row!.tokenHash).toBe(hashToken(token));
		expect(JSON.stringify(row)).not.toContain(token.slice(3));
		const found = await users.validateToken(t.db, token, T0 + 1000);
		expect(found).toMatchObject({ tokenId: id, scope: 'write', user: { id: u.id, role: 'editor' } });
	});

	it('keeps its scope', async () => {
		const u = await someone();
		const { token } = await users.createToken(t.db, u.id, { name: 'reader', scope: 'read', expiresInDays: 1 }, T0);
		expect((await users.validateToken(t.db, token, T0))?.scope).toBe('read');
	});

	it('records when it was last used', async () => {
		const u = await someone();
		const { token, id } = await users.createToken(t.db, u.id, { name: 'used', scope: 'read', expiresInDays: 5 }, T0);
		await users.validateToken(t.db, token, T0 + DAY);
		const [listed] = (await users.tokens(t.db, u.id, T0 + DAY)).filter((x) => x.id === id);
		expect(listed?.lastUsedAt).toBe(new Date(T0 + DAY).toISOString());
	});

	it('expires after its days', async () => {
		const u = await someone();
		const { token } = await users.createToken(t.db, u.id, { name: 'short', scope: 'write', expiresInDays: 2 }, T0);
		expect(await users.validateToken(t.db, token, T0 + 2 * DAY - 1)).not.toBeNull();
		expect(await users.validateToken(t.db, token, T0 + 2 * DAY)).toBeNull();
		expect((await users.tokens(t.db, u.id, T0 + 2 * DAY))[0]?.status).toBe('expired');
	});

	it('is refused once revoked; only its owner (or an admin, without owner) can revoke it', async () => {
		const owner = await someone();
		const other = await someone();
		const { token, id } = await users.createToken(t.db, owner.id, { name: 'mine', scope: 'write', expiresInDays: 30 }, T0);
		expect(await users.revokeToken(t.db, id, other.id)).toBe(false);
		expect(await users.validateToken(t.db, token, T0)).not.toBeNull();
		expect(await users.revokeToken(t.db, id, owner.id)).toBe(true);
		expect(await users.validateToken(t.db, token, T0)).toBeNull();
		expect(await users.revokeToken(t.db, id)).toBe(false);
		expect((await users.tokens(t.db, owner.id, T0))[0]).toMatchObject({ id, revoked: true, status: 'revoked' });
	});

	it('is refused when its user is disabled', async () => {
		const u = await someone();
		const { token } = await users.createToken(t.db, u.id, { name: 'x', scope: 'write', expiresInDays: 30 }, T0);
		await users.changeDisabled(t.db, u.id, true);
		expect(await users.validateToken(t.db, token, T0)).toBeNull();
	});

	it('refuses bad names, scopes and expiries, naming the field', async () => {
		const u = await someone();
		for (const [input, field] of [
			[{ name: ' ', scope: 'read', expiresInDays: 1 }, 'name'],
			[{ name: 'x'.repeat(101), scope: 'read', expiresInDays: 1 }, 'name'],
			[{ name: 'a', scope: 'admin', expiresInDays: 1 }, 'scope'],
			[{ name: 'a', scope: 'read', expiresInDays: 0 }, 'expiresInDays'],
			[{ name: 'a', scope: 'read', expiresInDays: 366 }, 'expiresInDays'],
			[{ name: 'a', scope: 'read', expiresInDays: '1.5' }, 'expiresInDays']
		] as const) {
			const e = await users.createToken(t.db, u.id, input, T0).catch((x: unknown) => x);
			expect(e, JSON.stringify(input)).toBeInstanceOf(ValidationError);
			expect((e as ValidationError).problems.map((p) => p.path)).toContain(field);
		}
		expect(await users.tokens(t.db, u.id)).toHaveLength(0);
	});
});

describe('Throttle', () => {
	// A key of its own per test: the failures are rows in the test's database.
	let k = 0;
	const key = () => `test:${++k}`;

	it('refuses a key at its limit until the oldest failure leaves the window', async () => {
		const th = new Throttle(3, 1000);
		const key1 = key();
		await th.fail(t.db, key1, 0);
		await th.fail(t.db, key1, 100);
		expect(await th.retryAfter(t.db, key1, 200)).toBe(0);
		await th.fail(t.db, key1, 200);
		expect(await th.retryAfter(t.db, key1, 200)).toBe(800);
		expect(await th.retryAfter(t.db, key1, 999)).toBe(1);
		expect(await th.retryAfter(t.db, key1, 1000)).toBe(0);
		expect(await th.retryAfter(t.db, key(), 200)).toBe(0);
	});

	it('counts only failures within the window, and deletes the key\'s expired ones', async () => {
		const th = new Throttle(2, 1000);
		const k1 = key();
		await th.fail(t.db, k1, 0);
		await th.fail(t.db, k1, 1500);
		expect(await th.retryAfter(t.db, k1, 1500)).toBe(0);
		const rows = await t.db.select().from(loginFailure).where(eq(loginFailure.key, k1));
		expect(rows.map((r) => r.at)).toEqual([1500]);
	});

	it('forgets a key on reset', async () => {
		const th = new Throttle(1, 1000);
		const k1 = key();
		await th.fail(t.db, k1, 0);
		expect(await th.retryAfter(t.db, k1, 10)).toBeGreaterThan(0);
		await th.reset(t.db, k1);
		expect(await th.retryAfter(t.db, k1, 10)).toBe(0);
	});

	it('is shared by every client on the database: failures through one count on another', async () => {
		const other = createDb({ url: `file:${t.dir}/test.db` });
		try {
			const th = new Throttle(2, 60_000);
			const k1 = key();
			await th.fail(t.db, k1, 1000);
			// Another process would have a Throttle object of its own.
			await new Throttle(2, 60_000).fail(other, k1, 1001);
			expect(await th.retryAfter(t.db, k1, 1002)).toBe(59_998);
			expect(await new Throttle(2, 60_000).retryAfter(other, k1, 1002)).toBe(59_998);
		} finally {
			other.$client.close();
		}
	});

	it('now and then deletes every key\'s expired failures', async () => {
		const th = new Throttle(5, 1000);
		const stale = key();
		await th.fail(t.db, stale, 0);
		for (let i = 0; i < 100; i++) await th.fail(t.db, key(), 5000);
		expect(await t.db.select().from(loginFailure).where(eq(loginFailure.key, stale))).toEqual([]);
	});
});

describe('attemptLogin', () => {
	let address = 0;
	/** A client address of its own per test: the address throttle is shared by the module. */
	const from = () => `10.0.0.${++address}`;

	it('lets the right password in, any case of the email', async () => {
		const u = await someone();
		expect(await attemptLogin(t.db, { email: u.email.toUpperCase(), password: PASSWORD, address: from() })).toEqual({ ok: true, userId: u.id });
	});

	it('fails the same way for an unknown email, a wrong password and a disabled account', async () => {
		const u = await someone();
		const off = await someone();
		await users.changeDisabled(t.db, off.id, true);
		const results = [
			await attemptLogin(t.db, { email: 'nobody@example.org', password: PASSWORD, address: from() }),
			await attemptLogin(t.db, { email: u.email, password: 'wrong password!', address: from() }),
			await attemptLogin(t.db, { email: off.email, password: PASSWORD, address: from() })
		];
		for (const r of results) expect(r).toEqual({ ok: false, retryAfterMs: 0 });
	});

	// That an unknown email costs a hash verification like a wrong password: loginHash.test.ts.

	it('throttles an account after 5 failures: even the right password is then refused', async () => {
		const u = await someone();
		for (let i = 0; i < 5; i++) {
			expect(await attemptLogin(t.db, { email: u.email, password: `wrong ${i}`, address: from() })).toEqual({ ok: false, retryAfterMs: 0 });
		}
		const r = await attemptLogin(t.db, { email: u.email, password: PASSWORD, address: from() });
		expect(r.ok).toBe(false);
		expect(r.ok === false && r.retryAfterMs).toBeGreaterThan(14 * 60_000);
		// An unknown email is throttled the same way, so throttling reveals nothing.
		for (let i = 0; i < 5; i++) await attemptLogin(t.db, { email: 'ghost@example.org', password: 'x', address: from() });
		const ghost = await attemptLogin(t.db, { email: 'ghost@example.org', password: 'x', address: from() });
		expect(ghost.ok === false && ghost.retryAfterMs).toBeGreaterThan(0);
	});

	it('throttles an address after 20 failures, whichever accounts they were on', async () => {
		const address = from();
		const u = await someone();
		for (let i = 0; i < 20; i++) await attemptLogin(t.db, { email: `spray${i}@example.org`, password: 'x', address });
		const r = await attemptLogin(t.db, { email: u.email, password: PASSWORD, address });
		expect(r.ok === false && r.retryAfterMs).toBeGreaterThan(0);
		// Another address is not affected.
		expect((await attemptLogin(t.db, { email: u.email, password: PASSWORD, address: from() })).ok).toBe(true);
	});

	it('a success clears the account’s failures', async () => {
		const u = await someone();
		for (let i = 0; i < 4; i++) await attemptLogin(t.db, { email: u.email, password: 'wrong', address: from() });
		expect((await attemptLogin(t.db, { email: u.email, password: PASSWORD, address: from() })).ok).toBe(true);
		for (let i = 0; i < 4; i++) await attemptLogin(t.db, { email: u.email, password: 'wrong', address: from() });
		expect((await attemptLogin(t.db, { email: u.email, password: PASSWORD, address: from() })).ok).toBe(true);
	});
});

describe('createUser', () => {
	async function refused(input: Record<string, unknown>, field: string, message?: RegExp) {
		const before = await t.db.$count(user);
		const e = await users.createUser(t.db, input).catch((x: unknown) => x);
		expect(e).toBeInstanceOf(ValidationError);
		const problem = (e as ValidationError).problems.find((p) => p.path === field);
		expect(problem, `a problem at ${field}`).toBeDefined();
		if (message) expect(problem!.message).toMatch(message);
		expect(await t.db.$count(user)).toBe(before);
	}

	it('lower-cases the email and stores an argon2id hash, not the password', async () => {
		const u = await users.createUser(t.db, { email: '  Mixed.Case@Example.ORG ', name: 'Mixed', role: 'viewer', password: PASSWORD });
		expect(u).toMatchObject({ email: 'mixed.case@example.org', role: 'viewer', disabled: false });
		const [row] = await t.db.select().from(user).where(eq(user.id, u.id));
		expect(row!.passwordHash).toMatch(/^\$argon2id\$/);
		expect(row!.passwordHash).not.toContain(PASSWORD);
	});

	it('refuses a malformed email', () => refused({ email: 'not-an-email', role: 'editor', password: PASSWORD }, 'email', /email/));
	it('refuses a password under 10 characters', () => refused({ email: 'short@example.org', role: 'editor', password: 'short' }, 'password', /10/));
	it('refuses a password over 200 characters', () =>
		refused({ email: 'long@example.org', role: 'editor', password: 'x'.repeat(201) }, 'password', /200/));
	it('refuses an unknown role', () => refused({ email: 'role@example.org', role: 'owner', password: PASSWORD }, 'role'));
	it('refuses an email that already has an account, in any case', async () => {
		await users.createUser(t.db, { email: 'taken@example.org', role: 'editor', password: PASSWORD });
		await refused({ email: 'TAKEN@example.org', role: 'viewer', password: PASSWORD }, 'email', /already/);
	});
});

describe('changeRole and changeDisabled keep an active admin', () => {
	it('refuse to demote or disable the last active admin; allow it while another remains', async () => {
		// Every admin created so far in this file is made an editor, so the two below are the only ones.
		for (const u of await users.list(t.db)) if (u.role === 'admin') await users.setRole(t.db, u.id, 'editor');
		const a = await someone('admin');
		const b = await someone('admin');
		expect(await users.changeRole(t.db, a.id, 'editor')).toEqual({ ok: true });
		expect(await users.changeRole(t.db, b.id, 'viewer')).toEqual({ ok: false, reason: 'last-admin' });
		expect(await users.changeDisabled(t.db, b.id, true)).toEqual({ ok: false, reason: 'last-admin' });
		expect((await users.byId(t.db, b.id))?.role).toBe('admin');
		// A disabled admin does not count as another admin.
		const c = await someone('admin');
		expect(await users.changeDisabled(t.db, c.id, true)).toEqual({ ok: true });
		expect(await users.changeRole(t.db, b.id, 'editor')).toEqual({ ok: false, reason: 'last-admin' });
		// Promoting and enabling are always allowed; then b may step down.
		expect(await users.changeRole(t.db, a.id, 'admin')).toEqual({ ok: true });
		expect(await users.changeRole(t.db, b.id, 'editor')).toEqual({ ok: true });
		expect(await users.changeDisabled(t.db, c.id, false)).toEqual({ ok: true });
	});

	it('two admins demoting each other at once: only one succeeds', async () => {
		for (const u of await users.list(t.db)) if (u.role === 'admin') await users.setRole(t.db, u.id, 'editor');
		const a = await someone('admin');
		const b = await someone('admin');
		const results = await Promise.all([users.changeRole(t.db, a.id, 'editor'), users.changeDisabled(t.db, b.id, true)]);
		expect(results.filter((r) => r.ok)).toHaveLength(1);
		const admins = (await users.list(t.db)).filter((u) => u.role === 'admin' && !u.disabled);
		expect(admins).toHaveLength(1);
	});

	it('say not-found for an unknown user', async () => {
		expect(await users.changeRole(t.db, 999_999, 'viewer')).toEqual({ ok: false, reason: 'not-found' });
		expect(await users.changeDisabled(t.db, 999_999, false)).toEqual({ ok: false, reason: 'not-found' });
	});
});

describe('changePassword', () => {
	let t2: TestDb;
	beforeAll(async () => {
		t2 = await openTestDb();
	});
	afterAll(() => t2.close());

	it('needs the current password, a strong new one typed twice; ends the other sessions only', async () => {
		const u = await users.createUser(t2.db, { email: 'pw@example.org', role: 'viewer', password: 'first-password-1' });
		const keep = await createSession(t2.db, u.id);
		const other = await createSession(t2.db, u.id);
		const problem = async (input: { current: string; next: string; repeat: string }) => {
			try {
				await users.changePassword(t2.db, u.id, input, hashToken(keep.token));
				return null;
			} catch (e) {
				return (e as ValidationError).problems[0]!.path;
			}
		};
		expect(await problem({ current: 'wrong-password-1', next: 'second-password-2', repeat: 'second-password-2' })).toBe('current');
		expect(await problem({ current: 'first-password-1', next: 'short', repeat: 'short' })).toBe('next');
		expect(await problem({ current: 'first-password-1', next: 'second-password-2', repeat: 'second-password-3' })).toBe('repeat');
		// Nothing changed so far: the old password still logs in, both sessions live.
		expect((await attemptLogin(t2.db, { email: 'pw@example.org', password: 'first-password-1', address: 'pw-test' })).ok).toBe(true);
		expect(await validateSession(t2.db, other.token)).not.toBeNull();
		expect(await problem({ current: 'first-password-1', next: 'second-password-2', repeat: 'second-password-2' })).toBeNull();
		expect((await attemptLogin(t2.db, { email: 'pw@example.org', password: 'second-password-2', address: 'pw-test' })).ok).toBe(true);
		expect((await attemptLogin(t2.db, { email: 'pw@example.org', password: 'first-password-1', address: 'pw-test' })).ok).toBe(false);
		expect(await validateSession(t2.db, keep.token)).not.toBeNull();
		expect(await validateSession(t2.db, other.token)).toBeNull();
	});
});

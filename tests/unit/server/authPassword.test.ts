/**
 * /account/password: throttled like logging in, on the same counts (issue 8, finding 2), and the
 * user may revoke their API tokens with the change.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { isHttpError } from '@sveltejs/kit';
import type { Role } from '../../../src/lib/domain/types';

vi.mock('$lib/server/db', async () => {
	const { openTestDb } = await import('./testDb');
	const t = await openTestDb();
	return { db: t.db, close: t.close };
});

const dbModule = (await import('$lib/server/db')) as unknown as typeof import('$lib/server/db') & { close: () => void };
const { db } = dbModule;
const users = await import('../../../src/lib/server/auth/users');
const { attemptLogin, attemptPasswordChange } = await import('../../../src/lib/server/auth/login');
const { ValidationError } = await import('../../../src/lib/server/write');
const passwordPage = await import('../../../src/routes/(app)/account/password/+page.server');

const PASSWORD = 'the first password';
const NEXT = 'the second password';
let n = 0;
type Person = { id: number; email: string; name: string; role: Role };

async function someone(): Promise<Person> {
	return users.createUser(db, { email: `pw${++n}@example.org`, name: `P${n}`, role: 'viewer', password: PASSWORD });
}

/** A fresh client address per test: the address throttle is per process, like in the server. */
const address = () => `192.0.2.${++n}`;

/** The password page's action, posted by `who` from `from`. */
function post(who: Person, from: string, form: Record<string, string>) {
	const url = new URL('http://localhost/account/password');
	const body = new FormData();
	for (const [k, v] of Object.entries(form)) body.set(k, v);
	return passwordPage.actions.default({
		url,
		locals: { user: who, session: null, token: null },
		request: new Request(url, { method: 'POST', body }),
		getClientAddress: () => from,
		cookies: { get: () => undefined }
	} as never);
}

afterAll(() => dbModule.close());

describe('attemptPasswordChange', () => {
	it('after 5 wrong current passwords, refuses even the right one, and changes nothing', async () => {
		const me = await someone();
		const from = address();
		for (let i = 0; i < 5; i++) {
			await expect(
				attemptPasswordChange(db, { user: me, current: `wrong ${i}`, next: NEXT, repeat: NEXT, keepSessionId: null, address: from })
			).rejects.toBeInstanceOf(ValidationError);
		}
		const r = await attemptPasswordChange(db, { user: me, current: PASSWORD, next: NEXT, repeat: NEXT, keepSessionId: null, address: from });
		expect(r.ok).toBe(false);
		expect(r.ok ? 0 : r.retryAfterMs).toBeGreaterThan(60_000);
		// The old password is still the one, and logging in is throttled too: the same budget.
		expect((await attemptLogin(db, { email: me.email, password: PASSWORD, address: address() })).ok).toBe(false);
		expect(await (await import('../../../src/lib/server/auth/password')).verifyPassword((await users.forLogin(db, me.email))!.passwordHash, PASSWORD)).toBe(true);
	});

	it('failed logins count against the password page too', async () => {
		const me = await someone();
		for (let i = 0; i < 5; i++) await attemptLogin(db, { email: me.email, password: `wrong ${i}`, address: address() });
		const r = await attemptPasswordChange(db, { user: me, current: PASSWORD, next: NEXT, repeat: NEXT, keepSessionId: null, address: address() });
		expect(r.ok).toBe(false);
	});

	it('a weak new password is not a failed guess: the right current password is not throttled', async () => {
		const me = await someone();
		const from = address();
		for (let i = 0; i < 6; i++) {
			await expect(attemptPasswordChange(db, { user: me, current: PASSWORD, next: 'short', repeat: 'short', keepSessionId: null, address: from })).rejects.toThrow(
				/next/
			);
		}
		expect(await attemptPasswordChange(db, { user: me, current: PASSWORD, next: NEXT, repeat: NEXT, keepSessionId: null, address: from })).toEqual({
			ok: true,
			revokedTokens: 0
		});
	});
});

describe('/account/password action', () => {
	it('answers 429 with the wait once throttled', async () => {
		const me = await someone();
		const from = address();
		for (let i = 0; i < 5; i++) {
			expect(await post(me, from, { current: `wrong ${i}`, next: NEXT, repeat: NEXT })).toMatchObject({
				status: 400,
				data: { errors: { current: 'is not your current password' } }
			});
		}
		expect(await post(me, from, { current: PASSWORD, next: NEXT, repeat: NEXT })).toMatchObject({
			status: 429,
			data: { message: expect.stringMatching(/^Too many failed attempts\. Try again in \d+ minutes?\.$/) }
		});
	});

	it('revokes the API tokens when asked, and only then', async () => {
		const me = await someone();
		const kept = await users.createToken(db, me.id, { name: 'kept', scope: 'read', expiresInDays: 30 });
		expect(await post(me, address(), { current: PASSWORD, next: NEXT, repeat: NEXT })).toEqual({ changed: true, revokedTokens: 0 });
		expect(await users.validateToken(db, kept.token)).not.toBeNull();
		const other = await users.createToken(db, me.id, { name: 'other', scope: 'write', expiresInDays: 30 });
		expect(await post(me, address(), { current: NEXT, next: PASSWORD, repeat: PASSWORD, revokeTokens: 'on' })).toEqual({ changed: true, revokedTokens: 2 });
		expect(await users.validateToken(db, kept.token)).toBeNull();
		expect(await users.validateToken(db, other.token)).toBeNull();
	});

	it('does not revoke tokens when the change is refused', async () => {
		const me = await someone();
		const t = await users.createToken(db, me.id, { name: 't', scope: 'read', expiresInDays: 30 });
		expect(await post(me, address(), { current: 'wrong', next: NEXT, repeat: NEXT, revokeTokens: 'on' })).toMatchObject({ status: 400, data: { revokeTokens: true } });
		expect(await users.validateToken(db, t.token)).not.toBeNull();
	});

	it('refuses a user who came with an API token', async () => {
		const me = await someone();
		const url = new URL('http://localhost/account/password');
		const body = new FormData();
		for (const [k, v] of Object.entries({ current: PASSWORD, next: NEXT, repeat: NEXT })) body.set(k, v);
		let thrown: unknown;
		try {
			await passwordPage.actions.default({
				url,
				locals: { user: me, session: null, token: { id: 1, scope: 'write' } },
				request: new Request(url, { method: 'POST', body }),
				getClientAddress: () => address(),
				cookies: { get: () => undefined }
			} as never);
		} catch (e) {
			thrown = e;
		}
		expect(isHttpError(thrown) && thrown.status).toBe(403);
	});
});

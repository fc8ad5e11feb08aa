import type { Db } from '../db/client';
import { verifyPassword } from './password';
import { accountThrottle, addressThrottle } from './throttle';
import { changePassword, forLogin, revokeUserTokens } from './users';
import { ValidationError } from '../write/errors';

export type LoginResult =
	| { ok: true; userId: number }
	| { ok: false; retryAfterMs: number };

/**
 * Checks an email and password. Failures say nothing about why (no such account, wrong
 * password, disabled account look the same and take as long); too many failures from an address
 * or for an account are refused for a while.
 */
export async function attemptLogin(db: Db, { email, password, address }: { email: string; password: string; address: string }): Promise<LoginResult> {
	const accountKey = `account:${email.trim().toLowerCase()}`;
	const addressKey = `address:${address}`;
	const wait = Math.max(await accountThrottle.retryAfter(db, accountKey), await addressThrottle.retryAfter(db, addressKey));
	if (wait > 0) return { ok: false, retryAfterMs: wait };
	const found = await forLogin(db, email);
	const valid = await verifyPassword(found?.passwordHash ?? null, password);
	if (!found || !valid || found.disabledAt !== null) {
		await accountThrottle.fail(db, accountKey);
		await addressThrottle.fail(db, addressKey);
		return { ok: false, retryAfterMs: 0 };
	}
	await accountThrottle.reset(db, accountKey);
	return { ok: true, userId: found.id };
}

export type PasswordChangeResult = { ok: true; revokedTokens: number } | { ok: false; retryAfterMs: number };

/**
 * Changes a signed-in user's password (see `changePassword`), throttled like logging in and on the
 * same counts: a wrong current password is a failed login for the account and the address, so a
 * stolen session cannot guess the password at /account/password either. With `revokeTokens`, the
 * user's API tokens are revoked too (their sessions but this one end in any case).
 * @throws ValidationError naming the field (wrong current password, weak or mismatched new one).
 */
export async function attemptPasswordChange(
	db: Db,
	{
		user,
		current,
		next,
		repeat,
		keepSessionId,
		revokeTokens = false,
		address
	}: {
		user: { id: number; email: string };
		current: string;
		next: string;
		repeat: string;
		keepSessionId: string | null;
		revokeTokens?: boolean;
		address: string;
	}
): Promise<PasswordChangeResult> {
	const accountKey = `account:${user.email.trim().toLowerCase()}`;
	const addressKey = `address:${address}`;
	const wait = Math.max(await accountThrottle.retryAfter(db, accountKey), await addressThrottle.retryAfter(db, addressKey));
	if (wait > 0) return { ok: false, retryAfterMs: wait };
	try {
		await changePassword(db, user.id, { current, next, repeat }, keepSessionId);
	} catch (e) {
		if (e instanceof ValidationError && e.problems.some((p) => p.path === 'current')) {
			await accountThrottle.fail(db, accountKey);
			await addressThrottle.fail(db, addressKey);
		}
		throw e;
	}
	await accountThrottle.reset(db, accountKey);
	return { ok: true, revokedTokens: revokeTokens ? await revokeUserTokens(db, user.id) : 0 };
}

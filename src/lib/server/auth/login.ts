import type { Db } from '../db/client';
import { verifyPassword } from './password';
import { accountThrottle, addressThrottle } from './throttle';
import { forLogin } from './users';

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
	const wait = Math.max(accountThrottle.retryAfter(accountKey), addressThrottle.retryAfter(addressKey));
	if (wait > 0) return { ok: false, retryAfterMs: wait };
	const found = await forLogin(db, email);
	const valid = await verifyPassword(found?.passwordHash ?? null, password);
	if (!found || !valid || found.disabledAt !== null) {
		accountThrottle.fail(accountKey);
		addressThrottle.fail(addressKey);
		return { ok: false, retryAfterMs: 0 };
	}
	accountThrottle.reset(accountKey);
	return { ok: true, userId: found.id };
}

import { and, asc, desc, eq, gt, lt } from 'drizzle-orm';
import type { Db } from '../db/client';
import { loginFailure } from '../db/schema';

/**
 * Counts failed logins per key (a client address, an account) in a sliding window. A key over its
 * limit is refused until its oldest counted failure leaves the window. The failures are rows in
 * the database (table login_failure), so every app instance on one database counts the same
 * ones: five failures through instance A throttle the account on instance B too.
 *
 * Expiry: reads only count failures inside the window; recording a failure deletes the key's rows
 * that left the window, and now and then (every CLEANUP_EVERY failures) every key's.
 */
export class Throttle {
	private failuresSinceCleanup = 0;

	constructor(
		private readonly limit: number,
		private readonly windowMs: number
	) {}

	/** Milliseconds until the key may try again; 0 when it may now. */
	async retryAfter(db: Db, key: string, now = Date.now()): Promise<number> {
		// The newest `limit` failures in the window (an index range on (key, at)).
		const rows = await db
			.select({ at: loginFailure.at })
			.from(loginFailure)
			.where(and(eq(loginFailure.key, key), gt(loginFailure.at, now - this.windowMs)))
			.orderBy(desc(loginFailure.at))
			.limit(this.limit);
		if (rows.length < this.limit) return 0;
		const oldest = rows[rows.length - 1]!.at;
		return Math.max(0, this.windowMs - (now - oldest));
	}

	async fail(db: Db, key: string, now = Date.now()): Promise<void> {
		const expired = lt(loginFailure.at, now - this.windowMs + 1);
		const everyKey = ++this.failuresSinceCleanup >= CLEANUP_EVERY;
		if (everyKey) this.failuresSinceCleanup = 0;
		await db.batch([
			db.delete(loginFailure).where(everyKey ? expired : and(eq(loginFailure.key, key), expired)),
			db.insert(loginFailure).values({ key, at: now })
		]);
	}

	async reset(db: Db, key: string): Promise<void> {
		await db.delete(loginFailure).where(eq(loginFailure.key, key));
	}

	/** The failures counted now for a key, oldest first (for tests and the admin's curiosity). */
	async failures(db: Db, key: string, now = Date.now()): Promise<number[]> {
		const rows = await db
			.select({ at: loginFailure.at })
			.from(loginFailure)
			.where(and(eq(loginFailure.key, key), gt(loginFailure.at, now - this.windowMs)))
			.orderBy(asc(loginFailure.at));
		return rows.map((r) => r.at);
	}
}

/** How many failures (per process) between deletions of every key's expired rows. */
const CLEANUP_EVERY = 100;

const MINUTE = 60_000;
/** Login throttles: 5 failures an account, 20 an address, in 15 minutes. */
export const accountThrottle = new Throttle(5, 15 * MINUTE);
export const addressThrottle = new Throttle(20, 15 * MINUTE);

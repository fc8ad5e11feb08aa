/**
 * Counts failed logins per key (a client address, an account) in a sliding window. A key over its
 * limit is refused until its oldest failure leaves the window. In memory: per server process.
 */
export class Throttle {
	private failures = new Map<string, number[]>();
	constructor(
		private readonly limit: number,
		private readonly windowMs: number
	) {}

	private recent(key: string, now: number): number[] {
		const list = (this.failures.get(key) ?? []).filter((t) => now - t < this.windowMs);
		if (list.length) this.failures.set(key, list);
		else this.failures.delete(key);
		return list;
	}

	/** Milliseconds until the key may try again; 0 when it may now. */
	retryAfter(key: string, now = Date.now()): number {
		const list = this.recent(key, now);
		return list.length >= this.limit ? this.windowMs - (now - list[list.length - this.limit]!) : 0;
	}

	fail(key: string, now = Date.now()): void {
		this.failures.set(key, [...this.recent(key, now), now]);
	}

	reset(key: string): void {
		this.failures.delete(key);
	}
}

const MINUTE = 60_000;
/** Login throttles: 5 failures an account, 20 an address, in 15 minutes. */
export const accountThrottle = new Throttle(5, 15 * MINUTE);
export const addressThrottle = new Throttle(20, 15 * MINUTE);

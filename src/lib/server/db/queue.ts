import { DatabaseBusyError, WRITE_WAIT_MS, isBusy, sleep } from './busy';

/**
 * One in-process write queue per database client. libSQL's interactive transactions block other
 * writers on the same client, so every write goes through `db.batch` (all or nothing), one at a
 * time, in the order it was asked for.
 *
 * When another process holds the lock, a write is tried again on timers (never blocking the event
 * loop) until WRITE_WAIT_MS after it was asked for, then refused with DatabaseBusyError. The whole
 * `work` runs again each time, reads included: a batch that failed wrote nothing. A write that
 * waited its time behind others still gets one try, so a lock released meanwhile costs nothing.
 */
const tails = new WeakMap<object, Promise<unknown>>();

export function enqueueWrite<T>(key: object, work: () => Promise<T>, waitMs = WRITE_WAIT_MS): Promise<T> {
	const deadline = Date.now() + waitMs;
	const attempt = async (): Promise<T> => {
		for (let tries = 0; ; tries++) {
			try {
				return await work();
			} catch (e) {
				if (!isBusy(e) || e instanceof DatabaseBusyError) throw e;
				const left = deadline - Date.now();
				if (left <= 0) throw new DatabaseBusyError(e);
				await sleep(Math.min(left, 25 + 25 * Math.min(tries, 4)));
			}
		}
	};
	const previous = tails.get(key) ?? Promise.resolve();
	const next = previous.then(attempt, attempt);
	// Keep the chain alive whatever this write's outcome; the caller sees the real result.
	tails.set(
		key,
		next.catch(() => undefined)
	);
	return next;
}

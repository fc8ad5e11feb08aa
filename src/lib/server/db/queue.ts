/**
 * One in-process write queue per database client. libSQL's interactive transactions block other
 * writers on the same client, so every write goes through `db.batch` (all or nothing), one at a
 * time, in the order it was asked for.
 */
const tails = new WeakMap<object, Promise<unknown>>();

export function enqueueWrite<T>(key: object, work: () => Promise<T>): Promise<T> {
	const previous = tails.get(key) ?? Promise.resolve();
	const next = previous.then(work, work);
	// Keep the chain alive whatever this write's outcome; the caller sees the real result.
	tails.set(
		key,
		next.catch(() => undefined)
	);
	return next;
}

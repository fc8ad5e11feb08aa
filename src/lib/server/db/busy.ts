/**
 * When another process holds the database (a CLI import, a `sqlite3` shell, a backup): how long
 * we wait, how we tell, and what a caller is told.
 *
 * SQLite's own busy wait runs inside the native call, on the only JavaScript thread: a 5 s busy
 * timeout froze the whole server for 5 s per query. So SQLite waits only briefly (BUSY_TIMEOUT_MS),
 * and writes retry on timers, never blocking, until WRITE_WAIT_MS after they were asked for;
 * then they are refused with DatabaseBusyError, which the server answers with 503 and Retry-After.
 * In WAL mode (set at start-up, see migrate.ts) reads do not wait for a writer at all.
 */

/** SQLite's busy timeout per statement, in ms: short, because it blocks the event loop. */
export const BUSY_TIMEOUT_MS = 40;
/** How long a write may wait for the lock, from when it was asked for, before it is refused. */
export const WRITE_WAIT_MS = 500;
/** What a refused caller is told to wait before trying again, in seconds. */
export const RETRY_AFTER_S = 2;

/** True for SQLite's "database is locked" (SQLITE_BUSY, SQLITE_LOCKED), however wrapped. */
export function isBusy(e: unknown): boolean {
	for (let x: unknown = e, depth = 0; x && depth < 6; x = (x as { cause?: unknown }).cause, depth++) {
		if (x instanceof DatabaseBusyError) return true;
		const code = (x as { code?: unknown }).code;
		if (typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(code)) return true;
		const message = (x as { message?: unknown }).message;
		if (typeof message === 'string' && /SQLITE_BUSY|database is locked/.test(message)) return true;
	}
	return false;
}

/** The database stayed locked by someone else for longer than a request may wait. Nothing was written. */
export class DatabaseBusyError extends Error {
	readonly retryAfter = RETRY_AFTER_S;
	constructor(cause?: unknown) {
		super('the database is busy (another process holds it); nothing was written, try again shortly', { cause });
		this.name = 'DatabaseBusyError';
	}
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

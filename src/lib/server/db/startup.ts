import type { Db } from './client';

/** How long a claim holds before another instance may take it over (its holder died). */
export const CLAIM_LEASE_MS = 5 * 60_000;

/**
 * Runs a start-up job on one instance only, of several starting at once on one database: the
 * instance whose conditional insert into startup_claim succeeds runs it; the others wait until it
 * is done (at most `waitMs`) and return null, so no instance serves before the job is over. The claim is deleted when the job ends (so a later start may run it again, say to seed
 * a database emptied since), and taken over when older than the lease (its instance died).
 */
export async function runOnce<T>(db: Db, name: string, job: () => Promise<T>, { now = Date.now(), leaseMs = CLAIM_LEASE_MS, waitMs = 120_000 } = {}): Promise<T | null> {
	const claimed = await db.$client.execute({
		sql: 'insert into startup_claim (name, at) values (?, ?) on conflict (name) do update set at = excluded.at where startup_claim.at < ?',
		args: [name, now, now - leaseMs]
	});
	if (claimed.rowsAffected !== 1) {
		const until = Date.now() + waitMs;
		while (Date.now() < until) {
			const held = await db.$client.execute({ sql: 'select 1 from startup_claim where name = ?', args: [name] });
			if (held.rows.length === 0) break;
			await new Promise((r) => setTimeout(r, 200));
		}
		return null;
	}
	try {
		return await job();
	} finally {
		await db.$client.execute({ sql: 'delete from startup_claim where name = ? and at = ?', args: [name, now] });
	}
}

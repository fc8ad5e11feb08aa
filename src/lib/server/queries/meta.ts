import { sql } from 'drizzle-orm';
import type { Db } from '../db/client';

/** Changes whenever actors, issues or events change: a key for caches of rendered views. */
export async function dataVersion(db: Db): Promise<string> {
	const rows = await db.all<{ v: string }>(sql`
		select (select count(*) || ':' || coalesce(max(updated_at), '') from stance_event)
			|| '|' || (select count(*) || ':' || coalesce(max(updated_at), '') from actor)
			|| '|' || (select count(*) || ':' || coalesce(max(updated_at), '') from issue) as v`);
	return rows[0]?.v ?? '';
}

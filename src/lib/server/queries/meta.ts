import type { Db } from '../db/client';
import { readerFor } from '../db/reader';

/** Scopes of the data version (table data_version, bumped by triggers: drizzle/0003). */
export const DATA_SCOPE = {
	/** Any write to actors (names, colours, parents, deletions: every view shows them). */
	actors: -1
	// Any other scope is an issue's id: its row, scale labels, events and their sources.
} as const;

// Counters only grow and every write bumps one, so their sum moves on every write. The table has
// a row per issue plus one: summing it is a lookup, not a scan of the data.
const ALL_SQL = 'select sum(n) from data_version';

/**
 * The version of all the data: counters bumped in the same transaction as every write, by
 * whatever wrote it, summed (one row per issue); a key for caches and ETags of views that may show
 * anything (the home page, actor pages).
 */
export async function dataVersion(db: Db): Promise<string> {
	const row = await readerFor(db).get(ALL_SQL);
	return `a${row?.[0] ?? 0}`;
}

const issueSql = (n: number) =>
	`select group_concat(scope || ':' || n, '.') from (select d.scope, d.n from data_version d where d.scope = -1 or d.scope in (select id from issue where slug in (${Array(n).fill('?').join(',')})) order by d.scope)`;

/**
 * The version of what a view of these issues shows: the issues (their rows, scale labels, events
 * and sources) and the actors. A write to another issue leaves it as it is. With no issues
 * named, the version of all the data. One statement of primary-key lookups.
 */
export async function viewVersion(db: Db, issues: readonly string[]): Promise<string> {
	if (issues.length === 0) return dataVersion(db);
	const wanted = [...new Set(issues)].sort();
	const row = await readerFor(db).get(issueSql(wanted.length), wanted);
	// Slugs are part of the key: a slug that does not exist yet and then does changes the set.
	return `i${row?.[0] ?? ''}|${wanted.join(',')}`;
}

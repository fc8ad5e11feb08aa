/** Context events (see domain/context.ts): the live ones of some issues, and one by id. */
import type { Db } from '../db/client';
import { readerFor } from '../db/reader';
import type { ContextEvent } from '../../domain/context';
import { deltaAt } from './asofDelta';
import type { DatePrecision } from '../../domain/types';

const COLUMNS = `c.id, i.slug, c.date, c.date_precision, c.end_date, c.label, c.outlet, c.source_title, c.source_url, c.source_published_on, c.version`;

const rowOf = (r: unknown[]): ContextEvent => ({
	id: Number(r[0]),
	issue: String(r[1]),
	date: String(r[2]),
	datePrecision: r[3] as DatePrecision,
	endDate: (r[4] as string | null) ?? null,
	label: String(r[5]),
	source: { outlet: String(r[6]), title: (r[7] as string | null) ?? null, url: (r[8] as string | null) ?? null, publishedOn: (r[9] as string | null) ?? null },
	version: Number(r[10])
});

const forIssuesSql = (n: number, asof: boolean) =>
	`select ${COLUMNS}${asof ? ', c.created_at, c.deleted_at' : ''} from context_event c join issue i on i.id = c.issue_id
	where ${asof ? '1' : 'c.deleted_at is null and i.deleted_at is null'}
	and i.slug in (${Array(n).fill('?').join(',')}) order by c.date, c.id`;

/**
 * The live context events of these issues (by slug), in date order. A seek per issue on
 * (issue_id, date). With `asof` (an ISO date-time), those in the record then, as they read then:
 * today's rows recorded by then, with the ones changed since (edited, deleted, restored) set back
 * from the history (see queries/asofDelta.ts).
 */
export async function forIssues(db: Db, issues: readonly string[], asof: string | null = null): Promise<ContextEvent[]> {
	const wanted = [...new Set(issues)];
	if (!wanted.length) return [];
	const [rows, delta] = await Promise.all([readerFor(db).all(forIssuesSql(wanted.length, asof !== null), wanted), asof ? deltaAt(db, asof) : null]);
	if (!delta) return rows.map(rowOf);
	const then = rows.flatMap((r) => {
		const id = Number(r[0]);
		if (delta.context.has(id)) {
			const c = delta.context.get(id);
			return c && wanted.includes(c.issue) ? [c] : [];
		}
		return String(r[11]) <= delta.asof && r[12] === null ? [rowOf(r)] : [];
	});
	return then.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id - b.id));
}

/** One context event by id, deleted ones too (then `deleted` is true). */
export async function byId(db: Db, id: number): Promise<(ContextEvent & { deleted: boolean }) | null> {
	const rs = await db.$client.execute({
		sql: `select ${COLUMNS}, c.deleted_at from context_event c join issue i on i.id = c.issue_id where c.id = ?`,
		args: [id]
	});
	const r = rs.rows[0];
	if (!r) return null;
	return { ...rowOf(Array.from(r)), deleted: r[11] !== null };
}

/** The deleted context events of an issue, newest deletion first (for the editor's restore list). */
export async function deletedOf(db: Db, issue: string): Promise<(ContextEvent & { deletedAt: string })[]> {
	const rs = await db.$client.execute({
		sql: `select ${COLUMNS}, c.deleted_at from context_event c join issue i on i.id = c.issue_id where i.slug = ? and c.deleted_at is not null order by c.deleted_at desc`,
		args: [issue]
	});
	return rs.rows.map((r) => ({ ...rowOf(Array.from(r)), deletedAt: String(r[11]) }));
}

/**
 * The full reconstruction of the record as of a moment, kept in the tests as the reference the
 * bounded reads (src/lib/server/pages/asof.ts, queries/asofRead.ts) are checked against: nothing in
 * the app reads this way any longer.
 */
import type { Db } from '../../../src/lib/server/db/client';
import { normalAt } from '../../../src/lib/domain/asof';
import { deltaAt, eventPresent, presentSql, type AsOfDelta } from '../../../src/lib/server/queries/asofDelta';
import { sourcesOfEvents } from '../../../src/lib/server/queries/eventRows';
import type { StanceEvent } from '../../../src/lib/domain/types';

export type Filter = { actors?: readonly string[]; issues?: readonly string[]; involving?: string };

const ROW_SQL = `select e.id, a.slug, i.slug, sp.slug, tg.slug, e.date, e.date_precision, e.position, e.position_low, e.position_high,
		e.kind, e.summary, e.quote, e.quote_language, e.confidence, e.created_at, e.deleted_at
	from stance_event e join actor a on a.id = e.actor_id join issue i on i.id = e.issue_id
	left join actor sp on sp.id = e.speaker_id left join actor tg on tg.id = e.target_id`;

/**
 * Today's rows in scope, deleted ones too, without sources, of the actors and issues in the record
 * at the delta's moment (deleted since or not).
 */
async function rowsInScope(db: Db, f: Filter, delta: AsOfDelta): Promise<{ event: StanceEvent; deleted: boolean }[]> {
	const present = presentSql(delta, 'a', 'i');
	let sql = `${ROW_SQL} where ${present.sql}`;
	const args: string[] = [...present.args];
	const list = (col: string, table: 'actor' | 'issue', slugs: readonly string[]) => {
		sql += ` and ${col} in (select id from ${table} where slug in (${slugs.map(() => '?').join(',')}))`;
		args.push(...slugs);
	};
	if (f.actors?.length) list('e.actor_id', 'actor', f.actors);
	if (f.issues?.length) list('e.issue_id', 'issue', f.issues);
	if (f.involving) {
		sql += ' and (e.actor_id = (select id from actor where slug = ?) or e.speaker_id = (select id from actor where slug = ?))';
		args.push(f.involving, f.involving);
	}
	const rs = await db.$client.execute({ sql, args });
	return rs.rows.map((row) => {
		const r = row as unknown as unknown[];
		const event: StanceEvent = {
			id: Number(r[0]),
			actor: String(r[1]),
			issue: String(r[2]),
			speaker: r[3] as string | null,
			target: r[4] as string | null,
			date: String(r[5]),
			datePrecision: r[6] as StanceEvent['datePrecision'],
			position: Number(r[7]),
			...(r[8] != null && r[9] != null ? { positionLow: Number(r[8]), positionHigh: Number(r[9]) } : {}),
			kind: r[10] as StanceEvent['kind'],
			summary: String(r[11]),
			quote: r[12] as string | null,
			quoteLanguage: r[13] as string | null,
			confidence: r[14] as StanceEvent['confidence'],
			createdAt: String(r[15]),
			sources: []
		};
		return { event, deleted: r[16] !== null };
	});
}

/**
 * The events of some actors and issues as the record stood at `asof` (an ISO date-time from
 * `parseAsOf`), rebuilt whole: the reference the bounded reads (pages/asof.ts, queries/asofRead.ts)
 * are tested against. Today's rows (deleted ones too) recorded by then, with every record changed since
 * set back to its state at `asof` from the history, on the actors and issues in the record then
 * (one deleted since is; one deleted then and restored since is not). Cost: one read of the events in scope plus
 * the history written after `asof`, however long the history before it. Events set back from the
 * history carry their sources as they then were, the others today's.
 */
export async function eventsAsOf(db: Db, filter: Filter, asof: string): Promise<StanceEvent[]> {
	const delta = await deltaAt(db, asof);
	const rows = await rowsInScope(db, filter, delta);
	const out: StanceEvent[] = [];
	// An event set back from the history shows when its actor and issue were in the record then.
	const wanted = (e: StanceEvent) =>
		eventPresent(delta, e) &&
		(!filter.actors?.length || filter.actors.includes(e.actor)) &&
		(!filter.issues?.length || filter.issues.includes(e.issue)) &&
		(!filter.involving || e.actor === filter.involving || e.speaker === filter.involving);
	const asIs: StanceEvent[] = [];
	const seen = new Set<number>();
	for (const { event: e, deleted } of rows) {
		seen.add(e.id);
		if (delta.events.has(e.id)) {
			const then = delta.events.get(e.id);
			if (then && wanted(then)) out.push(then);
			continue;
		}
		if (normalAt(e.createdAt) > asof) continue;
		if (!deleted) {
			out.push(e);
			asIs.push(e);
		}
	}
	// An event moved since (to another actor or issue) is not among today's rows in scope.
	for (const [id, then] of delta.events) if (then && !seen.has(id) && wanted(then)) out.push(then);
	// Today's sources of the events as they are (those set back from the history carry theirs).
	const sources = await sourcesOfEvents(db, asIs.map((e) => e.id));
	for (const e of asIs) e.sources = sources.get(e.id) ?? [];
	// An event set back may have had another date then: series order again.
	return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0) || (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0) || a.id - b.id);
}

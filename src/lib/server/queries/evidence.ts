import type { Db } from '../db/client';
import { readerFor } from '../db/reader';
import type { CurrentRun, DatedPoint } from '../../domain/evidence';
import type { DatePrecision } from '../../domain/types';

/**
 * The current stance of one actor on one issue, read in parts with index-backed SQL (the
 * (actor_id, issue_id, date) index, from the newest end): never the actor's whole series.
 *
 * The stance is the latest live event's position; it began after the newest event whose position
 * differs by at least the issue's minimum move (any difference when that is 0, as the change
 * records count it). With a minimum move above 0 the change records measure moves from a stance's
 * first position; read backward, this measures them from the latest one, which can differ when
 * small moves drift.
 */

const PAIR = 'actor_id = ? and issue_id = ? and deleted_at is null';
const NEWEST = 'order by date desc, created_at desc, id desc limit 1';
// Events after the boundary (date, created_at, id), in series order; '' and 0 for "from the start".
const AFTER = 'date >= ? and (date > ? or created_at > ? or (created_at = ? and id > ?))';

const LATEST_SQL = `select id, date, date_precision, position from stance_event where ${PAIR} ${NEWEST}`;
const BOUNDARY_ANY_SQL = `select date, created_at, id from stance_event where ${PAIR} and position <> ? ${NEWEST}`;
const BOUNDARY_MOVE_SQL = `select date, created_at, id from stance_event where ${PAIR} and abs(position - ?) >= ? ${NEWEST}`;
const COUNT_SQL = `
select count(*),
	(select count(distinct lower(trim(s.outlet)) || char(0) || lower(trim(coalesce(s.title, ''))) || char(0) || lower(trim(coalesce(s.url, ''))))
	 from source s where s.event_id in (select id from stance_event where ${PAIR} and ${AFTER}))
from stance_event where ${PAIR} and ${AFTER}`;
const HEAD_SQL = `select id, date, date_precision, position from stance_event where ${PAIR} and ${AFTER} order by date, created_at, id limit ?`;

/** Events read from the start of a stance: enough to date it (an approximate first event and the exact one within its period). */
const HEAD = 32;

type PointRow = [number, string, DatePrecision, number];
const point = ([eventId, date, datePrecision, position]: PointRow): DatedPoint => ({ eventId, date, datePrecision, position });

/** The current stance of an actor (by id) on an issue (by id), or null for no known position. */
export async function currentRun(db: Db, actorId: number, issueId: number, minMove = 0): Promise<CurrentRun | null> {
	const r = readerFor(db);
	const latest = (await r.get(LATEST_SQL, [actorId, issueId])) as PointRow | undefined;
	if (!latest) return null;
	const position = latest[3];
	const boundary = (
		minMove > 0 ? await r.get(BOUNDARY_MOVE_SQL, [actorId, issueId, position, minMove]) : await r.get(BOUNDARY_ANY_SQL, [actorId, issueId, position])
	) as [string, string, number] | undefined;
	const [date, createdAt, id] = boundary ?? ['', '', 0];
	const after = [date, date, createdAt, createdAt, id];
	const [counts, head] = await Promise.all([
		r.get(COUNT_SQL, [actorId, issueId, ...after, actorId, issueId, ...after]),
		r.all(HEAD_SQL, [actorId, issueId, ...after, HEAD])
	]);
	const [events, sources] = counts as [number, number];
	return { head: (head as PointRow[]).map(point), last: point(latest), events: Number(events), sources: Number(sources) };
}

/** The current stances of many (actor, issue) pairs, keyed `actorId:issueId`. */
export async function currentRuns(
	db: Db,
	pairs: readonly { actorId: number; issueId: number; minMove?: number }[]
): Promise<Map<string, CurrentRun | null>> {
	const out = new Map<string, CurrentRun | null>();
	for (const p of pairs) {
		const key = `${p.actorId}:${p.issueId}`;
		if (!out.has(key)) out.set(key, await currentRun(db, p.actorId, p.issueId, p.minMove ?? 0));
	}
	return out;
}

import type { Db } from '../db/client';
import { readerFor } from '../db/reader';
import type { DatePrecision } from '../../domain/types';

/**
 * The home page's reads, which touch only the rows they show: the latest stances per issue and
 * the latest changes, found by walking indexes from the newest end, never by loading events.
 */

export interface LatestStance {
	actorId: number;
	eventId: number;
	date: string;
	datePrecision: DatePrecision;
	position: number;
}

export interface IssueStances {
	/** Live actors with events on the issue (an actor whose events there are all deleted still counts). */
	actors: number;
	/** The `perIssue` actors whose latest stance is newest, each with that stance, newest first. */
	latest: LatestStance[];
}

// Each live actor's last date on each live issue: one probe of the (actor_id, issue_id, date)
// index per pair, inside SQLite (no event rows are read). 25,000 pairs: about 40 ms unloaded.
const LAST_DATES_SQL = `
with pairs as materialized (
	select i.id as issue_id, a.id as actor_id,
		(select max(e.date) from stance_event e where e.actor_id = a.id and e.issue_id = i.id) as last
	from issue i, actor a
	where i.deleted_at is null and a.deleted_at is null
)
select issue_id, actor_id, last from pairs where last is not null`;
// An actor's latest live event on an issue: a seek from the newest end.
const LATEST_SQL =
	'select id, date, date_precision, position from stance_event where actor_id = ? and issue_id = ? and deleted_at is null order by date desc, created_at desc, id desc limit 1';

/** Per live issue (by id): how many actors hold a stance, and the newest `perIssue` stances. */
export async function latestStances(db: Db, { perIssue = 8 }: { perIssue?: number } = {}): Promise<Map<number, IssueStances>> {
	const r = readerFor(db);
	const byIssue = new Map<number, { actorId: number; last: string }[]>();
	for (const [issueId, actorId, last] of (await r.all(LAST_DATES_SQL)) as [number, number, string][]) {
		let list = byIssue.get(issueId);
		if (!list) byIssue.set(issueId, (list = []));
		list.push({ actorId, last });
	}
	const out = new Map<number, IssueStances>();
	for (const [issueId, list] of byIssue) {
		list.sort((x, y) => (x.last < y.last ? 1 : x.last > y.last ? -1 : x.actorId - y.actorId));
		const latest: LatestStance[] = [];
		// A little extra, for actors whose last events were deleted.
		for (const { actorId } of list.slice(0, perIssue + 4)) {
			const row = (await r.get(LATEST_SQL, [actorId, issueId])) as [number, string, DatePrecision, number] | undefined;
			if (row) latest.push({ actorId, eventId: row[0], date: row[1], datePrecision: row[2], position: row[3] });
		}
		latest.sort((x, y) => (x.date < y.date ? 1 : x.date > y.date ? -1 : y.eventId - x.eventId));
		out.set(issueId, { actors: list.length, latest: latest.slice(0, perIssue) });
	}
	return out;
}

// The newest events (event_date_idx from the newest end) whose previous event in the same series
// holds another position: each is where a stance changed. The previous event is one seek on
// (actor_id, issue_id, date). The walk stops after `scan` events, so its cost is bounded.
const CHANGE_EVENTS_SQL = `
select e.id, e.actor_id, e.issue_id from (
	select id, actor_id, issue_id, date, created_at, position from stance_event
	where deleted_at is null
	order by date desc, created_at desc, id desc
	limit ?
) e
where e.actor_id not in (select id from actor where deleted_at is not null)
	and e.issue_id in (select id from issue where deleted_at is null)
	and (
		select p.position from stance_event p
		where p.actor_id = e.actor_id and p.issue_id = e.issue_id and p.deleted_at is null
			and p.date <= e.date and (p.date < e.date or p.created_at < e.created_at or (p.created_at = e.created_at and p.id < e.id))
		order by p.date desc, p.created_at desc, p.id desc limit 1
	) <> e.position
limit ?`;

// The newest events of a series: the context that classes its latest changes.
const TAIL_SQL =
	'select id from stance_event where actor_id = ? and issue_id = ? and deleted_at is null order by date desc, created_at desc, id desc limit ?';

/**
 * The series where a stance moved most recently (newest first, as (actor, issue) ids), each with
 * the ids of its newest events (at most `context`): enough to derive and class its latest changes.
 */
export async function recentChanges(
	db: Db,
	{ limit = 12, scan = 50_000, context = 200 }: { limit?: number; scan?: number; context?: number } = {}
): Promise<{ actorId: number; issueId: number; tail: number[] }[]> {
	const r = readerFor(db);
	const found = (await r.all(CHANGE_EVENTS_SQL, [scan, limit])) as [number, number, number][];
	const out: { actorId: number; issueId: number; tail: number[] }[] = [];
	const seen = new Set<string>();
	for (const [, actorId, issueId] of found) {
		const key = `${actorId}:${issueId}`;
		if (seen.has(key)) continue;
		seen.add(key);
		const tail = (await r.all(TAIL_SQL, [actorId, issueId, context])).map((row) => row[0] as number);
		out.push({ actorId, issueId, tail });
	}
	return out;
}

// Every live actor's latest live event on one issue: one seek per actor, from the newest end.
const LATEST_ON_ISSUE_SQL = `
select a.id, e.id, e.date, e.date_precision, e.position
from actor a join stance_event e on e.id = (
	select x.id from stance_event x
	where x.actor_id = a.id and x.issue_id = ? and x.deleted_at is null
	order by x.date desc, x.created_at desc, x.id desc limit 1
)
where a.deleted_at is null`;

/** The current stance of every actor on one issue (its latest live event), newest first. */
export async function latestOnIssue(db: Db, issueId: number): Promise<LatestStance[]> {
	const rows = (await readerFor(db).all(LATEST_ON_ISSUE_SQL, [issueId])) as [number, number, string, DatePrecision, number][];
	return rows
		.map(([actorId, eventId, date, datePrecision, position]) => ({ actorId, eventId, date, datePrecision, position }))
		.sort((x, y) => (x.date < y.date ? 1 : x.date > y.date ? -1 : y.eventId - x.eventId));
}

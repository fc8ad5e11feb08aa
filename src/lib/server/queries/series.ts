import type { Db } from '../db/client';
import { buildSeries, type Series } from '../../domain/series';
import { periodStart } from '../../domain/dates';
import type { Actor, DatePrecision, Issue, StanceEvent } from '../../domain/types';
import { readerFor } from '../db/reader';
import * as actors from './actors';
import * as events from './events';
import * as issues from './issues';

export type IssueSeries =
	| { ok: true; issue: Issue; series: Series[]; events: StanceEvent[]; actors: Actor[] }
	| { ok: false; error: string };

/**
 * One issue's series: for the given actors in the order given, or with no actors for every actor
 * that has events on the issue (by name). Unknown slugs are an error naming them.
 */
export async function forIssue(
	db: Db,
	{ issue: slug, actors: wanted }: { issue: string; actors?: readonly string[] }
): Promise<IssueSeries> {
	const [issue, allActors] = await Promise.all([issues.bySlug(db, slug), actors.list(db)]);
	if (!issue) return { ok: false, error: `unknown issue "${slug}"` };
	const bySlug = new Map(allActors.map((a) => [a.slug, a]));
	const unknown = (wanted ?? []).filter((s) => !bySlug.has(s));
	if (unknown.length) return { ok: false, error: `unknown actor${unknown.length > 1 ? 's' : ''} ${unknown.map((s) => `"${s}"`).join(', ')}` };
	const { events: list } = await events.list(db, { issue: slug, actors: wanted });
	let series = buildSeries({ events: list });
	if (wanted) {
		const order = new Map(wanted.map((s, i) => [s, i]));
		series = series.sort((a, b) => order.get(a.actor)! - order.get(b.actor)!);
	} else {
		series = series.sort((a, b) => bySlug.get(a.actor)!.name.localeCompare(bySlug.get(b.actor)!.name));
	}
	return { ok: true, issue, series, events: list, actors: allActors };
}

// ---------------------------------------------------------------------------------------------
// Compact series for charts and /api/series: plain SQL through the reader (statements reused,
// rows as arrays), four columns a point, one index seek per actor.

/** A chart point: enough to draw it; the event's quote, speaker and sources are fetched on hover. */
export interface CompactPoint {
	date: string;
	datePrecision: DatePrecision;
	position: number;
	/** The event's uncertainty interval, or null when it has none. */
	positionLow: number | null;
	positionHigh: number | null;
	eventId: number;
}

export interface CompactSeries {
	actor: string;
	points: CompactPoint[];
}

/** An issue with its database id, for the queries that follow. */
export type IssueRef = Issue & { id: number };
export interface ActorRef {
	id: number;
	slug: string;
	name: string;
}

const ISSUE_SQL = 'select id, slug, title, description, scale_min, scale_max from issue where slug = ? and deleted_at is null';
const LABELS_SQL = 'select value, label from scale_label where issue_id = ? order by value';
const LIVE_ACTORS_SQL = 'select id, slug, name from actor where deleted_at is null';
// The covering series index (actor_id, issue_id, date, created_at, id, ...): a seek, then the rows in series order. The
// points come back as one text (fields split by ',', points by ';'): the driver spends about 1 us
// on every row and value it hands to JavaScript, which made a 7,000-event series cost 11 ms of
// CPU as rows and about 4 ms as one text. Reals are printed with 17 significant digits, so
// every position reads back exactly. (group_concat takes the rows in the subquery's order.)
const real = (col: string) => `iif(${col} is null, '', printf('%!.17g', ${col}))`;
const ACTOR_POINTS_SQL = `select group_concat(printf('%s,%s,%!.17g,%d,%s,%s', date, date_precision, position, id, ${real('position_low')}, ${real('position_high')}), ';') from (select date, date_precision, position, id, position_low, position_high from stance_event where actor_id = ? and issue_id = ? and deleted_at is null order by date, created_at, id)`;
// Every actor: the (issue_id, date) index.
const ISSUE_POINTS_SQL =
	'select actor_id, date, date_precision, position, id, position_low, position_high from stance_event where issue_id = ? and deleted_at is null order by date, created_at, id';
// Counting stops at the limit; both walk an index only (deleted events are counted: an upper bound).
const COUNT_ACTOR_SQL = 'select count(*) from (select 1 from stance_event where actor_id = ? and issue_id = ? limit ?)';
const COUNT_ISSUE_SQL = 'select count(*) from (select 1 from stance_event where issue_id = ? limit ?)';

/** A live issue by slug with its scale, or null; `withDeleted`: a deleted one too (a series pinned to a moment). */
export async function issueRef(db: Db, slug: string, { withDeleted = false }: { withDeleted?: boolean } = {}): Promise<IssueRef | null> {
	const r = readerFor(db);
	const row = await r.get(withDeleted ? ISSUE_SQL.replace(' and deleted_at is null', '') : ISSUE_SQL, [slug]);
	if (!row) return null;
	const labels = await r.all(LABELS_SQL, [row[0] as number]);
	return {
		id: row[0] as number,
		slug: row[1] as string,
		title: row[2] as string,
		description: row[3] as string,
		scale: { min: row[4] as number, max: row[5] as number, labels: labels.map((l) => ({ value: l[0] as number, label: l[1] as string })) }
	};
}

/** Live actors by slug (the given order); unknown or deleted slugs come back in `unknown`. `withDeleted`: deleted ones are found too. */
export async function actorRefs(db: Db, slugs: readonly string[], { withDeleted = false }: { withDeleted?: boolean } = {}): Promise<{ found: ActorRef[]; unknown: string[] }> {
	const bySlug = new Map<string, ActorRef>();
	if (slugs.length) {
		const rows = await readerFor(db).all(`select id, slug, name from actor where ${withDeleted ? '' : 'deleted_at is null and '}slug in (${slugs.map(() => '?').join(',')})`, [...slugs]);
		for (const r of rows) bySlug.set(r[1] as string, { id: r[0] as number, slug: r[1] as string, name: r[2] as string });
	}
	return { found: slugs.flatMap((s) => bySlug.get(s) ?? []), unknown: slugs.filter((s) => !bySlug.has(s)) };
}

/** A compact point from a row's fields (a month's or year's date as its first day), as every compact read maps them. */
export function toPoint(date: unknown, precision: unknown, position: unknown, id: unknown, low: unknown, high: unknown): CompactPoint {
	const datePrecision = precision as DatePrecision;
	return {
		date: datePrecision === 'day' ? (date as string) : periodStart(date as string, datePrecision),
		datePrecision,
		position: position as number,
		positionLow: (low as number | null) ?? null,
		positionHigh: (high as number | null) ?? null,
		eventId: id as number
	};
}

/** One actor's points on one issue, in series order (date, then recording order). */
export async function actorPoints(db: Db, issueId: number, actorId: number): Promise<CompactPoint[]> {
	const packed = (await readerFor(db).get(ACTOR_POINTS_SQL, [actorId, issueId]))?.[0];
	if (typeof packed !== 'string' || packed === '') return [];
	return packed.split(';').map((p) => {
		const f = p.split(',');
		return toPoint(f[0], f[1], Number(f[2]), Number(f[3]), f[4] === '' ? null : Number(f[4]), f[5] === '' ? null : Number(f[5]));
	});
}

/**
 * How many points a request would return, counted up to `limit` + 1 (so a huge issue costs no
 * more than the limit): for the given actors, or for every actor on the issue.
 */
export async function countPoints(db: Db, issueId: number, actorIds: readonly number[] | null, limit: number): Promise<number> {
	const r = readerFor(db);
	if (actorIds === null) return Number((await r.get(COUNT_ISSUE_SQL, [issueId, limit + 1]))?.[0] ?? 0);
	let n = 0;
	for (const id of actorIds) {
		n += Number((await r.get(COUNT_ACTOR_SQL, [id, issueId, limit + 1 - n]))?.[0] ?? 0);
		if (n > limit) break;
	}
	return n;
}

/**
 * Compact series of one issue: for the given actors in the order given (one index seek each),
 * or for every live actor with events on it, by name.
 */
export async function compactSeries(db: Db, issue: IssueRef, actors: readonly ActorRef[] | null): Promise<CompactSeries[]> {
	if (actors) {
		const out: CompactSeries[] = [];
		for (const a of actors) out.push({ actor: a.slug, points: await actorPoints(db, issue.id, a.id) });
		return out.filter((s) => s.points.length > 0);
	}
	const r = readerFor(db);
	const [live, rows] = await Promise.all([r.all(LIVE_ACTORS_SQL), r.all(ISSUE_POINTS_SQL, [issue.id])]);
	const byId = new Map(live.map((a) => [a[0] as number, { slug: a[1] as string, name: a[2] as string }]));
	const series = new Map<number, CompactSeries & { name: string }>();
	for (const row of rows) {
		const actor = byId.get(row[0] as number);
		if (!actor) continue;
		let s = series.get(row[0] as number);
		if (!s) series.set(row[0] as number, (s = { actor: actor.slug, name: actor.name, points: [] }));
		s.points.push(toPoint(row[1], row[2], row[3], row[4], row[5], row[6]));
	}
	return [...series.values()].sort((a, b) => a.name.localeCompare(b.name)).map(({ actor, points }) => ({ actor, points }));
}

/** Live actors with events on an issue, by name: an index seek per actor, not a scan of the issue. */
export async function actorsOn(db: Db, issueId: number): Promise<ActorRef[]> {
	const rows = await readerFor(db).all(
		'select a.id, a.slug, a.name from actor a where a.deleted_at is null and exists (select 1 from stance_event e where e.actor_id = a.id and e.issue_id = ? and e.deleted_at is null) order by a.name',
		[issueId]
	);
	return rows.map((r) => ({ id: r[0] as number, slug: r[1] as string, name: r[2] as string }));
}

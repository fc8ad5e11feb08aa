/**
 * Pages as the record stood at a moment (?asof=), bounded like the live pages. Today's rows that
 * were recorded by then are the record then, except for the events the history since the moment
 * changed (see queries/asofDelta.ts): so each series is read with the live pages' SQL filtered to
 * rows recorded by then (`createdBy`), and only the series the history since touches are read
 * through an overlay (their rows, minus the changed ones, plus those as they stood, in SQL). The events table
 * merges one SQL window with the changed events. A page costs what the live one costs plus the
 * history written since the moment.
 */
import type { InValue } from '@libsql/client';
import type { Db } from '../db/client';
import {
	chartPoints,
	eventPageStatements,
	eventsInView,
	firstFinerDate,
	LIST_CAP,
	namesOf,
	periodDate,
	periodOfRow,
	periodStats,
	positionCounts,
	readEventRows,
	type EventPage,
	type EventPageScope,
	type SeriesBy
} from '../queries/eventPage';
import { READ_MEMO_ROWS, deltaAt, eventPresent, presentSql, type AsOfDelta } from '../queries/asofDelta';
import * as issues from '../queries/issues';
import { eventDetails, type EventDetail } from '../../charts/detail';
import { packPeriods, packSeries, packShares, type CompactSeries } from '../../charts/compact';
import type { ChartPoint } from '../../charts/stanceLine';
import { bucketStart, pickBucket } from '../../domain/aggregate';
import { normalAt, readAsOf, seriesKey } from '../../domain/asof';
import { EVENTS_PER_PAGE, type EventQuery } from '../../domain/eventQuery';
import { matchesQuery, mergedPage } from '../../domain/recordView';
import type { Actor, DatePrecision, Scale, StanceEvent } from '../../domain/types';

/** One series: an actor's own stance on an issue, or what a person said on it (`by` speaker). */
export interface SeriesRef {
	actorId: number;
	actor: string;
	issueId: number;
	issue: string;
	by?: SeriesBy;
}

/** A series' activity: live events then, first and last dates. */
export interface Activity {
	events: number;
	first: string;
	last: string;
}

const PRECISIONS: DatePrecision[] = ['day', 'month', 'year'];
const keyOf = (s: SeriesRef) => seriesKey(s.by ?? 'actor', s.actor, s.issue);
const holds = (s: SeriesRef, e: StanceEvent) => e.issue === s.issue && (s.by === 'speaker' ? e.speaker : e.actor) === s.actor;

/** Reads what a page shows of the record as it stood at a moment (the delta is kept per data version and moment). */
export class AsOfReader {
	constructor(
		private db: Db,
		readonly delta: AsOfDelta
	) {}

	static async at(db: Db, asof: string): Promise<AsOfReader> {
		return new AsOfReader(db, await deltaAt(db, asof));
	}

	get asof(): string {
		return this.delta.asof;
	}

	/**
	 * The rows of a series the history since touches, as they stood, as a SQL table: today's rows
	 * recorded by then except the changed ones, plus the changed ones as they were (a JSON list,
	 * usually a few): so counting, paging and aggregating stay in SQL as on the live page. Null
	 * when today's rows recorded by then serve (`createdBy` on the live reads).
	 */
	private overlay(s: SeriesRef): { sql: string; args: InValue[] } | null {
		if (!this.delta.rebuilt.has(keyOf(s))) return null;
		const then = this.changedThen(s).map((e) => ({
			id: e.id,
			date: e.date,
			datePrecision: e.datePrecision,
			position: e.position,
			positionLow: e.positionLow ?? null,
			positionHigh: e.positionHigh ?? null,
			createdAt: e.createdAt ?? ''
		}));
		return {
			sql: `(select id, date, date_precision, position, position_low, position_high, created_at from stance_event
				where ${s.by === 'speaker' ? 'speaker_id' : 'actor_id'} = ? and issue_id = ? and deleted_at is null and created_at <= ?
				and id not in (select value from json_each(?))
				union all
				select value ->> 'id', value ->> 'date', value ->> 'datePrecision', value ->> 'position', value ->> 'positionLow',
					value ->> 'positionHigh', value ->> 'createdAt' from json_each(?))`,
			args: [s.actorId, s.issueId, this.delta.asof, this.delta.changedJson, JSON.stringify(then)]
		};
	}

	/** SQL over actor and issue aliases keeping the rows whose actor and issue were in the record then (see presentSql). */
	presentSql(a: string | null, i: string | null): { sql: string; args: string[] } {
		return presentSql(this.delta, a, i);
	}

	/** Runs a read, kept with the delta (until the next write) within READ_MEMO_ROWS. */
	private async all(sql: string, args: InValue[]): Promise<unknown[][]> {
		const memo = this.delta.reads;
		const key = `${sql}\u0000${JSON.stringify(args)}`;
		const hit = memo.map.get(key);
		if (hit) return hit;
		const rows = (await this.db.$client.execute({ sql, args })).rows.map((r) => Array.from(r as unknown as unknown[]));
		if (memo.rows + rows.length < READ_MEMO_ROWS) {
			memo.map.set(key, rows);
			memo.rows += rows.length + 1;
		}
		return rows;
	}

	/**
	 * A series' activity then, from today's (`current`, null when it has no live events now): the
	 * same unless the history since, or an import since, touches it.
	 */
	async activity(s: SeriesRef, current: Activity | null): Promise<Activity | null> {
		const key = keyOf(s);
		if (!this.delta.recount.has(key)) return current;
		const col = s.by === 'speaker' ? 'speaker_id' : 'actor_id';
		const live = `from stance_event where ${col} = ? and issue_id = ? and deleted_at is null and created_at <= ? and id not in (select value from json_each(?))`;
		const args = [s.actorId, s.issueId, this.delta.asof, this.delta.changedJson];
		const then = this.changedThen(s);
		let events: number;
		if (this.delta.imported.has(key)) {
			// An import since added to it: count what was recorded by then.
			const [r] = await this.all(`select count(*) ${live}`, args);
			events = Number(r?.[0] ?? 0) + then.length;
		} else {
			// Only the history since changed it: today's count, less its changed events as they are now, plus those as they were.
			events = (current?.events ?? 0) - (this.delta.changedNow.get(key) ?? 0) + then.length;
		}
		if (events <= 0) return null;
		// First and last dates: a seek each way on the (actor|speaker, issue, date) index, and the changed events as they were.
		const [first, last] = await Promise.all([this.all(`select date ${live} order by date limit 1`, args), this.all(`select date ${live} order by date desc limit 1`, args)]);
		const dates = [...then.map((e) => e.date), ...(first[0] ? [String(first[0][0])] : []), ...(last[0] ? [String(last[0][0])] : [])].sort();
		return { events, first: dates[0]!, last: dates.at(-1)! };
	}

	/** The changed events of a series as they stood then. */
	private changedThen(s: SeriesRef): StanceEvent[] {
		return [...this.delta.events.values()].filter((e): e is StanceEvent => e !== null && holds(s, e));
	}

	/** The first date of a series known to the month or the day, then (see firstFinerDate). */
	async firstFiner(s: SeriesRef): Promise<string | null> {
		if (!this.delta.rebuilt.has(keyOf(s))) return firstFinerDate(this.db, { actorId: s.actorId, issueId: s.issueId, by: s.by, createdBy: this.delta.asof });
		const [r] = await this.all(
			`select date from stance_event where ${s.by === 'speaker' ? 'speaker_id' : 'actor_id'} = ? and issue_id = ? and deleted_at is null and created_at <= ?
				and id not in (select value from json_each(?)) and date_precision <> 'year' order by date limit 1`,
			[s.actorId, s.issueId, this.delta.asof, this.delta.changedJson]
		);
		const dates = [...this.changedThen(s).filter((e) => e.datePrecision !== 'year').map((e) => e.date), ...(r ? [String(r[0])] : [])].sort();
		return dates[0] ?? null;
	}

	/**
	 * A series packed for a chart of `width` pixels over `range`, as the live pages pack it: every
	 * point while it has no more events in view than pixels, else aggregated per month or year in
	 * SQL (periodStats, positionCounts); lanes as shares per period.
	 */
	async series(s: SeriesRef, { range, width, scale, lanes = false }: { range: { from: string; to: string }; width: number; scale: Scale; lanes?: boolean }): Promise<CompactSeries> {
		const src = this.overlay(s);
		if (src) return this.rebuiltSeries(s, src, { range, width, scale, lanes });
		const where = { actorId: s.actorId, issueId: s.issueId, from: range.from, to: range.to, by: s.by, createdBy: this.delta.asof };
		const bucket = pickBucket({ ...range, width, events: await eventsInView(this.db, where) });
		if (!bucket) return packSeries({ actor: s.actor, points: await chartPoints(this.db, where), range, scale, bucket: null });
		if (lanes) {
			const [periods, counts] = await Promise.all([periodStats(this.db, { ...where, bucket }), positionCounts(this.db, { ...where, bucket })]);
			return packShares({ actor: s.actor, bucket, counts, periods, scale });
		}
		return packPeriods({ actor: s.actor, bucket, periods: await periodStats(this.db, { ...where, bucket }) });
	}

	/** `series` of a rebuilt series: the same reads as the live ones (queries/eventPage.ts), over its overlay. */
	private async rebuiltSeries(
		s: SeriesRef,
		src: { sql: string; args: InValue[] },
		{ range, width, scale, lanes }: { range: { from: string; to: string }; width: number; scale: Scale; lanes: boolean }
	): Promise<CompactSeries> {
		const [n] = await this.all(`select count(*) from ${src.sql} where date >= ? and date <= ?`, [...src.args, range.from, range.to]);
		const bucket = pickBucket({ ...range, width, events: Number(n?.[0] ?? 0) });
		if (!bucket) {
			const cols = `select id, date, date_precision, position, position_low, position_high from ${src.sql}`;
			const [before, inRange] = await Promise.all([
				this.all(`${cols} where date < ? order by date desc, created_at desc, id desc limit 1`, [...src.args, range.from]),
				this.all(`${cols} where date >= ? and date <= ? order by date, created_at, id`, [...src.args, range.from, range.to])
			]);
			const points: ChartPoint[] = [...before, ...inRange].map((r) => ({
				eventId: Number(r[0]),
				date: String(r[1]),
				datePrecision: (PRECISIONS.includes(r[2] as DatePrecision) ? r[2] : 'day') as DatePrecision,
				position: Number(r[3]),
				...(r[4] != null && r[5] != null ? { positionLow: Number(r[4]), positionHigh: Number(r[5]) } : {})
			}));
			return packSeries({ actor: s.actor, points, range, scale, bucket: null });
		}
		// As periodStats and positionCounts (queries/eventPage.ts) read today's rows.
		const len = bucket === 'year' ? 4 : 7;
		const start = bucketStart(range.from, bucket);
		const periodRows = await this.all(
			`with s as (select date, position, lag(position) over (order by date, created_at, id) as prev from ${src.sql} where date <= ?)
			select substr(date, 1, ${len}) as p, count(*), sum(position), min(position), max(position), min(prev), max(prev),
				sum(prev is not null and prev <> position)
			from s where date >= ? group by p order by p`,
			[...src.args, range.to, start]
		);
		const periods = periodRows.map((r) => periodOfRow(r, bucket));
		if (!lanes) return packPeriods({ actor: s.actor, bucket, periods });
		const counts = (
			await this.all(`select substr(date, 1, ${len}) as p, position, count(*) from ${src.sql} where date >= ? and date <= ? group by p, position order by p, position`, [
				...src.args,
				start,
				range.to
			])
		).map((r) => ({ date: periodDate(r[0], bucket), position: Number(r[1]), count: Number(r[2]) }));
		return packShares({ actor: s.actor, bucket, counts, periods, scale });
	}

	/** The series the history since touches, as (`by`, person or actor, issue) slugs. */
	touched(): { by: SeriesBy; slug: string; issue: string }[] {
		return [...this.delta.rebuilt].map((k) => {
			const bar = k.lastIndexOf('|');
			return { by: k.startsWith('s:') ? ('speaker' as const) : ('actor' as const), slug: k.slice(2, bar), issue: k.slice(bar + 1) };
		});
	}

	/** Actors whose own series on an issue the history since touches. */
	actorsTouchedOn(issue: string): string[] {
		return this.touched().flatMap((t) => (t.by === 'actor' && t.issue === issue ? [t.slug] : []));
	}

	/** Issues on which the history since touches a series of this actor (or person, by speaker). */
	issuesTouchedBy(by: SeriesBy, slug: string): string[] {
		return this.touched().flatMap((t) => (t.by === by && t.slug === slug ? [t.issue] : []));
	}

	/** Names and colours of actors as they stood then (an actor renamed since keeps its old name). */
	async names(slugs: readonly (string | null)[]): Promise<{ slug: string; name: string; color: string }[]> {
		return (await namesOf(this.db, slugs)).map((n) => {
			const then = this.delta.actors.get(n.slug);
			return then ? { slug: n.slug, name: then.name, color: then.color } : n;
		});
	}

	/**
	 * Actors (or rows naming them) as they stood then: names and colours from the history where
	 * they changed since; those not in the record then (created since, or deleted then) left out,
	 * those deleted since kept.
	 */
	actors<T extends { slug: string; name: string; color: string }>(list: readonly T[]): T[] {
		return list.flatMap((a) => {
			if (this.delta.absent.actors.has(a.slug)) return [];
			if (!this.delta.actors.has(a.slug)) return [a];
			const then = this.delta.actors.get(a.slug);
			return then ? [{ ...a, name: then.name, color: then.color }] : [];
		});
	}

	/** Actors by slug that were in the record then (deleted since or not): id, and name and colour as they stood then. */
	async actorRows(slugs: readonly string[]): Promise<{ id: number; slug: string; name: string; color: string }[]> {
		if (!slugs.length) return [];
		const rs = await this.db.$client.execute({ sql: `select id, slug, name, color from actor where slug in (${slugs.map(() => '?').join(',')})`, args: [...slugs] });
		return this.actors(rs.rows.map((r) => ({ id: Number(r[0]), slug: String(r[1]), name: String(r[2]), color: String(r[3]) })));
	}

	/**
	 * The speakers on an issue then (for the table's speaker filter), by name as they stood then:
	 * those of its events in the record then (today's rows recorded by then, and those changed
	 * since as they were), when the speaker was in the record then.
	 */
	async speakersOn(issue: { id: number; slug: string }): Promise<{ slug: string; name: string }[]> {
		const rows = await this.all(
			`select a.slug from actor a where exists (select 1 from stance_event e where e.speaker_id = a.id and e.issue_id = ? and e.deleted_at is null
				and e.created_at <= ? and e.id not in (select value from json_each(?)))`,
			[issue.id, this.delta.asof, this.delta.changedJson]
		);
		const slugs = new Set(rows.map((r) => String(r[0])));
		for (const e of this.delta.events.values()) if (e?.speaker && e.issue === issue.slug) slugs.add(e.speaker);
		return this.actors(await this.names([...slugs]))
			.map(({ slug, name }) => ({ slug, name }))
			.sort((a, b) => a.name.localeCompare(b.name));
	}

	/** Issues by slug that were in the record then (deleted since or not): id and slug. */
	async issueRows(slugs: readonly string[]): Promise<{ id: number; slug: string }[]> {
		if (!slugs.length) return [];
		const rs = await this.db.$client.execute({ sql: `select id, slug from issue where slug in (${slugs.map(() => '?').join(',')})`, args: [...slugs] });
		return rs.rows.flatMap((r) => (this.delta.absent.issues.has(String(r[1])) ? [] : [{ id: Number(r[0]), slug: String(r[1]) }]));
	}

	/**
	 * One page of an events table as it stood: today's rows in `scope` recorded by then (one SQL
	 * window) merged with the changed events that `match` the scope, filtered, sorted and paged as
	 * the live table. `knownTotal` (the rows matching, as of then) skips the count.
	 */
	async table({
		scope,
		match,
		query,
		perPage = EVENTS_PER_PAGE,
		knownTotal
	}: {
		scope: EventPageScope;
		match: (e: StanceEvent) => boolean;
		query: EventQuery;
		perPage?: number;
		knownTotal?: number;
	}): Promise<EventPage> {
		const extra = [...this.delta.events.values()].filter((e): e is StanceEvent => e !== null && eventPresent(this.delta, e) && match(e) && matchesQuery(e, query));
		const live: EventPageScope = { ...scope, createdBy: this.delta.asof, except: this.delta.changedIds, absent: this.delta.absentJson };
		let total: number;
		let capped = false;
		if (knownTotal !== undefined) total = knownTotal;
		else {
			const count = eventPageStatements({ scope: live, query, perPage, page: 1 }).count;
			const [r] = await this.all(count.sql, count.args);
			total = Number(r?.[0] ?? 0) + extra.length;
		}
		if (total > LIST_CAP) {
			total = LIST_CAP;
			capped = true;
		}
		const pages = Math.max(1, Math.ceil(total / perPage));
		const page = Math.min(query.page, pages);
		const offset = (page - 1) * perPage;
		const start = Math.max(0, offset - extra.length);
		const rows = await readEventRows(this.db, eventPageStatements({ scope: live, query, perPage: offset + perPage - start, page: 1, offset: start }).rows);
		const events = mergedPage({ extra, rows, start, offset, limit: perPage, desc: query.sort === 'desc' });
		return { total, capped, pages, page, events, names: await this.names(events.flatMap((e) => [e.actor, e.speaker, e.target])) };
	}
}

const NO_QUERY: EventQuery = { actor: null, speaker: null, kind: null, from: null, to: null, sort: 'asc', page: 1 };

/**
 * One event as the record stood at the reader's moment: as it stood then (an update since set
 * back, a delete since undone), or why it is not there: `not-yet` (recorded after the moment),
 * `deleted` (deleted by then), `absent` (its actor or issue was not in the record then). Null when
 * no such event was ever recorded.
 */
export async function eventAt(
	db: Db,
	reader: AsOfReader,
	id: number
): Promise<{ status: 'then'; event: StanceEvent } | { status: 'not-yet' | 'deleted' | 'absent'; event: null } | null> {
	const delta = reader.delta;
	const e = delta.events.has(id)
		? delta.events.get(id)
		: (await readEventRows(db, eventPageStatements({ scope: { ids: [id], createdBy: reader.asof, absent: delta.absentJson }, query: NO_QUERY, perPage: 1, page: 1 }).rows))[0];
	if (e && eventPresent(delta, e)) return { status: 'then', event: e };
	const rs = await db.$client.execute({ sql: 'select created_at from stance_event where id = ?', args: [id] });
	const row = rs.rows[0];
	if (!row) return null;
	if (e) return { status: 'absent', event: null };
	return { status: normalAt(String(row[0])) > normalAt(reader.asof) ? 'not-yet' : 'deleted', event: null };
}

/**
 * One event as a tooltip showed it at `asof` (GET /api/events/:id/detail?asof=): as it stood then
 * (an update since set back, a delete since undone), with the actor names and the issue's scale
 * labels of then; null when it was not in the record then.
 */
export async function eventDetailAt(db: Db, id: number, asof: string): Promise<EventDetail | null> {
	const reader = await AsOfReader.at(db, asof);
	const found = await eventAt(db, reader, id);
	const e = found?.event;
	if (!e) return null;
	// The issue in the record then (deleted since or not), as it stood then.
	const issue = await issues.bySlug(db, e.issue, { at: reader.delta });
	if (!issue) return null;
	const actors = (await reader.names([e.actor, e.speaker, e.target])).map((n) => ({ ...n, kind: 'country', parent: null, role: null, countryCode: null }) as Actor);
	return eventDetails([e], actors, [issue]).get(id) ?? null;
}

/**
 * The moment a page's URL pins it to (?asof=), as its delta; null for the current record, and for
 * a bad value (the page's model refuses it, naming the parameter).
 */
export async function pinnedTo(db: Db, url: URL): Promise<AsOfDelta | null> {
	const at = readAsOf(url.searchParams);
	return at.ok && at.asof ? deltaAt(db, at.asof) : null;
}

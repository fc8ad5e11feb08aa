/**
 * Pages as the record stood at a moment (?asof=), bounded like the live pages. Today's rows that
 * were recorded by then are the record then, except for the events the history since the moment
 * changed (see queries/asofDelta.ts): so each series is read with the live pages' SQL filtered to
 * rows recorded by then (`createdBy`), and only the series the history since touches are rebuilt
 * in memory (their rows, minus the changed ones, plus those as they stood). The events table
 * merges one SQL window with the changed events. A page costs what the live one costs plus the
 * history written since the moment.
 */
import type { Db } from '../db/client';
import {
	chartPoints,
	eventPageStatements,
	eventsInView,
	firstFinerDate,
	LIST_CAP,
	namesOf,
	periodStats,
	positionCounts,
	readEventRows,
	type EventPage,
	type EventPageScope,
	type SeriesBy
} from '../queries/eventPage';
import { deltaAt, issueThen, type AsOfDelta } from '../queries/asofDelta';
import * as issues from '../queries/issues';
import { eventDetails, type EventDetail } from '../../charts/detail';
import { packPeriods, packSeries, packShares, type CompactSeries } from '../../charts/compact';
import type { ChartPoint } from '../../charts/stanceLine';
import { pickBucket } from '../../domain/aggregate';
import { seriesKey } from '../../domain/asof';
import { EVENTS_PER_PAGE, type EventQuery } from '../../domain/eventQuery';
import { matchesQuery, mergedPage, tableOrder } from '../../domain/recordView';
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

type Row = ChartPoint & { createdAt: string; id: number; date: string };

const PRECISIONS: DatePrecision[] = ['day', 'month', 'year'];
const keyOf = (s: SeriesRef) => seriesKey(s.by ?? 'actor', s.actor, s.issue);
const holds = (s: SeriesRef, e: StanceEvent) => e.issue === s.issue && (s.by === 'speaker' ? e.speaker : e.actor) === s.actor;

/** Reads one page's worth of the record as it stood at a moment; one per request (it keeps the series it rebuilt). */
export class AsOfReader {
	private rebuiltRows = new Map<string, Promise<Row[]>>();
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

	/** A series the history since touches, as it stood (in series order); null when today's rows recorded by then serve. */
	private rows(s: SeriesRef): Promise<Row[]> | null {
		const key = keyOf(s);
		if (!this.delta.rebuilt.has(key)) return null;
		let hit = this.rebuiltRows.get(key);
		if (!hit) {
			hit = this.readRows(s);
			this.rebuiltRows.set(key, hit);
		}
		return hit;
	}

	private async readRows(s: SeriesRef): Promise<Row[]> {
		const rs = await this.db.$client.execute({
			sql: `select id, date, date_precision, position, position_low, position_high, created_at from stance_event
				where ${s.by === 'speaker' ? 'speaker_id' : 'actor_id'} = ? and issue_id = ? and deleted_at is null and created_at <= ?
				and id not in (select value from json_each(?))`,
			args: [s.actorId, s.issueId, this.delta.asof, this.delta.changedJson]
		});
		const rows: Row[] = rs.rows.map((r) => ({
			eventId: Number(r[0]),
			id: Number(r[0]),
			date: String(r[1]),
			datePrecision: (PRECISIONS.includes(r[2] as DatePrecision) ? r[2] : 'day') as DatePrecision,
			position: Number(r[3]),
			...(r[4] != null && r[5] != null ? { positionLow: Number(r[4]), positionHigh: Number(r[5]) } : {}),
			createdAt: String(r[6])
		}));
		for (const e of this.delta.events.values()) {
			if (!e || !holds(s, e)) continue;
			rows.push({
				eventId: e.id,
				id: e.id,
				date: e.date,
				datePrecision: e.datePrecision,
				position: e.position,
				...(e.positionLow != null && e.positionHigh != null ? { positionLow: e.positionLow, positionHigh: e.positionHigh } : {}),
				createdAt: e.createdAt ?? ''
			});
		}
		return rows.sort(tableOrder);
	}

	/**
	 * A series' activity then, from today's (`current`, null when it has no live events now): the
	 * same unless the history since, or an import since, touches it.
	 */
	async activity(s: SeriesRef, current: Activity | null): Promise<Activity | null> {
		const key = keyOf(s);
		if (!this.delta.recount.has(key)) return current;
		const rebuilt = this.rows(s);
		if (rebuilt) {
			const rows = await rebuilt;
			if (!rows.length) return null;
			return { events: rows.length, first: rows[0]!.date, last: rows.reduce((m, r) => (r.date > m ? r.date : m), rows[0]!.date) };
		}
		const rs = await this.db.$client.execute({
			sql: `select count(*), min(date), max(date) from stance_event where ${s.by === 'speaker' ? 'speaker_id' : 'actor_id'} = ? and issue_id = ? and deleted_at is null and created_at <= ?`,
			args: [s.actorId, s.issueId, this.delta.asof]
		});
		const n = Number(rs.rows[0]?.[0] ?? 0);
		return n ? { events: n, first: String(rs.rows[0]![1]), last: String(rs.rows[0]![2]) } : null;
	}

	/** The first date of a series known to the month or the day, then (see firstFinerDate). */
	async firstFiner(s: SeriesRef): Promise<string | null> {
		const rebuilt = this.rows(s);
		if (!rebuilt) return firstFinerDate(this.db, { actorId: s.actorId, issueId: s.issueId, by: s.by, createdBy: this.delta.asof });
		return (await rebuilt).find((r) => r.datePrecision !== 'year')?.date ?? null;
	}

	/**
	 * A series packed for a chart of `width` pixels over `range`, as the live pages pack it: every
	 * point while it has no more events in view than pixels, else aggregated per month or year (in
	 * SQL, or in memory for a rebuilt series); lanes as shares per period.
	 */
	async series(s: SeriesRef, { range, width, scale, lanes = false }: { range: { from: string; to: string }; width: number; scale: Scale; lanes?: boolean }): Promise<CompactSeries> {
		const rebuilt = this.rows(s);
		if (rebuilt) {
			const rows = await rebuilt;
			const inView = rows.filter((r) => r.date >= range.from && r.date <= range.to).length;
			const bucket = pickBucket({ ...range, width, events: inView });
			const before = rows.filter((r) => r.date < range.from).at(-1);
			const points = bucket ? rows.filter((r) => r.date <= range.to) : [...(before ? [before] : []), ...rows.filter((r) => r.date >= range.from && r.date <= range.to)];
			return packSeries({
				actor: s.actor,
				points: points.map(({ id: _id, createdAt: _c, ...p }) => p),
				range,
				width,
				scale,
				lanes,
				bucket
			});
		}
		const where = { actorId: s.actorId, issueId: s.issueId, from: range.from, to: range.to, by: s.by, createdBy: this.delta.asof };
		const bucket = pickBucket({ ...range, width, events: await eventsInView(this.db, where) });
		if (!bucket) return packSeries({ actor: s.actor, points: await chartPoints(this.db, where), range, scale, bucket: null });
		if (lanes) {
			const [periods, counts] = await Promise.all([periodStats(this.db, { ...where, bucket }), positionCounts(this.db, { ...where, bucket })]);
			return packShares({ actor: s.actor, bucket, counts, periods, scale });
		}
		return packPeriods({ actor: s.actor, bucket, periods: await periodStats(this.db, { ...where, bucket }) });
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

	/** Actors (or rows naming them) as they stood then: names and colours from the history where they changed since; those not there then left out. */
	actors<T extends { slug: string; name: string; color: string }>(list: readonly T[]): T[] {
		return list.flatMap((a) => {
			if (!this.delta.actors.has(a.slug)) return [a];
			const then = this.delta.actors.get(a.slug);
			return then ? [{ ...a, name: then.name, color: then.color }] : [];
		});
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
		const extra = [...this.delta.events.values()].filter((e): e is StanceEvent => e !== null && match(e) && matchesQuery(e, query));
		const live: EventPageScope = { ...scope, createdBy: this.delta.asof, except: this.delta.changedIds };
		let total: number;
		let capped = false;
		if (knownTotal !== undefined) total = knownTotal;
		else {
			const rs = await this.db.$client.execute(eventPageStatements({ scope: live, query, perPage, page: 1 }).count);
			total = Number(rs.rows[0]?.[0] ?? 0) + extra.length;
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

/** Live actors by slug: id, name and colour. */
export async function actorRows(db: Db, slugs: readonly string[]): Promise<{ id: number; slug: string; name: string; color: string }[]> {
	if (!slugs.length) return [];
	const rs = await db.$client.execute({ sql: `select id, slug, name, color from actor where deleted_at is null and slug in (${slugs.map(() => '?').join(',')})`, args: [...slugs] });
	return rs.rows.map((r) => ({ id: Number(r[0]), slug: String(r[1]), name: String(r[2]), color: String(r[3]) }));
}

/** Live issues by slug: id and slug. */
export async function issueRows(db: Db, slugs: readonly string[]): Promise<{ id: number; slug: string }[]> {
	if (!slugs.length) return [];
	const rs = await db.$client.execute({ sql: `select id, slug from issue where deleted_at is null and slug in (${slugs.map(() => '?').join(',')})`, args: [...slugs] });
	return rs.rows.map((r) => ({ id: Number(r[0]), slug: String(r[1]) }));
}

const NO_QUERY: EventQuery = { actor: null, speaker: null, kind: null, from: null, to: null, sort: 'asc', page: 1 };

/**
 * One event as a tooltip showed it at `asof` (GET /api/events/:id/detail?asof=): as it stood then
 * (an update since set back, a delete since undone), with the actor names and the issue's scale
 * labels of then; null when it was not in the record then.
 */
export async function eventDetailAt(db: Db, id: number, asof: string): Promise<EventDetail | null> {
	const reader = await AsOfReader.at(db, asof);
	const e = reader.delta.events.has(id)
		? reader.delta.events.get(id)
		: (await readEventRows(db, eventPageStatements({ scope: { ids: [id], createdBy: reader.asof }, query: NO_QUERY, perPage: 1, page: 1 }).rows))[0];
	if (!e) return null;
	const now = await issues.bySlug(db, e.issue);
	if (!now) return null;
	const issue = issueThen(reader.delta, now) ?? now;
	const actors = (await reader.names([e.actor, e.speaker, e.target])).map((n) => ({ ...n, kind: 'country', parent: null, role: null, countryCode: null }) as Actor);
	return eventDetails([e], actors, [issue]).get(id) ?? null;
}

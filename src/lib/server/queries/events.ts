import { and, asc, count as countRows, desc, eq, gte, inArray, isNotNull, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Db } from '../db/client';
import { actor, issue, source, stanceEvent } from '../db/schema';
import type { Source, StanceEvent } from '../../domain/types';

const speaker = alias(actor, 'speaker');
const target = alias(actor, 'target');

export interface EventFilter {
	ids?: readonly number[];
	/** Events of this actor (as the actor, not as speaker). */
	actor?: string;
	/** Events of any of these actors. */
	actors?: readonly string[];
	issue?: string;
	/** Events on any of these issues. */
	issues?: readonly string[];
	/** Events where this actor is the actor or the speaker. */
	involving?: string;
	from?: string;
	to?: string;
	limit?: number;
	offset?: number;
	/** Newest first (with `limit`: the latest events before a date). Default: series order. */
	order?: 'asc' | 'desc';
	/** Deleted events only (the trash) instead of live ones. */
	deleted?: boolean;
	/** Live and deleted events alike (to rebuild the record as of a moment). */
	anyState?: boolean;
	/**
	 * The total of a paged listing, when the caller knows it (`liveCount`): the listing then reads
	 * only its page. Otherwise it is counted (a walk of every matching row).
	 */
	total?: number;
}

function conditions(f: EventFilter): SQL | undefined {
	const c: (SQL | undefined)[] = [];
	if (f.ids) c.push(inArray(stanceEvent.id, [...f.ids]));
	// Charts and the API never see deleted records, nor events of deleted actors and issues.
	if (!f.anyState) c.push(f.deleted ? isNotNull(stanceEvent.deletedAt) : isNull(stanceEvent.deletedAt));
	c.push(isNull(actor.deletedAt), isNull(issue.deletedAt));
	if (f.actor) c.push(eq(actor.slug, f.actor));
	if (f.actors) c.push(inArray(actor.slug, [...f.actors]));
	if (f.issue) c.push(eq(issue.slug, f.issue));
	if (f.issues) c.push(inArray(issue.slug, [...f.issues]));
	if (f.involving) {
		// Two index seeks, (actor_id, ...) and (speaker_id, ...), not a scan comparing slugs row by row.
		const id = sql`(select ${actor.id} from ${actor} where ${actor.slug} = ${f.involving})`;
		c.push(or(eq(stanceEvent.actorId, id), eq(stanceEvent.speakerId, id)));
	}
	if (f.from) c.push(gte(stanceEvent.date, f.from));
	if (f.to) c.push(lte(stanceEvent.date, f.to));
	return and(...c);
}

/** An event's own fields (not its references or sources), as every Drizzle reader of events selects them. */
export const eventFields = {
	date: stanceEvent.date,
	datePrecision: stanceEvent.datePrecision,
	position: stanceEvent.position,
	positionLow: stanceEvent.positionLow,
	positionHigh: stanceEvent.positionHigh,
	kind: stanceEvent.kind,
	summary: stanceEvent.summary,
	quote: stanceEvent.quote,
	quoteLanguage: stanceEvent.quoteLanguage,
	confidence: stanceEvent.confidence
};

function base(db: Db, select: Parameters<Db['select']>[0]) {
	return db
		.select(select)
		.from(stanceEvent)
		.innerJoin(actor, eq(stanceEvent.actorId, actor.id))
		.innerJoin(issue, eq(stanceEvent.issueId, issue.id))
		.leftJoin(speaker, eq(stanceEvent.speakerId, speaker.id))
		.leftJoin(target, eq(stanceEvent.targetId, target.id));
}

const sourceColumns = {
	eventId: source.eventId,
	outlet: source.outlet,
	title: source.title,
	url: source.url,
	publishedOn: source.publishedOn
};

function groupSources(rows: { eventId: number; outlet: string; title: string | null; url: string | null; publishedOn: string | null }[], into: Map<number, Source[]>) {
	for (const { eventId, ...s } of rows) {
		const list = into.get(eventId);
		if (list) list.push(s);
		else into.set(eventId, [s]);
	}
}

/**
 * Sources of the listed events, in their order, keyed by event id. A page of events asks by id
 * (SQLite caps bound parameters: in chunks); a whole listing asks once, with the same filter.
 */
async function sourcesOf(db: Db, ids: number[], where: SQL | undefined, paged: boolean): Promise<Map<number, Source[]>> {
	const byEvent = new Map<number, Source[]>();
	if (!paged && ids.length > 500) {
		const rows = await db
			.select(sourceColumns)
			.from(source)
			.innerJoin(stanceEvent, eq(source.eventId, stanceEvent.id))
			.innerJoin(actor, eq(stanceEvent.actorId, actor.id))
			.innerJoin(issue, eq(stanceEvent.issueId, issue.id))
			.leftJoin(speaker, eq(stanceEvent.speakerId, speaker.id))
			.where(where)
			.orderBy(asc(source.eventId), asc(source.ordinal));
		groupSources(rows, byEvent);
		return byEvent;
	}
	for (let i = 0; i < ids.length; i += 500) {
		const rows = await db
			.select(sourceColumns)
			.from(source)
			.where(inArray(source.eventId, ids.slice(i, i + 500)))
			.orderBy(asc(source.eventId), asc(source.ordinal));
		groupSources(rows, byEvent);
	}
	return byEvent;
}

/** Events matching the filter in series order (date, then recording order), with the total count. */
export async function list(
	db: Db,
	filter: EventFilter = {}
): Promise<{ total: number; events: StanceEvent[] }> {
	const where = conditions(filter);
	let query = base(db, {
		id: stanceEvent.id,
		actor: actor.slug,
		issue: issue.slug,
		speaker: speaker.slug,
		target: target.slug,
		...eventFields,
		createdAt: stanceEvent.createdAt,
		version: stanceEvent.version
	})
		.where(where)
		.orderBy(...(filter.order === 'desc' ? [desc(stanceEvent.date), desc(stanceEvent.createdAt), desc(stanceEvent.id)] : [asc(stanceEvent.date), asc(stanceEvent.createdAt), asc(stanceEvent.id)]))
		.$dynamic();
	// SQLite takes OFFSET only after a LIMIT (and Drizzle drops a negative one): no limit is a huge one.
	if (filter.limit !== undefined || filter.offset) query = query.limit(filter.limit ?? Number.MAX_SAFE_INTEGER);
	if (filter.offset) query = query.offset(filter.offset);
	const paged = filter.limit !== undefined || !!filter.offset;
	const [rows, totalRows] = await Promise.all([
		query,
		paged && filter.total === undefined ? base(db, { n: countRows() }).where(where) : Promise.resolve(null)
	]);
	const events = rows as unknown as Omit<StanceEvent, 'sources'>[];
	const sources = await sourcesOf(
		db,
		events.map((e) => e.id),
		where,
		paged
	);
	return {
		total: filter.total ?? (totalRows ? Number((totalRows[0] as { n: number }).n) : events.length),
		events: events.map((e) => ({ ...e, sources: sources.get(e.id) ?? [] }))
	};
}

/**
 * How many live events an actor (as the actor) has on an issue, either or both left out meaning
 * all, on live actors and issues: what `list` counts for that filter without dates, read from
 * issue_actor_activity (kept by triggers: a row per pair) instead of walking the events.
 */
export async function liveCount(db: Db, f: { actor?: string; issue?: string }): Promise<number> {
	const where = ['a.deleted_at is null', 'i.deleted_at is null'];
	const args: string[] = [];
	if (f.actor) {
		where.push('a.slug = ?');
		args.push(f.actor);
	}
	if (f.issue) {
		where.push('i.slug = ?');
		args.push(f.issue);
	}
	const rs = await db.$client.execute({
		sql: `select coalesce(sum(c.events), 0) from issue_actor_activity c join actor a on a.id = c.actor_id join issue i on i.id = c.issue_id where ${where.join(' and ')}`,
		args
	});
	return Number(rs.rows[0]?.[0] ?? 0);
}

export async function byId(db: Db, id: number): Promise<StanceEvent | null> {
	const { events } = await list(db, { ids: [id] });
	return events[0] ?? null;
}

export async function count(db: Db): Promise<number> {
	return db.$count(stanceEvent);
}

/** The SQL statements the writers put in their batches. Nothing here runs a statement but `runBatch`. */
import { sql, type SQL } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from '../db/client';
import { actor, change, contextEvent, issue, issueFeaturedActor, scaleLabel, source, stanceEvent } from '../db/schema';
import { fallbackActorColor } from '../../domain/colors';
import { periodStart } from '../../domain/dates';
import type { ChangeAction, Entity } from '../../domain/types';
import type { ActorInput, ContextEventInput, EventInput, IssueInput } from '../../schemas/dataset';
import type { Author } from './errors';

export type Statement = BatchItem<'sqlite'>;

export const STAMP = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;

/** The id of an actor or issue by slug, as a subquery (so one batch can refer to rows it adds). */
export const idOf = (table: 'actor' | 'issue', slug: string | null): SQL | null =>
	slug === null ? null : sql`(select id from ${sql.identifier(table)} where slug = ${slug})`;

/** Inside a batch's transaction the newest event id is the one just inserted. */
export const LAST_EVENT = sql`(select max(id) from ${stanceEvent})`;

/** One row of the history. */
export function historyRow(
	db: Db,
	by: Author,
	entity: Entity,
	entityId: number | SQL,
	action: ChangeAction,
	before: unknown,
	after: unknown,
	reason: string | null = null
): Statement {
	return db.insert(change).values({
		reason,
		entity,
		entityId: entityId as number,
		action,
		userId: by.userId,
		tokenId: by.tokenId ?? null,
		via: by.via,
		before: before === null ? null : JSON.stringify(before),
		after: after === null ? null : JSON.stringify(after)
	});
}

export function actorValues(a: ActorInput) {
	return {
		name: a.name,
		kind: a.kind,
		parentId: idOf('actor', a.parent),
		role: a.role,
		countryCode: a.countryCode,
		color: a.color ?? fallbackActorColor(a.slug)
	};
}

/** An actor as the history records it: with the colour it was given. */
export const actorRecord = (a: ActorInput) => ({ ...a, color: actorValues(a).color });

/** Adds an actor, or updates (and restores) the one with its slug. */
export function upsertActor(db: Db, a: ActorInput): Statement {
	const values = actorValues(a);
	return db
		.insert(actor)
		.values({ slug: a.slug, ...values })
		.onConflictDoUpdate({
			target: actor.slug,
			set: { ...values, deletedAt: null, version: sql`${actor.version} + 1`, updatedAt: STAMP }
		});
}

export const issueValues = (s: IssueInput) => ({
	title: s.title,
	description: s.description,
	scaleMin: s.scale.min,
	scaleMax: s.scale.max,
	// Rules left out of the input stay as they are.
	...(s.rules ? { changeMinShare: s.rules.minShare, walkBackDays: s.rules.walkBackDays, staleAfterDays: s.rules.staleAfterDays } : {})
});

/** Adds an issue, or updates (and restores) the one with its slug. */
export function upsertIssue(db: Db, s: IssueInput): Statement {
	const values = issueValues(s);
	return db
		.insert(issue)
		.values({ slug: s.slug, ...values })
		.onConflictDoUpdate({
			target: issue.slug,
			set: { ...values, deletedAt: null, version: sql`${issue.version} + 1`, updatedAt: STAMP }
		});
}

/** Replaces an issue's featured actors, when the input names them (absent: left as they are). */
export function featuredStatements(db: Db, s: IssueInput): Statement[] {
	if (s.featured === undefined) return [];
	const issueId = idOf('issue', s.slug)!;
	return [
		db.delete(issueFeaturedActor).where(sql`${issueFeaturedActor.issueId} = ${issueId}`),
		...(s.featured.length
			? [db.insert(issueFeaturedActor).values(s.featured.map((slug, i) => ({ issueId: issueId as unknown as number, actorId: idOf('actor', slug) as unknown as number, ordinal: i })))]
			: [])
	];
}

/** Replaces an issue's scale labels. */
export function labelStatements(db: Db, s: IssueInput): Statement[] {
	return [
		db.delete(scaleLabel).where(sql`${scaleLabel.issueId} = ${idOf('issue', s.slug)}`),
		db.insert(scaleLabel).values(s.scale.labels.map((l) => ({ issueId: idOf('issue', s.slug)!, value: l.value, label: l.label })))
	];
}

export function eventValues(e: EventInput) {
	return {
		actorId: idOf('actor', e.actor)!,
		issueId: idOf('issue', e.issue)!,
		date: periodStart(e.date, e.datePrecision),
		datePrecision: e.datePrecision,
		position: e.position,
		positionLow: e.positionLow ?? null,
		positionHigh: e.positionHigh ?? null,
		kind: e.kind,
		summary: e.summary,
		quote: e.quote,
		quoteLanguage: e.quoteLanguage,
		speakerId: idOf('actor', e.speaker),
		targetId: idOf('actor', e.target),
		confidence: e.confidence
	};
}

export function sourceRows(eventId: number | SQL, e: EventInput) {
	return e.sources.map((s, ordinal) => ({
		eventId: eventId as number,
		ordinal,
		outlet: s.outlet,
		title: s.title,
		url: s.url,
		publishedOn: s.publishedOn
	}));
}

/** An event as the history records it: its input, normalised. */
export function eventRecord(e: EventInput) {
	// An interval is recorded when there is one; records of events without one stay as they were.
	const { positionLow, positionHigh, ...rest } = e;
	return { ...rest, ...(positionLow != null && positionHigh != null ? { positionLow, positionHigh } : {}), date: periodStart(e.date, e.datePrecision) };
}

/** Adds an event with its sources and its history row. */
export function insertEvent(db: Db, e: EventInput, by: Author): [Statement, Statement, Statement] {
	return [
		db.insert(stanceEvent).values(eventValues(e)).returning({ id: stanceEvent.id }),
		db.insert(source).values(sourceRows(LAST_EVENT, e)),
		historyRow(db, by, 'event', LAST_EVENT, 'create', null, eventRecord(e))
	];
}

/** Inside a batch's transaction the newest context event id is the one just inserted. */
export const LAST_CONTEXT = sql`(select max(id) from ${contextEvent})`;

export function contextValues(c: ContextEventInput) {
	return {
		issueId: idOf('issue', c.issue)! as unknown as number,
		date: periodStart(c.date, c.datePrecision),
		datePrecision: c.datePrecision,
		endDate: c.endDate === null ? null : periodStart(c.endDate, c.datePrecision),
		label: c.label,
		outlet: c.source.outlet,
		sourceTitle: c.source.title,
		sourceUrl: c.source.url,
		sourcePublishedOn: c.source.publishedOn
	};
}

/** A context event as the history records it: its input, dates normalised to their period's start. */
export function contextRecord(c: ContextEventInput): ContextEventInput {
	return { ...c, date: periodStart(c.date, c.datePrecision), endDate: c.endDate === null ? null : periodStart(c.endDate, c.datePrecision) };
}

/** Adds a context event and its history row. */
export function insertContext(db: Db, c: ContextEventInput, by: Author): [Statement, Statement] {
	return [
		db.insert(contextEvent).values(contextValues(c)).returning({ id: contextEvent.id }),
		historyRow(db, by, 'context', LAST_CONTEXT, 'create', null, contextRecord(c))
	];
}

// ---------------------------------------------------------------------------------------------
// Guards: checks made inside the batch, so they hold whichever process writes. A guard inserts
// into write_guard only when its check fails; the table's CHECK constraint then aborts the batch.
// Measured: one extra statement that writes nothing, a few microseconds per write.

export type GuardReason = 'stale_version' | 'stranded_events';

/** Aborts the batch when the statement just before it (a conditional UPDATE) changed no row. */
export const changedOrAbort = (db: Db): Statement => db.run(sql`insert into write_guard (reason) select 'stale_version' where changes() = 0`);

/** Aborts the batch when live events of the issue lie off [min, max]. */
export const noneOffScaleOrAbort = (db: Db, issueId: number, scale: { min: number; max: number }): Statement =>
	db.run(
		sql`insert into write_guard (reason) select 'stranded_events' where exists (select 1 from ${stanceEvent} where ${stanceEvent.issueId} = ${issueId} and ${stanceEvent.deletedAt} is null and (${stanceEvent.position} < ${scale.min} or ${stanceEvent.position} > ${scale.max}))`
	);

/** A batch that a guard aborted: nothing of it was written. */
export class GuardError extends Error {
	constructor(public readonly reason: GuardReason) {
		super(`write refused by the database: ${reason}`);
		this.name = 'GuardError';
	}
}

function guardReason(e: unknown): GuardReason | null {
	for (let x: unknown = e, depth = 0; x instanceof Error && depth < 5; x = x.cause, depth++) {
		const m = /CHECK constraint failed: (stale_version|stranded_events)/.exec(x.message);
		if (m) return m[1] as GuardReason;
	}
	return null;
}

/** Runs statements as one batch: all or nothing. @throws GuardError when a guard aborted it. */
export async function runBatch(db: Db, batch: Statement[]): Promise<unknown[]> {
	if (!batch.length) return [];
	try {
		return await db.batch(batch as [Statement, ...Statement[]]);
	} catch (e) {
		const reason = guardReason(e);
		if (reason) throw new GuardError(reason);
		throw e;
	}
}

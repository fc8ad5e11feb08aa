/**
 * The reads the writers need: what the database holds, as inputs. It is the "before" of every
 * change in the history, and the lookups the domain rules check against.
 */
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { eventFields } from '../queries/events';
import { actor, contextEvent, issue, issueFeaturedActor, scaleLabel, source, stanceEvent } from '../db/schema';
import { createChecker, lookupsFrom, type Lookups } from '../../domain/rules';
import type { Scale } from '../../domain/types';
import type { ActorInput, ContextEventInput, EventInput, IssueInput } from '../../schemas/dataset';

export interface Known {
	actors: Map<string, ActorInput & { id: number; deleted: boolean }>;
	issues: Map<string, IssueInput & { id: number; deleted: boolean }>;
}

/** Every actor and issue (deleted ones too), by slug. */
export async function loadKnown(db: Db): Promise<Known> {
	const [actorRows, issueRows, labelRows, featuredRows] = await Promise.all([
		db
			.select({
				id: actor.id,
				slug: actor.slug,
				name: actor.name,
				kind: actor.kind,
				parentId: actor.parentId,
				role: actor.role,
				countryCode: actor.countryCode,
				color: actor.color,
				deletedAt: actor.deletedAt
			})
			.from(actor),
		db.select().from(issue),
		db.select().from(scaleLabel),
		db.select().from(issueFeaturedActor).orderBy(issueFeaturedActor.issueId, issueFeaturedActor.ordinal)
	]);
	const slugById = new Map(actorRows.map((a) => [a.id, a.slug]));
	const liveIds = new Set(actorRows.filter((a) => a.deletedAt === null).map((a) => a.id));
	return {
		actors: new Map(
			actorRows.map((a) => [
				a.slug,
				{
					id: a.id,
					slug: a.slug,
					name: a.name,
					kind: a.kind,
					parent: a.parentId === null ? null : (slugById.get(a.parentId) ?? null),
					role: a.role,
					countryCode: a.countryCode,
					color: a.color,
					deleted: a.deletedAt !== null
				}
			])
		),
		issues: new Map(
			issueRows.map((i) => [
				i.slug,
				{
					id: i.id,
					slug: i.slug,
					title: i.title,
					description: i.description,
					scale: {
						min: i.scaleMin,
						max: i.scaleMax,
						labels: labelRows
							.filter((l) => l.issueId === i.id)
							.sort((a, b) => a.value - b.value)
							.map((l) => ({ value: l.value, label: l.label }))
					},
					// A deleted actor drops out of the list (the issue page shows only live actors anyway).
					featured: featuredRows.filter((f) => f.issueId === i.id && liveIds.has(f.actorId)).map((f) => slugById.get(f.actorId)!),
					rules: { minShare: i.changeMinShare, walkBackDays: i.walkBackDays, staleAfterDays: i.staleAfterDays },
					deleted: i.deletedAt !== null
				}
			])
		)
	};
}

/** The rules' view of what is known: live actors (with everyone's parents) and live issues' scales. */
export function lookupsOf(known: Known): Lookups {
	const scales = new Map<string, Scale>();
	for (const [slug, i] of known.issues) if (!i.deleted) scales.set(slug, i.scale);
	return lookupsFrom({ actors: known.actors, scales });
}

/** A record of the known maps without its id and deleted flag: the input it would be written from. */
export function asInput<T extends { id: number; deleted: boolean }>(record: T): Omit<T, 'id' | 'deleted'> {
	const { id: _id, deleted: _d, ...input } = record;
	return input;
}

/** The stored event with the given id, as input (slugs), with its version; deleted ones too. */
export async function currentEvent(db: Db, id: number): Promise<{ input: EventInput; version: number; deleted: boolean; createdAt: string } | null> {
	const sp = sql`(select slug from actor where id = ${stanceEvent.speakerId})`;
	const tg = sql`(select slug from actor where id = ${stanceEvent.targetId})`;
	const [row] = await db
		.select({
			actor: sql<string>`(select slug from actor where id = ${stanceEvent.actorId})`,
			issue: sql<string>`(select slug from issue where id = ${stanceEvent.issueId})`,
			speaker: sql<string | null>`${sp}`,
			target: sql<string | null>`${tg}`,
			...eventFields,
			version: stanceEvent.version,
			deletedAt: stanceEvent.deletedAt,
			createdAt: stanceEvent.createdAt
		})
		.from(stanceEvent)
		.where(eq(stanceEvent.id, id));
	if (!row) return null;
	const sources = await db
		.select({ outlet: source.outlet, title: source.title, url: source.url, publishedOn: source.publishedOn })
		.from(source)
		.where(eq(source.eventId, id))
		.orderBy(source.ordinal);
	const { version, deletedAt, createdAt, ...rest } = row;
	return { input: { ...rest, sources }, version, deleted: deletedAt !== null, createdAt };
}

/** The id and version of an actor or issue by slug, or null. */
export async function rowOf(db: Db, table: typeof actor | typeof issue, slug: string) {
	const [row] = await db.select({ id: table.id, version: table.version, deletedAt: table.deletedAt }).from(table).where(eq(table.slug, slug));
	return row ?? null;
}

/** How many live events of an issue lie outside [min, max]. */
export async function eventsOffScale(db: Db, issueId: number, scale: { min: number; max: number }): Promise<number> {
	const [off] = await db
		.select({ n: sql<number>`count(*)` })
		.from(stanceEvent)
		.where(sql`${stanceEvent.issueId} = ${issueId} and ${stanceEvent.deletedAt} is null and (${stanceEvent.position} < ${scale.min} or ${stanceEvent.position} > ${scale.max})`);
	return off?.n ?? 0;
}

/** The stored context event with the given id, as input (its issue's slug), with its version; deleted ones too. */
export async function currentContext(db: Db, id: number): Promise<{ input: ContextEventInput; version: number; deleted: boolean } | null> {
	const [row] = await db
		.select({
			issue: sql<string>`(select slug from issue where id = ${contextEvent.issueId})`,
			date: contextEvent.date,
			datePrecision: contextEvent.datePrecision,
			endDate: contextEvent.endDate,
			label: contextEvent.label,
			outlet: contextEvent.outlet,
			title: contextEvent.sourceTitle,
			url: contextEvent.sourceUrl,
			publishedOn: contextEvent.sourcePublishedOn,
			version: contextEvent.version,
			deletedAt: contextEvent.deletedAt
		})
		.from(contextEvent)
		.where(eq(contextEvent.id, id));
	if (!row) return null;
	const { outlet, title, url, publishedOn, version, deletedAt, ...rest } = row;
	return { input: { ...rest, source: { outlet, title, url, publishedOn } }, version, deleted: deletedAt !== null };
}

/** The rules' checker over the records as they are now, for a write dated `now`. */
export async function checkerNow(db: Db, now: string) {
	return createChecker(lookupsOf(await loadKnown(db)), now);
}

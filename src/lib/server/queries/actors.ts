import { and, asc, eq, isNotNull, isNull } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Db } from '../db/client';
import { actor } from '../db/schema';
import type { Actor } from '../../domain/types';
import { actorThen, type AsOfDelta } from './asofDelta';

const parent = alias(actor, 'parent');

const columns = {
	id: actor.id,
	slug: actor.slug,
	name: actor.name,
	kind: actor.kind,
	parent: parent.slug,
	role: actor.role,
	countryCode: actor.countryCode,
	color: actor.color
};

function toActor(row: { id: number } & Actor): Actor {
	const { id: _id, ...rest } = row;
	return rest;
}

/**
 * Every live actor, by name. With `at` (a moment's delta), the actors in the record then (one
 * deleted since too), as they stood then (names, colours, parents).
 */
export async function list(db: Db, { at }: { at?: AsOfDelta } = {}): Promise<Actor[]> {
	const rows = await db
		.select(columns)
		.from(actor)
		.leftJoin(parent, eq(actor.parentId, parent.id))
		.where(at ? undefined : isNull(actor.deletedAt))
		.orderBy(asc(actor.name));
	if (!at) return rows.map(toActor);
	return rows.flatMap((r) => actorThen(at, toActor(r)) ?? []).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** A live actor by slug; with `at`, the actor in the record then (deleted since or not), as it stood then. */
export async function bySlug(db: Db, slug: string, { at }: { at?: AsOfDelta } = {}): Promise<Actor | null> {
	const [row] = await db
		.select(columns)
		.from(actor)
		.leftJoin(parent, eq(actor.parentId, parent.id))
		.where(at ? eq(actor.slug, slug) : and(eq(actor.slug, slug), isNull(actor.deletedAt)));
	if (!row) return null;
	return at ? actorThen(at, toActor(row)) : toActor(row);
}

/**
 * The actors that speak for the given one (its persons and bodies), live ones by name. With `at`,
 * those that did then: in the record then, with the parent they then had, as they stood then.
 */
export async function speakersFor(db: Db, slug: string, { at }: { at?: AsOfDelta } = {}): Promise<Actor[]> {
	if (at) return (await list(db, { at })).filter((a) => a.parent === slug);
	const rows = await db
		.select(columns)
		.from(actor)
		.innerJoin(parent, eq(actor.parentId, parent.id))
		.where(and(eq(parent.slug, slug), isNull(actor.deletedAt)))
		.orderBy(asc(actor.name));
	return rows.map(toActor);
}

/** Every actor row, deleted ones included. */
export async function count(db: Db): Promise<number> {
	return db.$count(actor);
}

/** Deleted actors, for the trash. */
export async function deleted(db: Db): Promise<{ slug: string; name: string; version: number; deletedAt: string }[]> {
	const rows = await db
		.select({ slug: actor.slug, name: actor.name, version: actor.version, deletedAt: actor.deletedAt })
		.from(actor)
		.where(isNotNull(actor.deletedAt))
		.orderBy(asc(actor.name));
	return rows as { slug: string; name: string; version: number; deletedAt: string }[];
}

/** An actor's version, for forms that edit it. */
export async function versionOf(db: Db, slug: string): Promise<number | null> {
	const [row] = await db.select({ version: actor.version }).from(actor).where(and(eq(actor.slug, slug), isNull(actor.deletedAt)));
	return row?.version ?? null;
}

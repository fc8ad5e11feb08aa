import { and, asc, eq, isNotNull, isNull } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Db } from '../db/client';
import { actor } from '../db/schema';
import type { Actor } from '../../domain/types';

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

/** Every actor, by name. */
export async function list(db: Db): Promise<Actor[]> {
	const rows = await db
		.select(columns)
		.from(actor)
		.leftJoin(parent, eq(actor.parentId, parent.id))
		.where(isNull(actor.deletedAt))
		.orderBy(asc(actor.name));
	return rows.map(toActor);
}

export async function bySlug(db: Db, slug: string): Promise<Actor | null> {
	const [row] = await db
		.select(columns)
		.from(actor)
		.leftJoin(parent, eq(actor.parentId, parent.id))
		.where(and(eq(actor.slug, slug), isNull(actor.deletedAt)));
	return row ? toActor(row) : null;
}

/** The actors that speak for the given one (its persons and bodies). */
export async function speakersFor(db: Db, slug: string): Promise<Actor[]> {
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

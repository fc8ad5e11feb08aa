import { asc, eq } from 'drizzle-orm';
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
		.orderBy(asc(actor.name));
	return rows.map(toActor);
}

export async function bySlug(db: Db, slug: string): Promise<Actor | null> {
	const [row] = await db
		.select(columns)
		.from(actor)
		.leftJoin(parent, eq(actor.parentId, parent.id))
		.where(eq(actor.slug, slug));
	return row ? toActor(row) : null;
}

/** The actors that speak for the given one (its persons and bodies). */
export async function speakersFor(db: Db, slug: string): Promise<Actor[]> {
	const rows = await db
		.select(columns)
		.from(actor)
		.innerJoin(parent, eq(actor.parentId, parent.id))
		.where(eq(parent.slug, slug))
		.orderBy(asc(actor.name));
	return rows.map(toActor);
}

export async function count(db: Db): Promise<number> {
	return db.$count(actor);
}

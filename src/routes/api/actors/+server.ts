import { json } from '@sveltejs/kit';
import { apiAuthor } from '$lib/server/auth/guard';
import { readJson, writeError } from '$lib/server/http';
import { createActor } from '$lib/server/write';
import { db } from '$lib/server/db';
import * as actors from '$lib/server/queries/actors';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async () => {
	const list = await actors.list(db);
	return json(list.map(({ slug, name, kind, parent, role, color }) => ({ slug, name, kind, parent, role, color })));
};

/** Adds an actor: JSON body as in the dataset format. */
export const POST: RequestHandler = async (event) => {
	const author = apiAuthor(event);
	if (author instanceof Response) return author;
	const body = await readJson(event.request);
	if (!body.ok) return body.response;
	try {
		const r = await createActor(db, body.body, author);
		return json(await one(r.slug), { status: 201, headers: { Location: `/api/actors/${r.slug}` } });
	} catch (e) {
		return writeError(e);
	}
};

async function one(slug: string) {
	const [a, version] = await Promise.all([actors.bySlug(db, slug), actors.versionOf(db, slug)]);
	return a ? { ...a, version } : null;
}

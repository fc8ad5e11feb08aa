import { json } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { apiAuthor } from '$lib/server/auth/guard';
import { jsonError, readJson, writeError } from '$lib/server/http';
import * as actors from '$lib/server/queries/actors';
import { setDeleted, updateActor } from '$lib/server/write';
import type { RequestHandler } from './$types';

async function one(slug: string) {
	const [record, version] = await Promise.all([actors.bySlug(db, slug), actors.versionOf(db, slug)]);
	return record ? { ...record, version } : null;
}

export const GET: RequestHandler = async ({ params }) => {
	const r = await one(params.slug);
	return r ? json(r) : jsonError(404, `actor "${params.slug}" not found`);
};

/** Changes some fields; the body carries the `version` it was read at. The slug stays. */
export const PATCH: RequestHandler = async (event) => {
	const author = apiAuthor(event);
	if (author instanceof Response) return author;
	const body = await readJson(event.request);
	if (!body.ok) return body.response;
	try {
		await updateActor(db, event.params.slug, body.body, author);
		return json(await one(event.params.slug));
	} catch (e) {
		return writeError(e);
	}
};

/** Deletes (softly) the actor; its events are hidden with it. `?version=` guards against a newer change. */
export const DELETE: RequestHandler = async (event) => {
	const author = apiAuthor(event, { body: false });
	if (author instanceof Response) return author;
	const v = event.url.searchParams.get('version');
	if (v !== null && !/^\d+$/.test(v)) return jsonError(400, 'parameter "version" must be a whole number');
	try {
		const r = await setDeleted(db, 'actor', event.params.slug, true, v === null ? undefined : Number(v), author);
		return json({ ...r, deleted: true });
	} catch (e) {
		return writeError(e);
	}
};

import { json } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { apiAuthor } from '$lib/server/auth/guard';
import { versionParam } from '$lib/server/api';
import { jsonError, readJson, writeError } from '$lib/server/http';
import * as context from '$lib/server/queries/context';
import { deleteContextEvent, updateContextEvent } from '$lib/server/write';
import type { RequestHandler } from './$types';

async function live(id: number) {
	const c = await context.byId(db, id);
	if (!c || c.deleted) return null;
	const { deleted: _d, ...out } = c;
	return out;
}

export const GET: RequestHandler = async ({ params }) => {
	const c = await live(Number(params.id));
	return c ? json(c) : jsonError(404, `context event ${params.id} not found`);
};

/** Changes some fields of a context event (`source` as a whole); the body carries the `version` it was read at. */
export const PATCH: RequestHandler = async (event) => {
	const author = apiAuthor(event);
	if (author instanceof Response) return author;
	const body = await readJson(event.request);
	if (!body.ok) return body.response;
	try {
		await updateContextEvent(db, Number(event.params.id), body.body, author);
		return json(await live(Number(event.params.id)));
	} catch (e) {
		return writeError(e);
	}
};

/** Deletes (softly) a context event; `?version=` guards against deleting a newer change. */
export const DELETE: RequestHandler = async (event) => {
	const author = apiAuthor(event, { body: false });
	if (author instanceof Response) return author;
	const version = versionParam(event.url);
	if (version instanceof Response) return version;
	try {
		const r = await deleteContextEvent(db, Number(event.params.id), version, author);
		return json({ id: r.id, version: r.version, deleted: true });
	} catch (e) {
		return writeError(e);
	}
};

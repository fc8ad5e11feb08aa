import { json } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { toApiEvent, versionParam } from '$lib/server/api';
import { apiAuthor } from '$lib/server/auth/guard';
import { jsonError, readJson, reasonParam, writeError } from '$lib/server/http';
import * as events from '$lib/server/queries/events';
import { deleteEvent, updateEvent } from '$lib/server/write';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params }) => {
	const e = await events.byId(db, Number(params.id));
	return e ? json(toApiEvent(e)) : jsonError(404, `event ${params.id} not found`);
};

/** Changes some fields of an event; the body carries the `version` it was read at. */
export const PATCH: RequestHandler = async (event) => {
	const author = apiAuthor(event);
	if (author instanceof Response) return author;
	const body = await readJson(event.request);
	if (!body.ok) return body.response;
	try {
		await updateEvent(db, Number(event.params.id), body.body, author);
		return json(toApiEvent((await events.byId(db, Number(event.params.id)))!));
	} catch (e) {
		return writeError(e);
	}
};

/** Deletes (softly) an event; `?version=` guards against deleting a newer change; `?reason=` (or `reason` in a JSON body) says why (required after 24 hours). */
export const DELETE: RequestHandler = async (event) => {
	const author = apiAuthor(event, { body: false });
	if (author instanceof Response) return author;
	const version = versionParam(event.url);
	if (version instanceof Response) return version;
	const reason = await reasonParam(event.request, event.url);
	if (!reason.ok) return reason.response;
	try {
		const r = await deleteEvent(db, Number(event.params.id), version, author, reason.reason);
		return json({ id: r.id, version: r.version, deleted: true });
	} catch (e) {
		return writeError(e);
	}
};

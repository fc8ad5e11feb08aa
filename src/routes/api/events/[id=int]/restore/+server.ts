import { json } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { apiAuthor } from '$lib/server/auth/guard';
import { reasonParam, writeError } from '$lib/server/http';
import { restoreEvent } from '$lib/server/write';
import type { RequestHandler } from './$types';

/** Restores a deleted event; `?reason=` (or `reason` in a JSON body) says why (required once it had been public for 24 hours). */
export const POST: RequestHandler = async (event) => {
	const author = apiAuthor(event, { body: false });
	if (author instanceof Response) return author;
	const reason = await reasonParam(event.request, event.url);
	if (!reason.ok) return reason.response;
	try {
		return json(await restoreEvent(db, Number(event.params.id), author, reason.reason));
	} catch (e) {
		return writeError(e);
	}
};

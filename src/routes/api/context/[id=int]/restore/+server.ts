import { json } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { apiAuthor } from '$lib/server/auth/guard';
import { writeError } from '$lib/server/http';
import { restoreContextEvent } from '$lib/server/write';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async (event) => {
	const author = apiAuthor(event, { body: false });
	if (author instanceof Response) return author;
	try {
		return json(await restoreContextEvent(db, Number(event.params.id), author));
	} catch (e) {
		return writeError(e);
	}
};

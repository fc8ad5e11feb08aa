import { json } from '@sveltejs/kit';
import { recordApi } from '$lib/server/recordApi';
import { db } from '$lib/server/db';
import * as actors from '$lib/server/queries/actors';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async () => {
	const list = await actors.list(db);
	return json(list.map(({ slug, name, kind, parent, role, color }) => ({ slug, name, kind, parent, role, color })));
};

const api = recordApi('actor');

/** Adds a record: JSON body as in the dataset format. */
export const POST: RequestHandler = (event) => api.create(event);

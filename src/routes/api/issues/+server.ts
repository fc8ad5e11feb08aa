import { json } from '@sveltejs/kit';
import { recordApi } from '$lib/server/recordApi';
import { db } from '$lib/server/db';
import * as issues from '$lib/server/queries/issues';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async () => json(await issues.list(db));

const api = recordApi('issue');

/** Adds a record: JSON body as in the dataset format. */
export const POST: RequestHandler = (event) => api.create(event);

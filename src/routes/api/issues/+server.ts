import { json } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import * as issues from '$lib/server/queries/issues';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async () => json(await issues.list(db));

import { db } from '$lib/server/db';
import * as actors from '$lib/server/queries/actors';
import type { PageServerLoad } from './$types';

export const load = (async () => ({ actors: await actors.list(db) })) satisfies PageServerLoad;

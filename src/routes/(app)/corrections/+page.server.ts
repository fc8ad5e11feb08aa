import { db } from '$lib/server/db';
import { correctionsModel } from '$lib/server/pages/corrections';
import type { PageServerLoad } from './$types';

export const load = (async ({ url }) => correctionsModel(db, url)) satisfies PageServerLoad;

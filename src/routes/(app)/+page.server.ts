import { db } from '$lib/server/db';
import { homeData } from '$lib/server/read/home';
import type { PageServerLoad } from './$types';

export const load = (async () => homeData(db)) satisfies PageServerLoad;

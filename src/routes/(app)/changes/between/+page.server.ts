import { db } from '$lib/server/db';
import { movedModel } from '$lib/server/pages/moved';
import type { PageServerLoad } from './$types';

export const load = (async ({ url, setHeaders }) => movedModel(db, url, { setHeaders })) satisfies PageServerLoad;

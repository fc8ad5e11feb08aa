import { error } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import * as actors from '$lib/server/queries/actors';
import { actorModel } from '$lib/server/pages/actor';
import type { PageServerLoad } from './$types';

export const load = (async ({ params, url }) => {
	const actor = await actors.bySlug(db, params.slug);
	if (!actor) error(404, `No actor called "${params.slug}"`);
	return actorModel(db, actor, url);
}) satisfies PageServerLoad;

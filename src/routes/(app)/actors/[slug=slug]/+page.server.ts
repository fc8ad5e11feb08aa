import { error } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import * as actors from '$lib/server/queries/actors';
import { actorModel } from '$lib/server/pages/actor';
import { pinnedTo } from '$lib/server/pages/asof';
import type { PageServerLoad } from './$types';

export const load = (async ({ params, url }) => {
	// Pinned to a moment (?asof=), an actor deleted since is shown as it then stood.
	const pinned = await pinnedTo(db, url);
	const actor = await actors.bySlug(db, params.slug, pinned ? { at: pinned } : {});
	if (!actor) error(404, pinned ? `No actor called "${params.slug}" on ${pinned.asof}` : `No actor called "${params.slug}"`);
	return actorModel(db, actor, url);
}) satisfies PageServerLoad;

import { error } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { permalinkOf } from '$lib/server/export';
import { loadView } from '$lib/server/queries/view';
import type { PageServerLoad } from './$types';

export const load = (async ({ url, setHeaders }) => {
	const loaded = await loadView(db, url.searchParams);
	if (!loaded.shownIssues.length) error(404, 'Nothing to show: name actors or issues');
	// Embeds live inside other sites' pages.
	setHeaders({ 'Cache-Control': 'public, max-age=300' });
	return {
		view: loaded.view,
		shownActors: loaded.shownActors,
		shownIssues: loaded.shownIssues,
		problems: loaded.problems,
		actors: loaded.actors,
		issues: loaded.issues,
		events: loaded.events,
		permalink: permalinkOf(url.origin, loaded)
	};
}) satisfies PageServerLoad;

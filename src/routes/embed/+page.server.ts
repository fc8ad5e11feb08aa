import { error } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { db } from '$lib/server/db';
import { exportCacheHeaders, permalinkOf } from '$lib/server/export';
import { loadView } from '$lib/server/queries/view';
import { refuseUnreadableAsof, viewPin } from '$lib/server/read/viewCite';
import type { PageServerLoad } from './$types';

export const load = (async ({ url, setHeaders }) => {
	const loaded = await loadView(db, url.searchParams);
	refuseUnreadableAsof(loaded);
	if (loaded.tooLarge) error(413, loaded.tooLarge.message);
	if (!loaded.shownIssues.length) error(404, 'Nothing to show: name actors or issues');
	// Never stale after an edit; never in a shared cache when the site requires login. Anonymous
	// requests also get the pages' ETag (hooks, read/pages.ts), so revalidating costs a 304.
	setHeaders(exportCacheHeaders({ requireLogin: env.REQUIRE_LOGIN === 'true', validator: false }));
	return {
		view: loaded.view,
		shownActors: loaded.shownActors,
		shownIssues: loaded.shownIssues,
		problems: loaded.problems,
		actors: loaded.actors,
		issues: loaded.issues,
		events: loaded.events,
		context: loaded.context,
		marks: loaded.marks,
		permalink: permalinkOf(url.origin, loaded),
		asof: loaded.asof,
		pin: await viewPin(db, loaded)
	};
}) satisfies PageServerLoad;

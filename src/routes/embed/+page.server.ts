import { error } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { db } from '$lib/server/db';
import { exportCacheHeaders, permalinkOf } from '$lib/server/export';
import { loadView } from '$lib/server/queries/view';
import { cachedPin } from '$lib/server/queries/asof';
import type { PageServerLoad } from './$types';

export const load = (async ({ url, setHeaders }) => {
	const loaded = await loadView(db, url.searchParams);
	const bad = loaded.problems.find((p) => p.parameter === 'asof');
	if (bad) error(400, `parameter "asof" ${bad.message}, e.g. 2025-11-12 or 2025-11-12T08:30:00Z`);
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
		// Cite this chart: pinned to the latest change the view includes (or to its own asof).
		pin: loaded.asof ?? (await cachedPin(db, { actors: loaded.view.actors, issues: loaded.shownIssues }))
	};
}) satisfies PageServerLoad;

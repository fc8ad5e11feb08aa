import { error } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import * as series from '$lib/server/queries/series';
import type { PageServerLoad } from './$types';

export const load = (async ({ params, url }) => {
	const r = await series.forIssue(db, { issue: params.slug });
	if (!r.ok) error(404, `No issue called "${params.slug}"`);
	const view = url.searchParams.get('view') === 'lanes' ? 'lanes' : 'lines';
	const sort = url.searchParams.get('sort') === 'desc' ? 'desc' : 'asc';
	return { issue: r.issue, series: r.series, events: r.events, actors: r.actors, view, sort } as const;
}) satisfies PageServerLoad;

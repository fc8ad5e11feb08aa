import { error } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import * as issues from '$lib/server/queries/issues';
import { issueModel } from '$lib/server/pages/issue';
import type { PageServerLoad } from './$types';

export const load = (async ({ params, url }) => {
	const issue = await issues.bySlug(db, params.slug);
	if (!issue) error(404, `No issue called "${params.slug}"`);
	return issueModel(db, issue, url);
}) satisfies PageServerLoad;

import { error } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import * as issues from '$lib/server/queries/issues';
import { issueModel } from '$lib/server/pages/issue';
import { evidenceFor } from '$lib/server/read/evidence';
import { today } from '$lib/domain/dates';
import type { PageServerLoad } from './$types';

export const load = (async ({ params, url }) => {
	const issue = await issues.bySlug(db, params.slug);
	if (!issue) error(404, `No issue called "${params.slug}"`);
	const model = await issueModel(db, issue, url);
	// The tooltips of a current stance tell its whole evidence: for the actors drawn event by event (none as of a moment).
	const byEvent = model.series.filter((s) => !s.bucket).map((s) => s.actor);
	const evidence = model.asof || !byEvent.length ? null : (await evidenceFor(db, { actors: byEvent, issues: [issue] }, today()))[issue.slug]!;
	return { ...model, evidence };
}) satisfies PageServerLoad;

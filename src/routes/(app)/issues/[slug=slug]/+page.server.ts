import { error } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import * as issues from '$lib/server/queries/issues';
import { issueModel } from '$lib/server/pages/issue';
import { pinnedTo } from '$lib/server/pages/asof';
import { evidenceFor } from '$lib/server/read/evidence';
import { today } from '$lib/domain/dates';
import type { PageServerLoad } from './$types';

export const load = (async ({ params, url }) => {
	// Pinned to a moment (?asof=), an issue deleted since is shown as it then stood.
	const pinned = await pinnedTo(db, url);
	const issue = await issues.bySlug(db, params.slug, pinned ? { at: pinned } : {});
	if (!issue) error(404, pinned ? `No issue called "${params.slug}" on ${pinned.asof}` : `No issue called "${params.slug}"`);
	const model = await issueModel(db, issue, url);
	// The tooltips of a current stance tell its whole evidence: for the actors drawn event by event (none as of a moment).
	const byEvent = model.series.filter((s) => !s.bucket).map((s) => s.actor);
	const evidence = model.asof || !byEvent.length ? null : (await evidenceFor(db, { actors: byEvent, issues: [issue] }, today()))[issue.slug]!;
	return { ...model, evidence };
}) satisfies PageServerLoad;

import { error } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import * as contextQ from '$lib/server/queries/context';
import * as actors from '$lib/server/queries/actors';
import * as events from '$lib/server/queries/events';
import * as issues from '$lib/server/queries/issues';
import { actorEvidence } from '$lib/server/read/evidence';
import { today } from '$lib/domain/dates';
import type { PageServerLoad } from './$types';

export const load = (async ({ params, url }) => {
	const [actor, allActors, issueList, speakers, involving] = await Promise.all([
		actors.bySlug(db, params.slug),
		actors.list(db),
		issues.list(db),
		actors.speakersFor(db, params.slug),
		events.list(db, { involving: params.slug })
	]);
	if (!actor) error(404, `No actor called "${params.slug}"`);
	const parent = actor.parent ? (allActors.find((a) => a.slug === actor.parent) ?? null) : null;
	// A person's chart shows what they said; any other actor's shows its own stance.
	const charted = involving.events.filter((e) => (actor.kind === 'person' ? e.speaker === actor.slug : e.actor === actor.slug));
	const sort = url.searchParams.get('sort') === 'asc' ? 'asc' : 'desc';
	// A person speaks for another actor: the stances (and their evidence) are that actor's.
	// Context events of the issues charted.
	const [evidence, context] = await Promise.all([
		actor.kind === 'person' ? null : actorEvidence(db, actor.slug, issueList, today()),
		contextQ.forIssues(db, [...new Set(charted.map((e) => e.issue))])
	]);
	return { actor, parent, speakers, actors: allActors, issues: issueList, events: involving.events, charted, context, sort, evidence } as const;
}) satisfies PageServerLoad;

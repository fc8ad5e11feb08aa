import { error } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import * as contextQ from '$lib/server/queries/context';
import * as actors from '$lib/server/queries/actors';
import * as events from '$lib/server/queries/events';
import * as issues from '$lib/server/queries/issues';
import { actorEvidence } from '$lib/server/read/evidence';
import { today } from '$lib/domain/dates';
import { cachedPin } from '$lib/server/queries/asof';
import { eventsAsOfBounded } from '$lib/server/queries/view';
import { readAsOf } from '$lib/domain/asof';
import type { PageServerLoad } from './$types';

export const load = (async ({ params, url }) => {
	const at = readAsOf(url.searchParams);
	if (!at.ok) error(400, at.message);
	const asof = at.asof;
	// ?asof=: what was recorded then (rebuilt from the history, bounded by VIEW_MAX_EVENTS).
	const involvingThen = asof ? eventsAsOfBounded(db, { involving: params.slug }, asof) : null;
	const [actor, allActors, issueList, speakers, involving, then, pin] = await Promise.all([
		actors.bySlug(db, params.slug),
		actors.list(db),
		issues.list(db),
		actors.speakersFor(db, params.slug),
		asof ? null : events.list(db, { involving: params.slug }),
		involvingThen,
		asof ?? cachedPin(db, { involving: params.slug })
	]);
	if (!actor) error(404, `No actor called "${params.slug}"`);
	const tooLarge = then && !then.ok ? then.tooLarge.message : null;
	const list = involving ? involving.events : then?.ok ? then.events : [];
	const parent = actor.parent ? (allActors.find((a) => a.slug === actor.parent) ?? null) : null;
	// A person's chart shows what they said; any other actor's shows its own stance.
	const charted = list.filter((e) => (actor.kind === 'person' ? e.speaker === actor.slug : e.actor === actor.slug));
	const sort = url.searchParams.get('sort') === 'asc' ? 'asc' : 'desc';
	// A person speaks for another actor: the stances (and their evidence) are that actor's. Evidence
	// is read from today's record: a page shown as of a moment goes without it.
	// Context events of the issues charted (today's).
	const [evidence, context] = await Promise.all([
		actor.kind === 'person' || asof ? null : actorEvidence(db, actor.slug, issueList, today()),
		contextQ.forIssues(db, [...new Set(charted.map((e) => e.issue))])
	]);
	return { actor, parent, speakers, actors: allActors, issues: issueList, events: list, charted, context, sort, evidence, asof, pin, tooLarge } as const;
}) satisfies PageServerLoad;

import { json } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { jsonError, parseQuery, readJson, writeError } from '$lib/server/http';
import { apiAuthor } from '$lib/server/auth/guard';
import { createEvent } from '$lib/server/write';
import * as actors from '$lib/server/queries/actors';
import * as events from '$lib/server/queries/events';
import * as issues from '$lib/server/queries/issues';
import { eventsQuerySchema } from '$lib/schemas/query';
import { toApiEvent } from '$lib/server/api';
import { eventsPageAt } from '$lib/server/queries/asofRead';
import { deltaAt } from '$lib/server/queries/asofDelta';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ url }) => {
	const q = parseQuery(eventsQuerySchema, url);
	if (!q.ok) return q.response;
	const { actor, issue } = q.data;
	// Pinned to a moment, an actor or issue deleted since is known too (one not in the record then
	// has no events then: the as-of reads leave them out).
	const delta = q.data.asof ? await deltaAt(db, q.data.asof) : null;
	const [a, i] = await Promise.all([
		actor ? actors.bySlug(db, actor).then((r) => r ?? (delta && actors.bySlug(db, actor, { at: delta }))) : null,
		issue ? issues.bySlug(db, issue).then((r) => r ?? (delta && issues.bySlug(db, issue, { at: delta }))) : null
	]);
	if (actor && !a) return jsonError(404, `unknown actor "${actor}"`);
	if (issue && !i) return jsonError(404, `unknown issue "${issue}"`);
	if (delta) {
		// The record as it stood then, paged as the live list: the rows the page needs, and the events set back from the history.
		const { from, to, offset, limit } = q.data;
		const r = await eventsPageAt(db, delta, { actors: actor ? [actor] : undefined, issues: issue ? [issue] : undefined, from, to, offset, limit });
		return json({ asof: q.data.asof, total: r.total, events: r.events.map(toApiEvent) });
	}
	// Without dates the total is the pairs' counts (a row each), not a walk of every matching event.
	const total = q.data.from || q.data.to ? undefined : await events.liveCount(db, { actor, issue });
	const result = await events.list(db, { ...q.data, total });
	return json({ total: result.total, events: result.events.map(toApiEvent) });
};

/** Records an event: JSON body as in the dataset format (README: write API). */
export const POST: RequestHandler = async (event) => {
	const author = apiAuthor(event);
	if (author instanceof Response) return author;
	const body = await readJson(event.request);
	if (!body.ok) return body.response;
	try {
		const created = await createEvent(db, body.body, author);
		const stored = await events.byId(db, created.id);
		return json(toApiEvent(stored!), { status: 201, headers: { Location: `/api/events/${created.id}` } });
	} catch (e) {
		return writeError(e);
	}
};

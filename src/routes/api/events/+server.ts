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
import { eventsAsOfBounded } from '$lib/server/queries/view';
import { deltaAt } from '$lib/server/queries/asofDelta';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ url }) => {
	const q = parseQuery(eventsQuerySchema, url);
	if (!q.ok) return q.response;
	const { actor, issue } = q.data;
	// Pinned to a moment, an actor or issue deleted since is known too (one not in the record then
	// has no events then: eventsAsOf leaves them out).
	const delta = q.data.asof ? await deltaAt(db, q.data.asof) : null;
	const [a, i] = await Promise.all([
		actor ? actors.bySlug(db, actor).then((r) => r ?? (delta && actors.bySlug(db, actor, { at: delta }))) : null,
		issue ? issues.bySlug(db, issue).then((r) => r ?? (delta && issues.bySlug(db, issue, { at: delta }))) : null
	]);
	if (actor && !a) return jsonError(404, `unknown actor "${actor}"`);
	if (issue && !i) return jsonError(404, `unknown issue "${issue}"`);
	if (q.data.asof) {
		// The record as it stood then: bounded like every view (VIEW_MAX_EVENTS), then filtered and paged.
		const r = await eventsAsOfBounded(db, { actors: actor ? [actor] : undefined, issues: issue ? [issue] : undefined }, q.data.asof);
		if (!r.ok) return jsonError(413, r.tooLarge.message, { count: r.tooLarge.count, limit: r.tooLarge.limit });
		const { from, to, offset, limit } = q.data;
		const matching = r.events.filter((e) => (!from || e.date >= from) && (!to || e.date <= to));
		return json({ asof: q.data.asof, total: matching.length, events: matching.slice(offset, offset + limit).map(toApiEvent) });
	}
	const result = await events.list(db, q.data);
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

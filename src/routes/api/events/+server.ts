import { json } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { jsonError, parseQuery } from '$lib/server/http';
import * as actors from '$lib/server/queries/actors';
import * as events from '$lib/server/queries/events';
import * as issues from '$lib/server/queries/issues';
import { eventsQuerySchema } from '$lib/schemas/query';
import { toApiEvent } from '$lib/server/api';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ url }) => {
	const q = parseQuery(eventsQuerySchema, url);
	if (!q.ok) return q.response;
	const { actor, issue } = q.data;
	const [a, i] = await Promise.all([
		actor ? actors.bySlug(db, actor) : null,
		issue ? issues.bySlug(db, issue) : null
	]);
	if (actor && !a) return jsonError(404, `unknown actor "${actor}"`);
	if (issue && !i) return jsonError(404, `unknown issue "${issue}"`);
	const result = await events.list(db, q.data);
	return json({ total: result.total, events: result.events.map(toApiEvent) });
};

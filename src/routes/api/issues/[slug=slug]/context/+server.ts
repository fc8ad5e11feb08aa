import { json } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { apiAuthor } from '$lib/server/auth/guard';
import { jsonError, readJson, writeError } from '$lib/server/http';
import * as context from '$lib/server/queries/context';
import * as issues from '$lib/server/queries/issues';
import { createContextEvent } from '$lib/server/write';
import type { RequestHandler } from './$types';

/** The issue's live context events, in date order (README: context events). */
export const GET: RequestHandler = async ({ params }) => {
	if (!(await issues.bySlug(db, params.slug))) return jsonError(404, `unknown issue "${params.slug}"`);
	return json({ issue: params.slug, context: await context.forIssues(db, [params.slug]) });
};

/** Adds a context event to the issue: JSON body as in the dataset format's `context` (the issue taken from the URL). */
export const POST: RequestHandler = async (event) => {
	const author = apiAuthor(event);
	if (author instanceof Response) return author;
	const body = await readJson(event.request);
	if (!body.ok) return body.response;
	if (body.body.issue !== undefined && body.body.issue !== event.params.slug) {
		return jsonError(400, `"issue" is "${String(body.body.issue)}" but the URL names "${event.params.slug}"`);
	}
	try {
		const created = await createContextEvent(db, { ...body.body, issue: event.params.slug }, author);
		const stored = await context.byId(db, created.id);
		const { deleted: _d, ...out } = stored!;
		return json(out, { status: 201, headers: { Location: `/api/context/${created.id}` } });
	} catch (e) {
		return writeError(e);
	}
};

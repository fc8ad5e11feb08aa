import { json } from '@sveltejs/kit';
import { apiAuthor } from '$lib/server/auth/guard';
import { readJson, writeError } from '$lib/server/http';
import { createIssue } from '$lib/server/write';
import { db } from '$lib/server/db';
import * as issues from '$lib/server/queries/issues';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async () => json(await issues.list(db));

/** Adds an issue: JSON body as in the dataset format. */
export const POST: RequestHandler = async (event) => {
	const author = apiAuthor(event);
	if (author instanceof Response) return author;
	const body = await readJson(event.request);
	if (!body.ok) return body.response;
	try {
		const r = await createIssue(db, body.body, author);
		return json(await one(r.slug), { status: 201, headers: { Location: `/api/issues/${r.slug}` } });
	} catch (e) {
		return writeError(e);
	}
};

async function one(slug: string) {
	const [i, version] = await Promise.all([issues.bySlug(db, slug), issues.versionOf(db, slug)]);
	return i ? { ...i, version } : null;
}

import { db } from '$lib/server/db';
import * as corrections from '$lib/server/queries/corrections';
import * as actors from '$lib/server/queries/actors';
import * as issues from '$lib/server/queries/issues';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 50;

export const load = (async ({ url }) => {
	const n = Number(url.searchParams.get('page') ?? '1');
	const page = Number.isInteger(n) && n >= 1 ? n : 1;
	const [{ total, corrections: list }, actorList, issueList] = await Promise.all([
		corrections.list(db, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
		actors.list(db),
		issues.list(db)
	]);
	const actorName = new Map(actorList.map((a) => [a.slug, a.name]));
	const issueTitle = new Map(issueList.map((i) => [i.slug, i.title]));
	return {
		total,
		page,
		pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
		corrections: list.map((c) => ({ ...c, actorName: actorName.get(c.actor) ?? c.actor, issueTitle: issueTitle.get(c.issue) ?? c.issue }))
	};
}) satisfies PageServerLoad;

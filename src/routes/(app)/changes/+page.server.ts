import { db } from '$lib/server/db';
import * as changeQ from '$lib/server/queries/changes';
import { changesQuerySchema } from '$lib/schemas/query';
import { changeView } from '$lib/domain/changeView';
import { nonEmptyParams, problemsOf } from '$lib/server/queryForm';
import { pendingHeaders } from '$lib/server/pages/moved';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 50;

export const load = (async ({ url, setHeaders }) => {
	const parsed = changesQuerySchema.safeParse(nonEmptyParams(url));
	const q = parsed.success ? parsed.data : { page: 1 };
	const [pending, names] = await Promise.all([changeQ.ensureFresh(db, q), changeQ.changeNames(db)]);
	if (pending) setHeaders(pendingHeaders);
	const asked = q.page ?? 1;
	let { total, changes } = await changeQ.changesPage(db, q, { offset: (asked - 1) * PAGE_SIZE, per: PAGE_SIZE });
	const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
	const page = Math.min(asked, pages);
	// A page past the end shows the last one.
	if (page !== asked) ({ total, changes } = await changeQ.changesPage(db, q, { offset: (page - 1) * PAGE_SIZE, per: PAGE_SIZE }));
	return {
		problems: parsed.success ? [] : problemsOf(parsed.error),
		pending,
		filter: {
			actors: parsed.success ? ((q as { actors?: string[] }).actors ?? []) : [],
			issues: parsed.success ? ((q as { issues?: string[] }).issues ?? []) : [],
			classes: parsed.success ? ((q as { classes?: string[] }).classes ?? []) : [],
			from: url.searchParams.get('from') ?? '',
			to: url.searchParams.get('to') ?? ''
		},
		total,
		page,
		pages,
		changes: changes.map((c) => changeView(c, names)),
		actors: [...names.actors.values()].filter((a) => names.activeActors.has(a.slug)).map((a) => ({ slug: a.slug, name: a.name })),
		issues: [...names.issues.values()].map((i) => ({ slug: i.slug, title: i.title }))
	};
}) satisfies PageServerLoad;

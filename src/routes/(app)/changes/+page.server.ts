import { db } from '$lib/server/db';
import * as changeQ from '$lib/server/queries/changes';
import { changesQuerySchema } from '$lib/schemas/query';
import { changeView } from '$lib/domain/changeView';
import { filterChanges } from '$lib/domain/changes';
import { nonEmptyParams, problemsOf } from '$lib/server/queryForm';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 50;

export const load = (async ({ url }) => {
	const parsed = changesQuerySchema.safeParse(nonEmptyParams(url));
	const q = parsed.success ? parsed.data : { page: 1 };
	const rec = await changeQ.record(db, { actors: (q as { actors?: string[] }).actors, issues: (q as { issues?: string[] }).issues });
	const filtered = filterChanges(rec.changes, q);
	const pages = Math.max(1, Math.ceil(filtered.length / PAGE_SIZE));
	const page = Math.min(q.page ?? 1, pages);
	const names = { actors: rec.actors, issues: rec.issues };
	return {
		problems: parsed.success ? [] : problemsOf(parsed.error),
		tooLarge: rec.tooLarge?.message ?? null,
		filter: {
			actors: parsed.success ? (q as { actors?: string[] }).actors ?? [] : [],
			issues: parsed.success ? (q as { issues?: string[] }).issues ?? [] : [],
			classes: parsed.success ? (q as { classes?: string[] }).classes ?? [] : [],
			from: url.searchParams.get('from') ?? '',
			to: url.searchParams.get('to') ?? ''
		},
		total: filtered.length,
		page,
		pages,
		changes: filtered.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map((c) => changeView(c, names)),
		actors: [...rec.actors.values()].filter((a) => rec.activeActors.has(a.slug)).map((a) => ({ slug: a.slug, name: a.name })),
		issues: [...rec.issues.values()].map((i) => ({ slug: i.slug, title: i.title }))
	};
}) satisfies PageServerLoad;

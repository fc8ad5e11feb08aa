import { db } from '$lib/server/db';
import * as changeQ from '$lib/server/queries/changes';
import { movedQuerySchema } from '$lib/schemas/query';
import { moverView } from '$lib/domain/changeView';
import { whoMoved } from '$lib/domain/changes';
import { nonEmptyParams, problemsOf } from '$lib/server/queryForm';
import type { PageServerLoad } from './$types';

export const load = (async ({ url }) => {
	const params = nonEmptyParams(url);
	const asked = 'from' in params || 'to' in params;
	const parsed = movedQuerySchema.safeParse(params);
	const rec = await changeQ.record(db, parsed.success ? { actors: parsed.data.actors, issues: parsed.data.issues } : {});
	const base = {
		filter: { from: params.from ?? '', to: params.to ?? '', issues: params.issues?.split(',') ?? [], actors: params.actors?.split(',') ?? [] },
		issues: [...rec.issues.values()].map((i) => ({ slug: i.slug, title: i.title })),
		tooLarge: rec.tooLarge?.message ?? null,
		actors: [...rec.actors.values()].filter((a) => rec.activeActors.has(a.slug)).map((a) => ({ slug: a.slug, name: a.name }))
	};
	if (!parsed.success) return { ...base, problems: asked ? problemsOf(parsed.error) : [], movers: null };
	const q = parsed.data;
	const seriesList = rec.seriesList.filter((s) => (!q.issues?.length || q.issues.includes(s.issue)) && (!q.actors?.length || q.actors.includes(s.actor)));
	const scales = new Map([...rec.issues.values()].map((i) => [i.slug, i.scale]));
	const movers = whoMoved({ seriesList, scales, rules: rec.rules, confirmations: rec.confirmations, from: q.from, to: q.to });
	const names = { actors: rec.actors, issues: rec.issues };
	return {
		...base,
		problems: [],
		movers: movers
			.map((m) => moverView(m, names))
			.sort((a, b) => a.issueTitle.localeCompare(b.issueTitle) || a.actorName.localeCompare(b.actorName))
	};
}) satisfies PageServerLoad;

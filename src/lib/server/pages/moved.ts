import type { Db } from '../db/client';
import * as changeQ from '../queries/changes';
import { movedQuerySchema } from '../../schemas/query';
import { moverView, type MoverView } from '../../domain/changeView';
import { whoMoved } from '../../domain/changes';
import { pageCount } from '../../domain/eventQuery';
import { nonEmptyParams, problemsOf } from '../queryForm';

export const MOVERS_PER_PAGE = 50;
/** Changes a mover shows at most: the first and the latest (the rest are counted and linked to /changes). */
export const CHANGES_PER_MOVER = 6;

/** One page of movers and where it sits among them all. */
export interface MoverPage {
	movers: MoverView[];
	total: number;
	page: number;
	pages: number;
	per: number;
}

/**
 * The "who moved between two dates" page, as its URL asks: filters, dates, `page` and `per`
 * (10..200 movers a page). The diff is derived from the cached change record (no further reads);
 * only the movers of the page asked for are turned into views, with their changes, quotes and sources
 * (at most CHANGES_PER_MOVER changes each).
 */
export async function movedModel(db: Db, url: URL) {
	const params = nonEmptyParams(url);
	const asked = 'from' in params || 'to' in params;
	const parsed = movedQuerySchema.safeParse(params);
	const rec = await changeQ.record(db, parsed.success ? { actors: parsed.data.actors, issues: parsed.data.issues } : {});
	const base = {
		filter: { from: params.from ?? '', to: params.to ?? '', issues: params.issues?.split(',') ?? [], actors: params.actors?.split(',') ?? [], per: params.per ?? '' },
		issues: [...rec.issues.values()].map((i) => ({ slug: i.slug, title: i.title })),
		tooLarge: rec.tooLarge?.message ?? null,
		actors: [...rec.actors.values()].filter((a) => rec.activeActors.has(a.slug)).map((a) => ({ slug: a.slug, name: a.name }))
	};
	if (!parsed.success) return { ...base, problems: asked ? problemsOf(parsed.error) : [], result: null as MoverPage | null };
	const q = parsed.data;
	const seriesList = rec.seriesList.filter((s) => (!q.issues?.length || q.issues.includes(s.issue)) && (!q.actors?.length || q.actors.includes(s.actor)));
	const scales = new Map([...rec.issues.values()].map((i) => [i.slug, i.scale]));
	const issueTitle = (slug: string) => rec.issues.get(slug)?.title ?? slug;
	const actorName = (slug: string) => rec.actors.get(slug)?.name ?? slug;
	const movers = whoMoved({ seriesList, scales, rules: rec.rules, confirmations: rec.confirmations, from: q.from, to: q.to, derived: rec.derived }).sort(
		(a, b) => issueTitle(a.issue).localeCompare(issueTitle(b.issue)) || actorName(a.actor).localeCompare(actorName(b.actor))
	);
	const pages = pageCount(movers.length, q.per);
	const page = Math.min(q.page, pages);
	const names = { actors: rec.actors, issues: rec.issues };
	const result: MoverPage = {
		movers: movers.slice((page - 1) * q.per, page * q.per).map((m) => moverView(m, names, CHANGES_PER_MOVER)),
		total: movers.length,
		page,
		pages,
		per: q.per
	};
	return { ...base, problems: [], result };
}

import type { Db } from '../db/client';
import * as changeQ from '../queries/changes';
import { movedQuerySchema } from '../../schemas/query';
import { moverView, type MoverView } from '../../domain/changeView';
import { pageCount } from '../../domain/eventQuery';
import { nonEmptyParams, problemsOf } from '../queryForm';

export const MOVERS_PER_PAGE = 50;
/** Changes a mover shows at most: the first and the latest (the rest are counted and linked to /changes). */
export const CHANGES_PER_MOVER = 6;

/**
 * Headers of a changes page shown while some of its series are still being derived (`pending`):
 * neither kept by the page cache nor given an ETag, so the complete page replaces it once done.
 */
export const pendingHeaders = { 'cache-control': 'no-store' };

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
 * (10..200 movers a page). The stances at the two dates come from the stored change records (two
 * seeks a series); only the movers of the page asked for are read with their changes, quotes and
 * sources (at most CHANGES_PER_MOVER changes each).
 */
export async function movedModel(db: Db, url: URL, opts: { setHeaders?: (h: Record<string, string>) => void; budget?: number } = {}) {
	const params = nonEmptyParams(url);
	const asked = 'from' in params || 'to' in params;
	const parsed = movedQuerySchema.safeParse(params);
	const scope = parsed.success ? { actors: parsed.data.actors, issues: parsed.data.issues } : {};
	const [pending, names] = await Promise.all([changeQ.ensureFresh(db, scope, { budget: opts.budget }), changeQ.changeNames(db)]);
	if (pending) opts.setHeaders?.(pendingHeaders);
	const base = {
		filter: { from: params.from ?? '', to: params.to ?? '', issues: params.issues?.split(',') ?? [], actors: params.actors?.split(',') ?? [], per: params.per ?? '' },
		issues: [...names.issues.values()].map((i) => ({ slug: i.slug, title: i.title })),
		pending,
		actors: [...names.actors.values()].filter((a) => names.activeActors.has(a.slug)).map((a) => ({ slug: a.slug, name: a.name }))
	};
	if (!parsed.success) return { ...base, problems: asked ? problemsOf(parsed.error) : [], result: null as MoverPage | null };
	const q = parsed.data;
	const issueTitle = (slug: string) => names.issues.get(slug)?.title ?? slug;
	const actorName = (slug: string) => names.actors.get(slug)?.name ?? slug;
	const movers = (await changeQ.moverRows(db, scope, q.from, q.to)).sort(
		(a, b) => issueTitle(a.issue).localeCompare(issueTitle(b.issue)) || actorName(a.actor).localeCompare(actorName(b.actor))
	);
	const pages = pageCount(movers.length, q.per);
	const page = Math.min(q.page, pages);
	const shown = await changeQ.moverCards(db, movers.slice((page - 1) * q.per, page * q.per), CHANGES_PER_MOVER);
	const result: MoverPage = {
		movers: shown.map((m) => moverView(m, names, CHANGES_PER_MOVER)),
		total: movers.length,
		page,
		pages,
		per: q.per
	};
	return { ...base, problems: [], result };
}

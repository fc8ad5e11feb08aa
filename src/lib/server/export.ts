import { buildCompareModel, type CompareModel } from '../charts/compareModel';
import { markInputs } from '../charts/markers';
import { buildExportSpec, defaultExportSize, EXPORT_LIMITS, exportFilename, exportModelOf, exportTitle, rankOutlets, type ExportSpec } from '../charts/exportSpec';
import { citationOf, pinnedUrl, type Citation } from '../domain/citation';
import { cachedPin } from './queries/asof';
import { today } from '../domain/dates';
import type { Db } from './db/client';
import { jsonError } from './http';
import { loadView, viewEventsWithIds, type LoadedView } from './queries/view';
import { outletCounts } from './queries/eventRows';
import { viewVersion } from './queries/meta';
import { EXPORT_PAGE } from './exportData';
import type { StanceEvent } from '../domain/types';

export interface ImageSize {
	width: number;
	height: number;
	scale: number;
}

/**
 * Reads width, height (CSS pixels) and scale; each problem names its parameter. A missing
 * width or height is null: the view's default size applies.
 */
export function parseImageSize(params: URLSearchParams): { size: { width: number | null; height: number | null; scale: number } } | { problems: string[] } {
	const problems: string[] = [];
	const num = <F extends number | null>(key: string, fallback: F, min: number, max: number): number | F => {
		const raw = params.get(key);
		if (raw === null || raw === '') return fallback;
		const n = Number(raw);
		if (!/^\d+(\.\d+)?$/.test(raw) || !Number.isFinite(n)) {
			problems.push(`parameter "${key}" must be a number`);
			return fallback;
		}
		if (n < min || n > max) problems.push(`parameter "${key}" must be between ${min} and ${max}`);
		return n;
	};
	const w = num('width', null, EXPORT_LIMITS.minWidth, EXPORT_LIMITS.maxWidth);
	const h = num('height', null, EXPORT_LIMITS.minHeight, EXPORT_LIMITS.maxHeight);
	const width = w === null ? null : Math.round(w);
	const height = h === null ? null : Math.round(h);
	const scale = num('scale', 1, 1, EXPORT_LIMITS.maxScale);
	if (scale !== 1 && ![1, 2, 3, 4].includes(scale)) problems.push('parameter "scale" must be 1, 2, 3 or 4');
	return problems.length ? { problems } : { size: { width, height, scale } };
}

export interface ExportContext {
	/** The view, loaded with its events without their sources; `events` left empty (see `eventPages`). */
	loaded: LoadedView;
	/**
	 * The compare model, worked out from the events without their sources; `events` left empty:
	 * the events in view (`eventIds`) are read whole a page at a time (`eventPages`), and an
	 * image's sources line is counted in the database (`outlets`).
	 */
	model: CompareModel;
	/** Ids of the events in view (the model's, in its order). */
	eventIds: number[];
	/**
	 * The events in view, whole (words and sources; pinned: as they stood then), `size` at a time
	 * in the model's order, each page read from the database when asked for. A write to the view's
	 * data meanwhile ends the pages with an error (a download never mixes two states of the record).
	 */
	eventPages: (size?: number) => AsyncGenerator<StanceEvent[]>;
	/** The outlets the events in view cite, most cited first: an image's sources line. */
	outlets: () => Promise<string[]>;
	permalink: string;
	/** True when no actors were named: every actor on the issues (an issue page's view). */
	allActors: boolean;
	filename: (ext: string) => string;
	/** The view pinned to the latest change it includes (or to its own `asof`), with the suggested citation. */
	citation: Citation;
}

/** The page a view comes from, for footers, embeds and link previews. */
export function permalinkOf(origin: string, loaded: LoadedView): string {
	const { view } = loaded;
	if (!view.actors.length && view.issues.length === 1 && (view.mode === 'overlay' || view.mode === 'lanes') && !view.from && !view.to && view.range === 'all') {
		const params = [view.mode === 'lanes' ? 'view=lanes' : '', loaded.asof ? `asof=${loaded.asof}` : ''].filter(Boolean);
		return `${origin}/issues/${view.issues[0]}${params.length ? `?${params.join('&')}` : ''}`;
	}
	return `${origin}/compare${loaded.search}`;
}

/**
 * Loads the view an export URL describes. Unknown slugs are a 404 and malformed parameters a
 * 400, each a JSON error naming what is wrong.
 */
export async function exportContext(db: Db, url: URL): Promise<{ ok: true; ctx: ExportContext } | { ok: false; response: Response }> {
	// The version of what the view shows, before anything of it is read (see eventPages).
	const named = ['issues', 'issue'].flatMap((k) => (url.searchParams.get(k) ?? '').split(',')).map((s) => s.trim()).filter(Boolean);
	const version = await viewVersion(db, named);
	const lean = await loadView(db, url.searchParams, { sources: false });
	const loaded = { ...lean, events: [] };
	const unknown = [...loaded.unknown.actors.map((s) => `actor "${s}"`), ...loaded.unknown.issues.map((s) => `issue "${s}"`)];
	if (unknown.length) return { ok: false, response: jsonError(404, `unknown ${unknown.join(', ')}`) };
	if (loaded.problems.length) {
		return {
			ok: false,
			response: jsonError(400, loaded.problems.map((p) => `parameter "${p.parameter}" ${p.message}`).join('; '), loaded.problems)
		};
	}
	// Past VIEW_MAX_EVENTS nothing was loaded: refuse, naming the limit.
	if (loaded.tooLarge) return { ok: false, response: jsonError(413, loaded.tooLarge.message, { count: loaded.tooLarge.count, limit: loaded.tooLarge.limit }) };
	if (!loaded.shownIssues.length) return { ok: false, response: jsonError(400, 'parameter "issues" or "actors" must name something to show') };
	const built = buildCompareModel({
		view: { ...loaded.view, actors: loaded.shownActors, issues: loaded.shownIssues },
		issues: loaded.issues,
		actors: loaded.actors,
		events: lean.events,
		context: loaded.context,
		...markInputs(loaded.marks)
	});
	const model = { ...built, events: [] };
	const eventIds = built.events.map((e) => e.id);
	const allActors = loaded.view.actors.length === 0;
	const permalink = permalinkOf(url.origin, loaded);
	const pin = loaded.asof ?? (await cachedPin(db, { actors: loaded.view.actors, issues: loaded.shownIssues }));
	const names = loaded.shownActors.map((slug) => loaded.actors.find((a) => a.slug === slug)?.name ?? slug);
	const citation = citationOf({ title: exportTitle(model, names), url: pinnedUrl(permalink, pin), asof: pin, accessed: today() });
	return {
		ok: true,
		ctx: {
			loaded,
			model,
			eventIds,
			eventPages: (size = EXPORT_PAGE) => eventPages(db, loaded, eventIds, { size, named, version }),
			outlets: () => viewOutlets(db, loaded, eventIds),
			permalink,
			allActors,
			citation,
			filename: (ext) =>
				exportFilename({ actors: loaded.shownActors, issues: loaded.shownIssues, allActors, range: model.range, ext })
		}
	};
}

async function* eventPages(
	db: Db,
	loaded: LoadedView,
	ids: readonly number[],
	{ size, named, version }: { size: number; named: string[]; version: string }
): AsyncGenerator<StanceEvent[]> {
	for (let i = 0; i < ids.length; i += size) {
		const page = await viewEventsWithIds(db, loaded, ids.slice(i, i + size));
		// Read after the page: every page was read while the data stood as when the view was loaded.
		if ((await viewVersion(db, named)) !== version) throw new Error('the data of this view changed while the export was being written: download it again');
		yield page;
	}
}

/** The outlets the events cite, most cited first; pinned, the sources of the events changed since as they stood then. */
async function viewOutlets(db: Db, loaded: LoadedView, ids: readonly number[]): Promise<string[]> {
	const delta = loaded.delta;
	const counts = [...(await outletCounts(db, delta ? ids.filter((id) => !delta.events.has(id)) : ids))];
	if (delta) for (const id of ids) for (const s of delta.events.get(id)?.sources ?? []) counts.push([s.outlet, 1]);
	return rankOutlets(counts);
}

/** The size an export renders at: what was asked for, the rest from the view's default. */
export function sizeFor(ctx: ExportContext, asked: { width: number | null; height: number | null; scale: number }): ImageSize {
	const width = asked.width ?? 1000;
	return { width, height: asked.height ?? defaultExportSize(ctx.model, ctx.loaded.view.mode, width).height, scale: asked.scale };
}

/**
 * What the spec of an export is built from: plain data, so a render worker can build it, and only
 * what the image draws (its points, markers and sources line; not every event with its sources).
 */
export async function specInputFor(ctx: ExportContext, size: ImageSize): Promise<Parameters<typeof buildExportSpec>[0]> {
	const model = exportModelOf(ctx.model, await ctx.outlets());
	const shown = new Set(model.panels.flatMap((p) => p.series.map((s) => s.actor.slug)));
	return {
		model,
		mode: ctx.loaded.view.mode,
		focus: ctx.loaded.view.focus,
		actors: ctx.loaded.actors.filter((a) => shown.has(a.slug)).map(({ slug, name, color }) => ({ slug, name, color })),
		width: size.width,
		height: size.height,
		permalink: ctx.permalink,
		exportedOn: today(),
		asof: ctx.loaded.asof
	};
}

export async function specFor(ctx: ExportContext, size: ImageSize): Promise<ExportSpec> {
	return buildExportSpec(await specInputFor(ctx, size));
}

/**
 * Cache headers of exports and embeds. A deployment that requires login keeps them out of shared
 * caches (`private`, varying on who asks). A public one lets anyone keep a copy but has it ask
 * again each time (`no-cache`), so an edit shows at once: with an ETag that costs a 304, without
 * one a fresh copy. `validator` says whether the response carries an ETag.
 */
export function exportCacheHeaders({ requireLogin, validator }: { requireLogin: boolean; validator: boolean }): Record<string, string> {
	if (requireLogin) {
		return { 'Cache-Control': validator ? 'private, no-cache' : 'private, no-store', Vary: 'Cookie, Authorization' };
	}
	return { 'Cache-Control': 'public, no-cache' };
}

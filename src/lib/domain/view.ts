import { addDays, isIsoDate } from './dates';

/** How the compare page lays out its charts. */
export const COMPARE_MODES = ['overlay', 'lanes', 'side', 'table'] as const;
export type CompareMode = (typeof COMPARE_MODES)[number];

/** Quick ranges, counted back from the latest event in view. */
export const QUICK_RANGES = { all: null, '1y': 365, '90d': 90, '30d': 30 } as const;
export type QuickRange = keyof typeof QUICK_RANGES;

/** Everything the compare page shows, as its URL says it. */
export interface CompareView {
	actors: string[];
	issues: string[];
	mode: CompareMode;
	range: QuickRange;
	from: string | null;
	to: string | null;
	focus: string | null;
}

export interface ViewProblem {
	parameter: string;
	message: string;
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function list(params: URLSearchParams, key: string): string[] {
	const values = params.getAll(key).flatMap((v) => v.split(','));
	return [...new Set(values.map((v) => v.trim()).filter(Boolean))];
}

/**
 * Reads a compare view from URL parameters. Bad values are reported and left out, so the rest
 * of the view still renders; unknown slugs are checked later against the database.
 */
export function parseCompareView(params: URLSearchParams): { view: CompareView; problems: ViewProblem[] } {
	const problems: ViewProblem[] = [];
	const slugs = (key: string) =>
		list(params, key).filter((s) => {
			if (SLUG.test(s)) return true;
			problems.push({ parameter: key, message: `"${s}" is not a valid name in a link` });
			return false;
		});
	const actors = slugs('actors');
	const issues = slugs('issues');
	const modeParam = params.get('mode') ?? 'overlay';
	const mode = (COMPARE_MODES as readonly string[]).includes(modeParam) ? (modeParam as CompareMode) : 'overlay';
	if (mode !== modeParam) problems.push({ parameter: 'mode', message: `"${modeParam}" is not a view; showing overlay` });
	const rangeParam = params.get('range') ?? 'all';
	const range = Object.hasOwn(QUICK_RANGES, rangeParam) ? (rangeParam as QuickRange) : 'all';
	if (range !== rangeParam) problems.push({ parameter: 'range', message: `"${rangeParam}" is not a quick range` });
	const date = (key: string) => {
		const v = params.get(key);
		if (!v) return null;
		if (isIsoDate(v)) return v;
		problems.push({ parameter: key, message: `"${v}" is not a date (YYYY-MM-DD)` });
		return null;
	};
	let from = date('from');
	let to = date('to');
	if (from && to && from > to) {
		problems.push({ parameter: 'to', message: 'is before from; the dates were swapped' });
		[from, to] = [to, from];
	}
	const focusParam = params.get('focus');
	const focus = focusParam && actors.includes(focusParam) ? focusParam : null;
	if (focusParam && !focus) problems.push({ parameter: 'focus', message: `"${focusParam}" is not one of the chosen actors` });
	return { view: { actors, issues, mode, range, from, to, focus }, problems };
}

/** The canonical query string of a view: defaults left out, lists comma-separated, stable order. */
export function compareSearch(view: CompareView): string {
	const p: string[] = [];
	if (view.actors.length) p.push(`actors=${view.actors.join(',')}`);
	if (view.issues.length) p.push(`issues=${view.issues.join(',')}`);
	if (view.mode !== 'overlay') p.push(`mode=${view.mode}`);
	if (view.from) p.push(`from=${view.from}`);
	if (view.to) p.push(`to=${view.to}`);
	if (!view.from && !view.to && view.range !== 'all') p.push(`range=${view.range}`);
	if (view.focus) p.push(`focus=${view.focus}`);
	return p.length ? `?${p.join('&')}` : '';
}

/**
 * The date range a view asks for, given the data's own extent: explicit from/to win, else a
 * quick range counted back from the latest date, else everything (null ends: the default range).
 */
export function resolveRange(
	view: Pick<CompareView, 'range' | 'from' | 'to'>,
	latest: string | null
): { from: string | null; to: string | null } {
	if (view.from || view.to) return { from: view.from, to: view.to };
	const days = QUICK_RANGES[view.range];
	if (days === null || !latest) return { from: null, to: null };
	return { from: addDays(latest, -days), to: latest };
}

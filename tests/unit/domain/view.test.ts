import { describe, it, expect } from 'vitest';
import { compareSearch, parseCompareView, resolveRange, type CompareView } from '../../../src/lib/domain/view';

const parse = (query: string) => parseCompareView(new URLSearchParams(query));

/** A view with every field at its default, plus overrides. */
function view(overrides: Partial<CompareView> = {}): CompareView {
	return { actors: [], issues: [], mode: 'overlay', range: 'all', from: null, to: null, focus: null, ...overrides };
}

describe('parseCompareView', () => {
	it('gives the default view and no problems for no parameters', () => {
		expect(parse('')).toEqual({ view: view(), problems: [] });
	});

	it('reads comma lists and repeated parameters alike, in order', () => {
		const { view: v, problems } = parse('actors=colombia,united-states&actors=france&issues=boat-strikes-legality');
		expect(v.actors).toEqual(['colombia', 'united-states', 'france']);
		expect(v.issues).toEqual(['boat-strikes-legality']);
		expect(problems).toEqual([]);
	});

	it('reads %2C-encoded commas as a browser form sends them', () => {
		expect(parse('actors=colombia%2Cfrance').view.actors).toEqual(['colombia', 'france']);
	});

	it('drops duplicates, keeping the first place of each', () => {
		expect(parse('actors=france,colombia,france&actors=colombia').view.actors).toEqual(['france', 'colombia']);
	});

	it('ignores empty items and spaces around names', () => {
		const { view: v, problems } = parse('actors=colombia,, france ,&issues=');
		expect(v.actors).toEqual(['colombia', 'france']);
		expect(v.issues).toEqual([]);
		expect(problems).toEqual([]);
	});

	it('reports invalid slugs with the parameter name and leaves them out', () => {
		const { view: v, problems } = parse('actors=Colombia,colombia,us_army&issues=<script>,boat-strikes-legality');
		expect(v.actors).toEqual(['colombia']);
		expect(v.issues).toEqual(['boat-strikes-legality']);
		expect(problems).toEqual([
			{ parameter: 'actors', message: '"Colombia" is not a valid name in a link' },
			{ parameter: 'actors', message: '"us_army" is not a valid name in a link' },
			{ parameter: 'issues', message: '"<script>" is not a valid name in a link' }
		]);
	});

	it('reads each known mode', () => {
		for (const mode of ['overlay', 'side', 'table'] as const) expect(parse(`mode=${mode}`)).toEqual({ view: view({ mode }), problems: [] });
	});

	it('falls back to overlay for an unknown mode, with a problem on "mode"', () => {
		const { view: v, problems } = parse('mode=grid');
		expect(v.mode).toBe('overlay');
		expect(problems).toEqual([{ parameter: 'mode', message: '"grid" is not a view; showing overlay' }]);
	});

	it('reads each quick range', () => {
		for (const range of ['all', '1y', '90d', '30d'] as const) expect(parse(`range=${range}`)).toEqual({ view: view({ range }), problems: [] });
	});

	it('falls back to all for an unknown quick range, with a problem on "range"', () => {
		const { view: v, problems } = parse('range=2w');
		expect(v.range).toBe('all');
		expect(problems).toEqual([{ parameter: 'range', message: '"2w" is not a quick range' }]);
	});

	it('does not take names every object has (toString, constructor) for quick ranges', () => {
		for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
			const { view: v, problems } = parse(`range=${name}`);
			expect(v.range).toBe('all');
			expect(problems).toEqual([{ parameter: 'range', message: `"${name}" is not a quick range` }]);
			expect(resolveRange(v, '2025-11-13')).toEqual({ from: null, to: null });
		}
	});

	it('reads from and to', () => {
		expect(parse('from=2025-09-01&to=2025-11-30').view).toMatchObject({ from: '2025-09-01', to: '2025-11-30' });
	});

	it('reports bad dates by parameter and leaves them out', () => {
		const { view: v, problems } = parse('from=2025-02-30&to=last-week');
		expect(v).toMatchObject({ from: null, to: null });
		expect(problems).toEqual([
			{ parameter: 'from', message: '"2025-02-30" is not a date (YYYY-MM-DD)' },
			{ parameter: 'to', message: '"last-week" is not a date (YYYY-MM-DD)' }
		]);
	});

	it('keeps a good date beside a bad one', () => {
		const { view: v, problems } = parse('from=2025-09-01&to=2025-9-30');
		expect(v).toMatchObject({ from: '2025-09-01', to: null });
		expect(problems.map((p) => p.parameter)).toEqual(['to']);
	});

	it('swaps from and to when from is later, with a problem on "to"', () => {
		const { view: v, problems } = parse('from=2025-11-30&to=2025-09-01');
		expect(v).toMatchObject({ from: '2025-09-01', to: '2025-11-30' });
		expect(problems).toEqual([{ parameter: 'to', message: 'is before from; the dates were swapped' }]);
	});

	it('accepts from equal to to (a one-day range)', () => {
		expect(parse('from=2025-11-11&to=2025-11-11')).toEqual({ view: view({ from: '2025-11-11', to: '2025-11-11' }), problems: [] });
	});

	it('keeps a focus that is one of the actors', () => {
		expect(parse('actors=colombia,france&focus=france').view.focus).toBe('france');
	});

	it('drops a focus that is not among the actors, with a problem on "focus"', () => {
		const { view: v, problems } = parse('actors=colombia&focus=france');
		expect(v.focus).toBeNull();
		expect(problems).toEqual([{ parameter: 'focus', message: '"france" is not one of the chosen actors' }]);
		expect(parse('focus=france').view.focus).toBeNull();
	});

	it('drops a focus on an actor that was left out as invalid', () => {
		const { view: v, problems } = parse('actors=Colombia&focus=Colombia');
		expect(v.focus).toBeNull();
		expect(problems.map((p) => p.parameter)).toEqual(['actors', 'focus']);
	});
});

describe('compareSearch', () => {
	it('is empty for the default view', () => {
		expect(compareSearch(view())).toBe('');
	});

	it('leaves out defaults (overlay, all)', () => {
		expect(compareSearch(view({ actors: ['colombia'], mode: 'overlay', range: 'all' }))).toBe('?actors=colombia');
	});

	it('writes lists comma-separated, in the view’s order', () => {
		expect(compareSearch(view({ actors: ['united-states', 'colombia'], issues: ['b', 'a'] }))).toBe('?actors=united-states,colombia&issues=b,a');
	});

	it('writes parameters in one stable order, whatever the order of the object’s keys', () => {
		const a: CompareView = { focus: 'colombia', to: '2025-11-30', from: '2025-09-01', range: 'all', mode: 'side', issues: ['i'], actors: ['colombia'] };
		const expected = '?actors=colombia&issues=i&mode=side&from=2025-09-01&to=2025-11-30&focus=colombia';
		expect(compareSearch(a)).toBe(expected);
		expect(compareSearch(view({ ...a }))).toBe(expected);
	});

	it('writes the quick range when no dates are given', () => {
		expect(compareSearch(view({ actors: ['colombia'], range: '90d' }))).toBe('?actors=colombia&range=90d');
	});

	it('leaves the quick range out when from or to is given', () => {
		expect(compareSearch(view({ range: '90d', from: '2025-09-01' }))).toBe('?from=2025-09-01');
		expect(compareSearch(view({ range: '30d', to: '2025-11-30' }))).toBe('?to=2025-11-30');
	});

	it('round-trips every canonical view: parse(compareSearch(v)) is v, with no problems', () => {
		const views: CompareView[] = [
			view(),
			view({ actors: ['colombia'] }),
			view({ actors: ['colombia', 'united-states'], issues: ['intelligence-sharing-us', 'boat-strikes-legality'] }),
			view({ actors: ['france', 'colombia'], mode: 'side', range: '1y', focus: 'colombia' }),
			view({ issues: ['boat-strikes-legality'], mode: 'table', range: '30d' }),
			view({ actors: ['colombia'], from: '2025-09-01', to: '2025-11-30', focus: 'colombia' }),
			view({ actors: ['colombia'], from: '2025-09-01' }),
			view({ to: '2025-11-30' })
		];
		for (const v of views) {
			const search = compareSearch(v);
			expect(parseCompareView(new URLSearchParams(search)), search).toEqual({ view: v, problems: [] });
		}
	});

	it('settles a non-canonical view (quick range beside dates) on one link', () => {
		const once = compareSearch(view({ actors: ['colombia'], range: '90d', from: '2025-09-01' }));
		const twice = compareSearch(parseCompareView(new URLSearchParams(once)).view);
		expect(twice).toBe(once);
	});
});

describe('resolveRange', () => {
	it('lets explicit dates win over a quick range', () => {
		expect(resolveRange({ range: '30d', from: '2025-01-01', to: '2025-02-01' }, '2025-11-13')).toEqual({
			from: '2025-01-01',
			to: '2025-02-01'
		});
	});

	it('leaves the other end open when only one date is given', () => {
		expect(resolveRange({ range: '30d', from: '2025-01-01', to: null }, '2025-11-13')).toEqual({ from: '2025-01-01', to: null });
		expect(resolveRange({ range: 'all', from: null, to: '2025-02-01' }, null)).toEqual({ from: null, to: '2025-02-01' });
	});

	it('counts quick ranges back from the latest date', () => {
		expect(resolveRange({ range: '30d', from: null, to: null }, '2025-11-13')).toEqual({ from: '2025-10-14', to: '2025-11-13' });
		expect(resolveRange({ range: '90d', from: null, to: null }, '2025-11-13')).toEqual({ from: '2025-08-15', to: '2025-11-13' });
		expect(resolveRange({ range: '1y', from: null, to: null }, '2025-11-13')).toEqual({ from: '2024-11-13', to: '2025-11-13' });
	});

	it('counts a year back across a leap day as 365 days', () => {
		expect(resolveRange({ range: '1y', from: null, to: null }, '2024-03-01')).toEqual({ from: '2023-03-02', to: '2024-03-01' });
	});

	it('gives open ends for "all"', () => {
		expect(resolveRange({ range: 'all', from: null, to: null }, '2025-11-13')).toEqual({ from: null, to: null });
	});

	it('gives open ends when there is no latest date (no events)', () => {
		expect(resolveRange({ range: '30d', from: null, to: null }, null)).toEqual({ from: null, to: null });
	});
});

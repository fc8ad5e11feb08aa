import { describe, expect, it } from 'vitest';
import { contextInRange, contextSpan, contextText, contextWhen, isBand, type ContextEvent } from '../../../src/lib/domain/context';
import { contextEventProblems, createChecker, lookupsFrom } from '../../../src/lib/domain/rules';
import { contextEventInputSchema, toProblems } from '../../../src/lib/schemas/dataset';
import { scale } from '../../fixtures/factories';

const TODAY = '2025-12-01';
const known = lookupsFrom({ scales: new Map([['boat-strikes-legality', scale()]]) });

const input = (over: Record<string, unknown> = {}) => ({
	issue: 'boat-strikes-legality',
	date: '2025-09-02',
	label: 'First US strike on a boat',
	source: { outlet: 'Reuters', url: 'https://example.org/a' },
	...over
});

const parse = (over: Record<string, unknown> = {}) => {
	const r = contextEventInputSchema.safeParse(input(over));
	return r.success ? { data: r.data, problems: [] } : { data: null, problems: toProblems(r.error) };
};

const mark = (over: Partial<ContextEvent> = {}): ContextEvent => ({
	id: 1,
	issue: 'boat-strikes-legality',
	date: '2025-09-02',
	datePrecision: 'day',
	endDate: null,
	label: 'First US strike on a boat',
	source: { outlet: 'Reuters', title: null, url: null, publishedOn: null },
	...over
});

describe('context event input (schema)', () => {
	it('accepts a day with a source and fills the defaults', () => {
		const r = parse();
		expect(r.problems).toEqual([]);
		expect(r.data).toMatchObject({ datePrecision: 'day', endDate: null, source: { outlet: 'Reuters', title: null, publishedOn: null } });
	});

	it('refuses an empty label, a label over 80 characters and control characters, naming the field', () => {
		expect(parse({ label: '   ' }).problems).toEqual([{ path: 'label', message: 'must not be empty' }]);
		expect(parse({ label: 'x'.repeat(81) }).problems).toEqual([{ path: 'label', message: 'must be at most 80 characters' }]);
		expect(parse({ label: 'strike\u0000' }).problems[0]!.path).toBe('label');
		expect(parse({ label: 'strike\u202e' }).problems[0]!.message).toMatch(/bidirectional/);
	});

	it('refuses an impossible date, a source without an outlet and a URL that is not http(s)', () => {
		expect(parse({ date: '2025-02-30' }).problems).toEqual([{ path: 'date', message: 'must be a real date written YYYY-MM-DD' }]);
		expect(parse({ endDate: '2025-13-01' }).problems[0]!.path).toBe('endDate');
		expect(parse({ source: { outlet: '' } }).problems).toEqual([{ path: 'source.outlet', message: 'must not be empty' }]);
		expect(parse({ source: { outlet: 'X', url: 'javascript:alert(1)' } }).problems).toEqual([{ path: 'source.url', message: 'must be an http(s) URL' }]);
	});
});

describe('contextEventProblems (rules)', () => {
	it('a valid day and a valid span raise nothing', () => {
		expect(contextEventProblems(input(), known, TODAY)).toEqual([]);
		expect(contextEventProblems(input({ endDate: '2025-10-24' }), known, TODAY)).toEqual([]);
	});

	it('refuses an unknown issue', () => {
		expect(contextEventProblems(input({ issue: 'nope' }), known, TODAY)).toEqual([{ path: 'issue', message: 'unknown issue "nope"' }]);
	});

	it('refuses an end before the start, and a start or end in the future', () => {
		expect(contextEventProblems(input({ endDate: '2025-09-01' }), known, TODAY)).toEqual([{ path: 'endDate', message: 'must not be before the start date' }]);
		expect(contextEventProblems(input({ date: '2026-01-01' }), known, TODAY)).toContainEqual({ path: 'date', message: 'must not be in the future' });
		expect(contextEventProblems(input({ endDate: '2025-12-02' }), known, TODAY)).toEqual([{ path: 'endDate', message: 'must not be in the future' }]);
		expect(contextEventProblems(input({ source: { outlet: 'X', publishedOn: '2026-01-01' } }), known, TODAY)).toEqual([
			{ path: 'source.publishedOn', message: 'must not be in the future' }
		]);
	});

	it('compares the ends of a span by period: a month span may end in its first month, not before it', () => {
		expect(contextEventProblems(input({ date: '2025-09-20', endDate: '2025-09-01', datePrecision: 'month' }), known, TODAY)).toEqual([]);
		expect(contextEventProblems(input({ date: '2025-09-20', endDate: '2025-08-31', datePrecision: 'month' }), known, TODAY)[0]!.path).toBe('endDate');
	});

	it('the checker knows issues defined earlier in the same input', () => {
		const check = createChecker(lookupsFrom({ scales: new Map() }), TODAY);
		expect(check.context(input())).toEqual([{ path: 'issue', message: 'unknown issue "boat-strikes-legality"' }]);
		check.issue({ slug: 'boat-strikes-legality', scale: scale() });
		expect(check.context(input())).toEqual([]);
	});
});

describe('context events as text and time', () => {
	it('a day is a line; a span, a month or a year is a band', () => {
		expect(isBand(mark())).toBe(false);
		expect(isBand(mark({ endDate: '2025-09-02' }))).toBe(false);
		expect(isBand(mark({ endDate: '2025-09-05' }))).toBe(true);
		expect(isBand(mark({ datePrecision: 'month', date: '2025-09-01' }))).toBe(true);
		expect(contextSpan(mark({ datePrecision: 'month', date: '2025-09-01', endDate: '2025-10-01' }))).toEqual({ from: '2025-09-01', to: '2025-10-31' });
	});

	it('reads as the date, the label and the outlet', () => {
		expect(contextText(mark())).toBe('2 September 2025: First US strike on a boat (Reuters)');
		expect(contextWhen(mark({ endDate: '2025-10-24' }))).toBe('2 September 2025 to 24 October 2025');
		expect(contextWhen(mark({ datePrecision: 'month', date: '2025-09-01' }))).toBe('September 2025');
	});

	it('keeps those that touch a range, in date order', () => {
		const a = mark({ id: 1, date: '2025-10-24' });
		const b = mark({ id: 2, date: '2025-08-01', endDate: '2025-09-10' });
		const c = mark({ id: 3, date: '2025-12-01' });
		expect(contextInRange([a, b, c], '2025-09-01', '2025-11-30').map((x) => x.id)).toEqual([2, 1]);
	});
});

import { describe, it, expect } from 'vitest';
import { pageCount, parseEventQuery, withParams } from '../../../src/lib/domain/eventQuery';

const parse = (s: string) => parseEventQuery(new URLSearchParams(s));

describe('parseEventQuery', () => {
	it('reads every filter, the sort and the page', () => {
		expect(parse('actor=colombia&speaker=gustavo-petro&kind=statement&from=2025-01-01&to=2025-12-31&sort=desc&page=3')).toEqual({
			query: { actor: 'colombia', speaker: 'gustavo-petro', kind: 'statement', from: '2025-01-01', to: '2025-12-31', sort: 'desc', page: 3 },
			problems: []
		});
	});
	it('treats a GET form’s empty fields as "any"', () => {
		expect(parse('actor=&speaker=&kind=&from=&to=').query).toMatchObject({ actor: null, speaker: null, kind: null, from: null, to: null, page: 1, sort: 'asc' });
	});
	it('names each bad parameter and ignores it', () => {
		const { query, problems } = parse('kind=rumour&page=0&from=2025-02-30&sort=up&actor=Not A Slug');
		expect(problems.map((p) => p.parameter).sort()).toEqual(['actor', 'from', 'kind', 'page', 'sort']);
		expect(query).toMatchObject({ kind: null, page: 1, from: null, sort: 'asc', actor: null });
	});
	it('swaps dates given the wrong way round', () => {
		const { query, problems } = parse('from=2025-12-01&to=2025-01-01');
		expect([query.from, query.to]).toEqual(['2025-01-01', '2025-12-01']);
		expect(problems[0]!.parameter).toBe('to');
	});
	it('takes a default sort from the page', () => {
		expect(parseEventQuery(new URLSearchParams(''), { sort: 'desc' }).query.sort).toBe('desc');
	});
});

describe('withParams', () => {
	const url = new URL('http://x/issues/a?actors=a,b&kind=action&page=4');
	it('goes back to page 1 when a filter changes', () => {
		expect(withParams(url, { kind: 'statement' })).toBe('/issues/a?actors=a%2Cb&kind=statement');
	});
	it('keeps the filters when only the page changes', () => {
		expect(withParams(url, { page: 5 })).toBe('/issues/a?actors=a%2Cb&kind=action&page=5');
	});
	it('removes a parameter set to null', () => {
		expect(withParams(url, { kind: null, page: null })).toBe('/issues/a?actors=a%2Cb');
	});
});

describe('pageCount', () => {
	it('has at least one page', () => {
		expect([pageCount(0), pageCount(50), pageCount(51)]).toEqual([1, 1, 2]);
	});
});

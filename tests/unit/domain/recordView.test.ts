import { describe, expect, it } from 'vitest';
import { matchesQuery, mergedPage, tableOrder } from '../../../src/lib/domain/recordView';
import { parseEventQuery } from '../../../src/lib/domain/eventQuery';
import { event } from '../../fixtures/factories';

const q = (s: string) => parseEventQuery(new URLSearchParams(s)).query;

describe('mergedPage', () => {
	// A long list (as SQL reads it) and a few events set back from the history, merged and paged.
	const long = Array.from({ length: 40 }, (_, k) => event({ id: 100 + k, date: `2025-01-${String(1 + Math.floor(k / 2)).padStart(2, '0')}`, createdAt: `2025-02-01T00:00:${String(k).padStart(2, '0')}.000Z` }));
	const extra = [event({ id: 1, date: '2024-12-31' }), event({ id: 2, date: '2025-01-05', createdAt: '2025-02-01T00:00:08.500Z' }), event({ id: 3, date: '2025-02-01' })];
	const all = [...long, ...extra].sort(tableOrder);
	for (const desc of [false, true]) {
		const sorted = desc ? [...all].reverse() : all;
		const longSorted = desc ? [...long].reverse() : long;
		for (const perPage of [5, 7]) {
			it(`gives every page of the merged list (${desc ? 'newest' : 'oldest'} first, ${perPage} a page)`, () => {
				for (let page = 1; page <= Math.ceil(all.length / perPage); page++) {
					const offset = (page - 1) * perPage;
					const start = Math.max(0, offset - extra.length);
					const rows = longSorted.slice(start, offset + perPage);
					expect(mergedPage({ extra, rows, start, offset, limit: perPage, desc }).map((e) => e.id), `page ${page}`).toEqual(sorted.slice(offset, offset + perPage).map((e) => e.id));
				}
			});
		}
	}
	it('a page past the end is empty', () => {
		expect(mergedPage({ extra, rows: [], start: 50, offset: 53, limit: 5, desc: false })).toEqual([]);
	});
});

describe('matchesQuery', () => {
	it('takes in a month- or year-dated event whose period overlaps the dates, as the SQL table does', () => {
		expect(matchesQuery(event({ date: '2025-01-01', datePrecision: 'year' }), q('from=2025-06-01'))).toBe(true);
		expect(matchesQuery(event({ date: '2025-05-01', datePrecision: 'month' }), q('from=2025-06-01'))).toBe(false);
		expect(matchesQuery(event({ date: '2025-06-01', datePrecision: 'month' }), q('from=2025-06-15'))).toBe(true);
		expect(matchesQuery(event({ date: '2025-06-14' }), q('from=2025-06-15'))).toBe(false);
		expect(matchesQuery(event({ date: '2025-06-16' }), q('to=2025-06-15'))).toBe(false);
	});
	it('filters by actor, speaker and kind', () => {
		expect(matchesQuery(event({ speaker: 'petro' }), q('speaker=petro&actor=colombia'))).toBe(true);
		expect(matchesQuery(event({ kind: 'action' }), q('kind=statement'))).toBe(false);
	});
});

import { describe, it, expect } from 'vitest';
import { defaultSelection, resolveSelection, selectionRange, type ActorActivity } from '../../../src/lib/domain/selection';

const a = (slug: string, events: number, featured: number | null = null): ActorActivity => ({ slug, name: slug.toUpperCase(), events, featured });

describe('defaultSelection', () => {
	it('picks the most active actors up to the limit, ties by name', () => {
		const actors = [a('c', 5), a('a', 9), a('b', 5), a('d', 1)];
		expect(defaultSelection({ actors, limit: 3 })).toEqual(['a', 'b', 'c']);
	});
	it('prefers the featured actors, in the editor’s order, over busier ones', () => {
		const actors = [a('busy', 900), a('us', 3, 1), a('colombia', 2, 0)];
		expect(defaultSelection({ actors })).toEqual(['colombia', 'us']);
	});
	it('shows every actor of a small issue', () => {
		expect(defaultSelection({ actors: [a('x', 1), a('y', 2)] })).toEqual(['y', 'x']);
	});
	it('is empty for an issue without actors', () => {
		expect(defaultSelection({ actors: [] })).toEqual([]);
	});
});

describe('resolveSelection', () => {
	const actors = Array.from({ length: 200 }, (_, i) => a(`c${i}`, 1000 - i));
	it('keeps the asked actors in the order asked, and reports the unknown ones', () => {
		expect(resolveSelection({ asked: ['c150', 'nobody', 'c3'], actors })).toEqual({ shown: ['c150', 'c3'], ignored: ['nobody'], isDefault: false });
	});
	it('falls back to the default of eight when nothing usable is asked', () => {
		const r = resolveSelection({ asked: ['nobody'], actors });
		expect(r.shown).toHaveLength(8);
		expect(r.isDefault).toBe(true);
	});
});

describe('selectionRange', () => {
	const actors = [
		{ slug: 'a', first: '2000-01-01', last: '2010-01-01' },
		{ slug: 'b', first: '1950-01-01', last: '2020-01-01' }
	];
	it('spans the shown actors only, padded by a tenth', () => {
		expect(selectionRange({ actors, shown: ['a'], from: null, to: null, today: '2025-01-01' })).toEqual({ from: '1999-01-01', to: '2011-01-01' });
	});
	it('lets dates in the URL win', () => {
		expect(selectionRange({ actors, shown: ['a', 'b'], from: '2005-01-01', to: null, today: '2025-01-01' }).from).toBe('2005-01-01');
	});
});

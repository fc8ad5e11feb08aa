import { describe, it, expect } from 'vitest';
import { changedFields, compareRecords, formatField, formatStamp, sameValue } from '../../../src/lib/domain/records';
import { scale } from '../../fixtures/factories';

const names = {
	actors: new Map([['colombia', 'Colombia'], ['gustavo-petro', 'Gustavo Petro']]),
	issues: new Map([['intel', { title: 'Intelligence sharing', scale: scale() }]])
};
const event = {
	actor: 'colombia',
	issue: 'intel',
	date: '2025-11-01',
	datePrecision: 'month',
	position: 1,
	kind: 'statement',
	confidence: 'high',
	summary: 'Keeps sharing',
	quote: null,
	quoteLanguage: null,
	speaker: 'gustavo-petro',
	target: null,
	sources: [{ outlet: 'Wire', title: 'A title', url: 'https://example.org/a', publishedOn: '2025-11-02' }]
};

describe('sameValue', () => {
	it('treats null, undefined, "" and [] as nothing', () => {
		expect(sameValue(null, '')).toBe(true);
		expect(sameValue(undefined, [])).toBe(true);
	});
	it('compares by value', () => {
		expect(sameValue({ a: [1] }, { a: [1] })).toBe(true);
		expect(sameValue(1, '1')).toBe(false);
	});
});

describe('formatField', () => {
	it('shows names for slugs', () => {
		expect(formatField('speaker', 'gustavo-petro', event, names)).toBe('Gustavo Petro');
		expect(formatField('issue', 'intel', event, names)).toBe('Intelligence sharing');
		expect(formatField('parent', 'atlantis', event, names)).toBe('atlantis');
	});
	it('shows dates no more exact than their precision', () => expect(formatField('date', '2025-11-01', event, names)).toBe('November 2025'));
	it('shows a position with its label on the issue scale', () => expect(formatField('position', 1, event, names)).toBe('+1 (Maintain)'));
	it('lists sources one per line', () => {
		expect(formatField('sources', [...event.sources, { outlet: 'Desk', title: null, url: null, publishedOn: null }], event, names)).toBe(
			'1. Wire · A title · https://example.org/a · 2025-11-02\n2. Desk'
		);
	});
	it('shows a scale with its labels', () => {
		expect(formatField('scale', { min: -1, max: 1, labels: [{ value: -1, label: 'No' }, { value: 1, label: 'Yes' }] }, null)).toBe('-1 to 1: −1 No, +1 Yes');
	});
	it('shows nothing as a dash', () => expect(formatField('quote', null, event)).toBe('—'));
});

describe('compareRecords', () => {
	it('lists every field of the entity in form order, marking the ones that differ', () => {
		const rows = compareRecords('event', event, { ...event, position: -2, quote: '' }, names);
		expect(rows.map((r) => r.key)).toEqual(['actor', 'issue', 'date', 'datePrecision', 'position', 'kind', 'confidence', 'summary', 'quote', 'quoteLanguage', 'speaker', 'target', 'sources']);
		expect(rows.filter((r) => r.differs).map((r) => [r.label, r.before, r.after])).toEqual([['Position', '+1 (Maintain)', '−2 (Halt)']]);
	});
	it('leaves out what the entity does not have, such as the version', () => {
		expect(compareRecords('actor', { slug: 'a', version: 1 }, { slug: 'a', version: 2 }).some((r) => r.differs)).toBe(false);
	});
});

describe('changedFields', () => {
	it('gives only the changed fields', () => {
		expect(changedFields('event', event, { ...event, summary: 'Stops sharing' }).map((f) => f.key)).toEqual(['summary']);
	});
	it('treats a missing record as all nothing', () => {
		expect(changedFields('issue', null, { slug: 'x', title: 'X', description: '', scale: scale() }).map((f) => f.key)).toEqual(['slug', 'title', 'scale']);
	});
});

describe('formatStamp', () => {
	it('reads a stored time in UTC', () => expect(formatStamp('2025-11-20T14:03:09.123Z')).toBe('20 November 2025, 14:03 UTC'));
	it('leaves anything else as it is', () => expect(formatStamp('yesterday')).toBe('yesterday'));
});

import { describe, it, expect } from 'vitest';
import {
	actorFormValues,
	contextFormValues,
	parseContextForm,
	type ContextFormValues,
	eventFormProblems,
	eventFormValues,
	issueFormValues,
	parseActorForm,
	parseEventForm,
	parseIssueForm,
	parseNumber,
	readEventForm,
	readIssueForm,
	slugify,
	withSpareRows,
	type EventFormValues
} from '../../../src/lib/schemas/forms';
import { scale } from '../../fixtures/factories';

/** A filled-in event form; overrides change single fields. */
function eventForm(overrides: Partial<EventFormValues> = {}): EventFormValues {
	return {
		...eventFormValues({ actor: 'colombia', issue: 'intelligence-sharing-us', date: '2025-11-13', position: 1, summary: 'Keeps sharing' }),
		sources: [{ outlet: 'Wire', title: '', url: 'https://example.org/a', publishedOn: '' }],
		...overrides
	};
}

const formData = (entries: Record<string, string>) => {
	const fd = new FormData();
	for (const [k, v] of Object.entries(entries)) fd.append(k, v);
	return fd;
};

describe('parseNumber', () => {
	it.each([
		['1', 1],
		['-2', -2],
		['+1', 1],
		['0.5', 0.5],
		['0,5', 0.5],
		['−2', -2],
		[' 3 ', 3],
		['.5', 0.5]
	])('reads %j as %d', (s, n) => expect(parseNumber(s)).toBe(n));

	it.each(['', 'a lot', '1e3', '--1', '1.2.3', 'Infinity'])('refuses %j', (s) => expect(parseNumber(s)).toBeNaN());
});

describe('slugify', () => {
	it('drops accents and punctuation', () => expect(slugify('Ministerio de Defensa (Perú)')).toBe('ministerio-de-defensa-peru'));
	it('keeps digits and trims hyphens', () => expect(slugify('  G7 — Summit!  ')).toBe('g7-summit'));
	it('is at most 80 characters and ends without a hyphen', () => {
		const s = slugify('a'.repeat(79) + ' b');
		expect(s.length).toBeLessThanOrEqual(80);
		expect(s.endsWith('-')).toBe(false);
	});
});

describe('withSpareRows', () => {
	it('offers empty rows after the filled ones', () => {
		expect(withSpareRows([{ outlet: 'A', title: '', url: '', publishedOn: '' }])).toHaveLength(3);
	});
	it('offers three rows for an event without sources', () => expect(withSpareRows([])).toHaveLength(3));
});

describe('readEventForm', () => {
	it('reads indexed source rows in order, with gaps as empty rows, and CRLF quotes as LF', () => {
		const v = readEventForm(formData({ summary: 'x', quote: 'a\r\nb', 'sources.0.outlet': 'A', 'sources.2.url': 'https://b.example' }));
		expect(v.quote).toBe('a\nb');
		expect(v.sources.map((s) => s.outlet || s.url)).toEqual(['A', '', 'https://b.example']);
	});
	it('ignores row indexes it does not expect', () => {
		expect(readEventForm(formData({ 'sources.999.outlet': 'A', 'sources.x.outlet': 'B' })).sources).toEqual([]);
	});
});

describe('parseEventForm', () => {
	it('turns a good form into the write path input, empty strings into nulls', () => {
		const f = parseEventForm(eventForm());
		expect(f.errors).toEqual({});
		expect(f.parsed).toMatchObject({ position: 1, quote: null, speaker: null, sources: [{ outlet: 'Wire', title: null, url: 'https://example.org/a', publishedOn: null }] });
	});

	it('drops empty source rows and puts problems on the row they came from', () => {
		const empty = { outlet: '', title: '', url: '', publishedOn: '' };
		const f = parseEventForm(eventForm({ sources: [empty, { outlet: 'Wire', title: '', url: 'ftp://x.example/f', publishedOn: '' }, empty, { outlet: '', title: 'No outlet', url: '', publishedOn: '' }] }));
		expect((f.input.sources as unknown[]).length).toBe(2);
		expect(f.errors['sources.1.url']).toBe('must be an http(s) URL');
		expect(f.errors['sources.3.outlet']).toBe('must not be empty');
		expect(f.parsed).toBeNull();
	});

	it('asks for at least one source', () => {
		expect(parseEventForm(eventForm({ sources: [] })).errors.sources).toBe('needs at least one source');
	});

	it.each([
		['', 'enter a position on the scale'],
		['a lot', 'must be a number, such as -1 or 0.5']
	])('says what is wrong with position %j, once', (position, message) => {
		expect(parseEventForm(eventForm({ position })).errors.position).toBe(message);
	});

	it('names bad dates, unknown choices and an over-long summary by field', () => {
		const f = parseEventForm(eventForm({ date: '2025-02-30', kind: 'rumour', summary: 'x'.repeat(301) }));
		expect(Object.keys(f.errors).sort()).toEqual(['date', 'kind', 'summary']);
	});

	it('reads the optional interval: empty bounds are none, numbers are bounds, anything else is named', () => {
		expect(parseEventForm(eventForm()).input).toMatchObject({ positionLow: null, positionHigh: null });
		const f = parseEventForm(eventForm({ positionLow: '0,5', positionHigh: ' 1.5 ' }));
		expect(f.errors).toEqual({});
		expect(f.parsed).toMatchObject({ position: 1, positionLow: 0.5, positionHigh: 1.5 });
		expect(parseEventForm(eventForm({ positionLow: 'low', positionHigh: '1.5' })).errors).toEqual({ positionLow: 'must be a number, such as -1 or 0.5, or empty' });
	});

	it('shows a stored interval again', () => {
		expect(eventFormValues({ position: 1, positionLow: 0.25, positionHigh: 1.75 })).toMatchObject({ positionLow: '0.25', positionHigh: '1.75' });
		expect(eventFormValues({ position: 1, positionLow: null, positionHigh: null })).toMatchObject({ positionLow: '', positionHigh: '' });
	});

	it('refuses control characters such as NUL', () => {
		expect(parseEventForm(eventForm({ quote: 'a\u0000b' })).errors.quote).toMatch(/control characters/);
	});
});

describe('eventFormProblems', () => {
	const input = (o: Record<string, unknown> = {}) => ({ ...parseEventForm(eventForm()).input, ...o });

	it('finds a position off the chosen issue scale', () => {
		expect(eventFormProblems(input({ position: 7 }), scale(), '2025-12-01')).toEqual([{ path: 'position', message: "7 is off this issue's scale (-2 to 2)" }]);
	});
	it('finds dates in the future, by the start of their period', () => {
		expect(eventFormProblems(input({ date: '2025-12-20' }), scale(), '2025-12-01').map((p) => p.path)).toEqual(['date']);
		// A month-precision date is placed at the month's start, which is not in the future.
		expect(eventFormProblems(input({ date: '2025-12-20', datePrecision: 'month' }), scale(), '2025-12-01')).toEqual([]);
	});
	it('finds sources published in the future', () => {
		const sources = [{ outlet: 'A', title: null, url: null, publishedOn: '2026-01-01' }];
		expect(eventFormProblems(input({ sources }), scale(), '2025-12-01').map((p) => p.path)).toEqual(['sources[0].publishedOn']);
	});
	it('puts interval problems on the bound they concern', () => {
		const f = parseEventForm(eventForm({ positionLow: '1.5', positionHigh: '' }));
		expect(eventFormProblems(f.input, scale(), '2025-12-01').map((p) => [p.path, f.map(p).key])).toEqual([
			['positionLow', 'positionLow'],
			['positionHigh', 'positionHigh']
		]);
		expect(eventFormProblems(input({ positionLow: 0, positionHigh: 3 }), scale(), '2025-12-01')).toEqual([{ path: 'positionHigh', message: "3 is off this issue's scale (-2 to 2)" }]);
	});
	it('says nothing about the position without a scale', () => {
		expect(eventFormProblems(input({ position: 7 }), null, '2025-12-01')).toEqual([]);
	});
});

describe('parseActorForm', () => {
	it('makes the slug from the name, upper-cases the country code, and an automatic colour is null', () => {
		const f = parseActorForm({ ...actorFormValues(), name: 'Ministerio de Defensa', countryCode: 'co', autoColor: true });
		expect(f.errors).toEqual({});
		expect(f.parsed).toMatchObject({ slug: 'ministerio-de-defensa', countryCode: 'CO', color: null, parent: null, role: null });
	});
	it('keeps a chosen colour and names bad fields', () => {
		const f = parseActorForm({ ...actorFormValues(), name: '', countryCode: 'Colombia', color: '#AABBCC', autoColor: false });
		expect(Object.keys(f.errors).sort()).toEqual(['countryCode', 'name']);
		expect(f.input.color).toBe('#aabbcc');
	});
});

describe('parseIssueForm', () => {
	const form = (labels: string, min = '-1', max = '1') => parseIssueForm({ ...issueFormValues(), title: 'A vote', min, max, labels });

	it('reads one labelled value per line, blank lines aside', () => {
		const f = form('-1 No\n\n0: Abstain\n1 = Yes\n');
		expect(f.errors).toEqual({});
		expect(f.parsed?.scale).toEqual({ min: -1, max: 1, labels: [{ value: -1, label: 'No' }, { value: 0, label: 'Abstain' }, { value: 1, label: 'Yes' }] });
		expect(f.parsed?.slug).toBe('a-vote');
	});
	it('names the line of a label it cannot read', () => {
		expect(form('-1 No\nabstain\n1 Yes').errors['scale.labels']).toBe('line 2: write the value, then its label, such as "-2 Halt"');
	});
	it("names the line of a value off the scale or repeated, counting blank lines", () => {
		expect(form('-1 No\n\n3 Never\n-1 Nope').errors['scale.labels']).toBe('line 3: the value must lie within the scale -1..1; line 4: the value duplicates the value -1');
	});
	it('puts min and max problems beside those fields', () => {
		expect(form('1 Yes', 'low').errors['scale.min']).toBe('must be a number');
		expect(form('1 Yes', '2', '1').errors['scale.max']).toBe('must be greater than min (2)');
	});
	it('round-trips a stored issue through its form values', () => {
		const values = issueFormValues({ slug: 'x', title: 'X', description: 'd', scale: scale() });
		expect(values.labels.split('\n')[0]).toBe('-2 Halt');
		expect(parseIssueForm(values).parsed?.scale).toEqual(scale());
	});
	it('reads what the form posts', () => {
		const v = readIssueForm(formData({ title: 'T', 'scale.min': '-1', 'scale.max': '1', 'scale.labels': '-1 No\r\n1 Yes' }));
		expect(v).toMatchObject({ min: '-1', max: '1', labels: '-1 No\n1 Yes' });
	});
});

describe('parseIssueForm: change rules', () => {
	const rules = (minMovePercent: string, walkBackDays: string, staleAfterDays: string) =>
		parseIssueForm({ ...issueFormValues(), title: 'A vote', min: '-1', max: '1', labels: '-1 No\n1 Yes', minMovePercent, walkBackDays, staleAfterDays });

	it('leaves empty fields to the defaults (null)', () => {
		const f = rules('', ' ', '');
		expect(f.errors).toEqual({});
		expect(f.parsed?.rules).toEqual({ minShare: null, walkBackDays: null, staleAfterDays: null });
	});
	it('reads the smallest change in percent of the scale and the periods in days', () => {
		expect(rules('15', '3', '180').parsed?.rules).toEqual({ minShare: 0.15, walkBackDays: 3, staleAfterDays: 180 });
		expect(rules('12,5%', '0', '1').parsed?.rules).toEqual({ minShare: 0.125, walkBackDays: 0, staleAfterDays: 1 });
	});
	it('names each bad field, and writes nothing', () => {
		const f = rules('150', 'a week', '0');
		expect(f.parsed).toBeNull();
		expect(f.errors).toEqual({
			'rules.minShare': 'must be a percentage from 0 to 100, or empty for the default',
			'rules.walkBackDays': 'must be a whole number of days, or empty for the default',
			'rules.staleAfterDays': 'must be at least 1 day'
		});
		expect(rules('5', '2.5', '').errors).toEqual({ 'rules.walkBackDays': 'must be a whole number of days, or empty for the default' });
	});
	it('round-trips stored rules through the form values, without float noise', () => {
		const values = issueFormValues({ slug: 'x', title: 'X', description: '', scale: scale(), rules: { minShare: 0.15, walkBackDays: null, staleAfterDays: 30 } });
		expect(values).toMatchObject({ minMovePercent: '15', walkBackDays: '', staleAfterDays: '30' });
		expect(parseIssueForm(values).parsed?.rules).toEqual({ minShare: 0.15, walkBackDays: null, staleAfterDays: 30 });
	});
	it('reads the rules the form posts', () => {
		const v = readIssueForm(formData({ title: 'T', 'rules.minShare': '10', 'rules.walkBackDays': '2', 'rules.staleAfterDays': '90' }));
		expect(v).toMatchObject({ minMovePercent: '10', walkBackDays: '2', staleAfterDays: '90' });
	});
});

describe('parseContextForm', () => {
	const values = (over: Partial<ContextFormValues> = {}): ContextFormValues => ({ ...contextFormValues(), date: '2025-09-02', label: 'First US strike on a boat', 'source.outlet': 'Reuters', ...over });

	it('reads a day with a source: empty fields are null, the issue comes from the page', () => {
		const r = parseContextForm(values(), 'boat-strikes-legality', '2025-12-01');
		expect(r.errors).toEqual({});
		expect(r.parsed).toEqual({
			issue: 'boat-strikes-legality',
			date: '2025-09-02',
			datePrecision: 'day',
			endDate: null,
			label: 'First US strike on a boat',
			source: { outlet: 'Reuters', title: null, url: null, publishedOn: null }
		});
	});

	it('puts each problem beside its field: label, end date, source outlet and URL', () => {
		const r = parseContextForm(values({ label: '', endDate: '2025-09-01', 'source.outlet': '', 'source.url': 'not a url' }), 'x', '2025-12-01');
		expect(Object.keys(r.errors).sort()).toEqual(['endDate', 'label', 'source.outlet', 'source.url']);
		expect(r.errors.endDate).toBe('must not be before the start date');
	});
});

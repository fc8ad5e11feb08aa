/**
 * One rule for the characters of every text field and source URL (issue 8, finding 5): control
 * characters and bidirectional overrides are refused with a message naming the field.
 */
import { describe, expect, it } from 'vitest';
import { actorInputSchema, eventInputSchema, issueInputSchema, sourceInputSchema } from '../../../src/lib/schemas/dataset';
import { characterProblem } from '../../../src/lib/domain/text';
import { checkReason } from '../../../src/lib/domain/corrections';
import { eventInput } from '../../fixtures/factories';

const BAD = {
	NUL: '\u0000',
	'U+0001': '\u0001',
	DEL: '\u007f',
	'C1 U+0085': '\u0085',
	'U+202E right-to-left override': '\u202e',
	'U+2066 isolate': '\u2066',
	'U+FFFF noncharacter': '\uffff',
	'U+FFFE noncharacter': '\ufffe',
	'a lone surrogate': '\ud800'
};

const fields = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
	r.success ? [] : r.error!.issues.map((i) => ({ field: i.path.join('.'), message: i.message }));

describe('characterProblem', () => {
	it('names control characters and bidirectional controls', () => {
		for (const [name, c] of Object.entries(BAD)) expect(characterProblem(`a${c}b`), name).toMatch(/^must not contain /);
		expect(characterProblem('\u0000')).toBe('must not contain control characters such as NUL');
		expect(characterProblem('\u202e')).toBe('must not contain bidirectional control characters such as U+202E');
		expect(characterProblem('\uffff')).toBe('must not contain noncharacters such as U+FFFF or a lone surrogate');
	});

	it('is the rule for correction reasons too', () => {
		for (const [name, c] of Object.entries(BAD)) {
			expect(checkReason({ createdAt: '2025-11-01T10:00:00.000Z', now: '2025-11-03T00:00:00.000Z', reason: `a${c}b` }).problems, name).toEqual([{ path: 'reason', message: characterProblem(c) }]);
		}
	});

	it('accepts tabs, newlines, any script and the plain direction marks', () => {
		for (const ok of ['line one\r\nline two\tTabbed', 'Bogotá — «sí»', 'שלום עולם', 'مرحبا \u200f', '日本語', '😀']) expect(characterProblem(ok), ok).toBeNull();
	});
});

describe('source URLs', () => {
	for (const [name, c] of Object.entries(BAD)) {
		it(`refuses ${name}, naming the url field`, () => {
			const r = sourceInputSchema.safeParse({ outlet: 'Reuters', url: `https://example.org/a${c}b` });
			expect(fields(r)).toEqual([{ field: 'url', message: characterProblem(c) }]);
		});
	}

	it('in an event, names the source row', () => {
		const r = eventInputSchema.safeParse(eventInput({ sources: [{ outlet: 'Ok', url: 'https://example.org/ok' }, { outlet: 'Bad', url: 'https://example.org/\u0000x' }] }));
		expect(fields(r)).toEqual([{ field: 'sources.1.url', message: 'must not contain control characters such as NUL' }]);
	});

	it('still takes a plain http(s) URL and refuses other schemes', () => {
		expect(sourceInputSchema.parse({ outlet: 'X', url: 'https://example.org/a?b=c#d' }).url).toBe('https://example.org/a?b=c#d');
		expect(fields(sourceInputSchema.safeParse({ outlet: 'X', url: 'javascript:alert(1)' }))).toEqual([{ field: 'url', message: 'must be an http(s) URL' }]);
	});
});

describe('every text field', () => {
	const cases: [string, (c: string) => unknown, typeof actorInputSchema | typeof issueInputSchema | typeof eventInputSchema | typeof sourceInputSchema][] = [
		['name', (c) => ({ slug: 'x', name: `a${c}`, kind: 'country' }), actorInputSchema],
		['role', (c) => ({ slug: 'x', name: 'X', kind: 'person', role: `a${c}` }), actorInputSchema],
		['title', (c) => ({ slug: 'x', title: `a${c}`, scale: { min: 0, max: 1, labels: [{ value: 0, label: 'No' }] } }), issueInputSchema],
		['scale.labels.0.label', (c) => ({ slug: 'x', title: 'X', scale: { min: 0, max: 1, labels: [{ value: 0, label: `N${c}o` }] } }), issueInputSchema],
		['summary', (c) => eventInput({ summary: `a${c}b` }), eventInputSchema],
		['outlet', (c) => ({ outlet: `a${c}` }), sourceInputSchema]
	];
	for (const [field, input, schema] of cases) {
		it(`${field}: refuses U+202E, NUL and U+FFFF`, () => {
			for (const c of ['\u202e', '\u0000', '\uffff']) expect(fields(schema.safeParse(input(c)))).toEqual([{ field, message: characterProblem(c) }]);
		});
	}
});

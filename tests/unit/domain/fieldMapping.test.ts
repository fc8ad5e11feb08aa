import { describe, expect, it } from 'vitest';
import { compileMapping, type MappingSpec } from '../../../src/lib/domain/fieldMapping';

const header = ['country', 'vote', 'when'];
const spec = (actor: string): MappingSpec => ({ fields: { actor, issue: 'Votes', date: '{when}', position: '{vote}' }, values: {}, join: [] });

describe('compileMapping', () => {
	it('reads columns in templates, with text around them', () => {
		expect(compileMapping(spec('The {country}'), header, new Map())).toMatchObject({ ok: true });
	});

	it.each(['{country', 'country}', '{}', 'The {country} {'])('refuses the mistyped column reference %j, naming the field', (actor) => {
		const r = compileMapping(spec(actor), header, new Map());
		expect(r).toEqual({ ok: false, problems: [expect.stringMatching(/^fields\.actor: .* unmatched or empty brace/)] });
	});
});

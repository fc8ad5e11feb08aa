import { describe, expect, it } from 'vitest';
import { nonEmptyParams, problemsOf } from '../../../src/lib/server/queryForm';
import { parseQuery } from '../../../src/lib/server/http';
import { movedQuerySchema, seriesQuerySchema } from '../../../src/lib/schemas/query';

const url = (q: string) => new URL(`http://x/changes/between?${q}`);

describe('problemsOf', () => {
	it('says a missing parameter is required, in the words the API uses, instead of zod\'s "expected string, received undefined"', async () => {
		const parsed = movedQuerySchema.safeParse(nonEmptyParams(url('from=2025-11-10')));
		expect(parsed.success).toBe(false);
		expect(problemsOf(parsed.error!)).toEqual([{ parameter: 'to', message: 'is required' }]);
		// The API reads the same problems the same way.
		const api = parseQuery(seriesQuerySchema, new URL('http://x/api/series'));
		expect(api.ok).toBe(false);
		if (!api.ok) expect(await api.response.json()).toEqual({ error: 'parameter "issue" is required', details: [{ parameter: 'issue', message: 'is required' }] });
	});

	it('keeps the schema\'s own message for a value that is there but wrong', () => {
		const parsed = movedQuerySchema.safeParse(nonEmptyParams(url('from=2025-11-14&to=2025-11-10')));
		expect(problemsOf(parsed.error!)).toEqual([{ parameter: 'to', message: 'must be after from' }]);
	});
});

import { describe, expect, it } from 'vitest';
import { versionParam } from '../../../src/lib/server/api';

describe('versionParam', () => {
	const at = (q: string) => versionParam(new URL(`http://example.test/api/events/1${q}`));
	it('reads ?version= as a whole number, or nothing when absent', () => {
		expect(at('?version=3')).toBe(3);
		expect(at('')).toBeUndefined();
	});
	it('answers 400 naming the parameter for anything else', async () => {
		for (const bad of ['?version=', '?version=1.5', '?version=-1', '?version=two']) {
			const r = at(bad);
			expect(r).toBeInstanceOf(Response);
			expect((r as Response).status).toBe(400);
			expect(await (r as Response).json()).toEqual({ error: 'parameter "version" must be a whole number' });
		}
	});
});

import { describe, expect, it } from 'vitest';
import { reasonParam } from '../../../src/lib/server/http';

const url = (q = '') => new URL(`http://x/api/events/1${q}`);
const jsonRequest = (body: string) => new Request('http://x/api/events/1', { method: 'DELETE', headers: { 'content-type': 'application/json' }, body });

describe('reasonParam', () => {
	it('reads ?reason=, else reason in a JSON body, else none', async () => {
		expect(await reasonParam(new Request('http://x', { method: 'DELETE' }), url('?reason=Duplicate'))).toEqual({ ok: true, reason: 'Duplicate' });
		expect(await reasonParam(jsonRequest('{"reason":"Misquoted"}'), url())).toEqual({ ok: true, reason: 'Misquoted' });
		expect(await reasonParam(jsonRequest('{}'), url())).toEqual({ ok: true, reason: null });
		expect(await reasonParam(new Request('http://x', { method: 'DELETE' }), url())).toEqual({ ok: true, reason: null });
	});

	it('refuses a JSON body that is not one, or a reason that is not text, naming it', async () => {
		const bad = await reasonParam(jsonRequest('{"reason":'), url());
		expect(bad.ok).toBe(false);
		if (!bad.ok) expect(bad.response.status).toBe(400);
		const number = await reasonParam(jsonRequest('{"reason":5}'), url());
		expect(number.ok).toBe(false);
		if (!number.ok) expect(await number.response.json()).toEqual({ error: '1 problem: reason: must be text', fields: [{ field: 'reason', message: 'must be text' }] });
	});
});

/**
 * What a write request to the API must be before anyone reads it (issue 8, findings 3 to 5):
 * from this site (or from a client no page can impersonate), within the body limit (413 naming
 * it), and UTF-8 (400, never U+FFFD in the database).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getRequest } from '@sveltejs/kit/node';
import { crossSiteRefusal } from '../../../src/lib/server/auth/request';
import { bodySizeLimit, formatBytes, readJson } from '../../../src/lib/server/http';

const SITE = new URL('https://stances.example/api/events/3');

type HeaderSet = Record<string, string | undefined>;

function req(method: string, headers: HeaderSet, path = SITE.pathname) {
	return new Request(new URL(path, SITE), { method, headers: headers as Record<string, string> });
}

describe('crossSiteRefusal', () => {
	it('refuses a body-less cross-site DELETE or POST carrying only a cookie', () => {
		for (const method of ['DELETE', 'POST']) {
			for (const headers of <HeaderSet[]>[
				{ cookie: 'session=x', origin: 'https://evil.example' },
				{ cookie: 'session=x', 'sec-fetch-site': 'cross-site' },
				{ cookie: 'session=x', 'sec-fetch-site': 'same-site' },
				{ cookie: 'session=x', origin: 'null' },
				// No browser headers at all, no JSON type and nothing custom: a page could have sent it.
				{ cookie: 'session=x' },
				{ cookie: 'session=x', 'content-type': 'text/plain' }
			]) {
				const r = crossSiteRefusal(req(method, headers), SITE);
				expect(r?.status, `${method} ${JSON.stringify(headers)}`).toBe(403);
			}
		}
	});

	it('refuses a foreign Origin even with a JSON body or a token', () => {
		for (const extra of <HeaderSet[]>[{ 'content-type': 'application/json' }, { authorization: 'Bearer st_x' }, { 'x-requested-with': 'fetch' }]) {
			expect(crossSiteRefusal(req('PATCH', { origin: 'https://evil.example', ...extra }), SITE)?.status).toBe(403);
		}
	});

	it('lets through this site, and clients that send what no cross-site page can', () => {
		for (const headers of <HeaderSet[]>[
			{ origin: SITE.origin },
			{ 'sec-fetch-site': 'same-origin' },
			{ 'content-type': 'application/json' },
			{ 'content-type': 'application/json; charset=utf-8' },
			{ authorization: 'Bearer st_x' },
			{ 'x-requested-with': 'XMLHttpRequest' }
		]) {
			for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) expect(crossSiteRefusal(req(method, headers), SITE), JSON.stringify(headers)).toBeNull();
		}
	});

	it('leaves reads, and everything outside /api, alone', () => {
		expect(crossSiteRefusal(req('GET', { origin: 'https://evil.example' }), SITE)).toBeNull();
		const page = new URL('/edit/events/new', SITE);
		expect(crossSiteRefusal(req('POST', { origin: 'https://evil.example' }, page.pathname), page)).toBeNull();
	});
});

describe('bodySizeLimit', () => {
	it("reads BODY_SIZE_LIMIT as adapter-node does, 512K when unset", () => {
		expect(bodySizeLimit('512K')).toBe(524_288);
		expect(bodySizeLimit('4M')).toBe(4 * 1024 * 1024);
		expect(bodySizeLimit('1000')).toBe(1000);
		expect(bodySizeLimit('Infinity')).toBe(Infinity);
		expect(formatBytes(524_288)).toBe('512 KB');
		expect(formatBytes(4 * 1024 * 1024)).toBe('4 MB');
		expect(formatBytes(1000)).toBe('1000 bytes');
	});
});

/**
 * readJson behind SvelteKit's own Node request reader (what adapter-node uses) with a 1000-byte
 * limit, on a real HTTP server on loopback.
 */
describe('readJson', () => {
	let server: Server;
	let base = '';
	const saved = process.env.BODY_SIZE_LIMIT;
	beforeAll(async () => {
		process.env.BODY_SIZE_LIMIT = '1000';
		server = createServer(async (nodeReq, nodeRes) => {
			const request = await getRequest({ request: nodeReq, base, bodySizeLimit: 1000 });
			const r = await readJson(request);
			const res = r.ok ? Response.json(r.body) : r.response;
			nodeRes.writeHead(res.status, { 'content-type': 'application/json' });
			nodeRes.end(await res.text());
		});
		await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
		base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});
	afterAll(async () => {
		process.env.BODY_SIZE_LIMIT = saved;
		await new Promise((done) => server.close(done));
	});

	const send = (body: BodyInit, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
		fetch(`${base}/api/events`, { method: 'POST', body, headers });

	it('reads a JSON object, BOM or not', async () => {
		const r = await send(JSON.stringify({ summary: 'Añadido — ok' }));
		expect(r.status).toBe(200);
		expect(await r.json()).toEqual({ summary: 'Añadido — ok' });
		expect((await send('\ufeff{"a":1}')).status).toBe(200);
	});

	it('answers 413 naming the limit for a body over it (not "not valid JSON")', async () => {
		const r = await send(JSON.stringify({ quote: 'x'.repeat(2000) }));
		expect(r.status).toBe(413);
		expect(await r.json()).toEqual({ error: 'the body is larger than the limit of 1000 bytes (BODY_SIZE_LIMIT)', details: { limit: 1000 } });
		// Sent in chunks without a length, it is cut off while read: the same answer.
		const chunks = new ReadableStream({
			start(c) {
				for (let i = 0; i < 5; i++) c.enqueue(new TextEncoder().encode('"' + 'y'.repeat(400) + '",'));
				c.close();
			}
		});
		const chunked = await fetch(`${base}/api/events`, { method: 'POST', body: chunks, headers: { 'content-type': 'application/json' }, duplex: 'half' } as RequestInit);
		expect(chunked.status).toBe(413);
	});

	it('refuses bytes that are not UTF-8 with 400, instead of storing U+FFFD', async () => {
		const bytes = new Uint8Array([...new TextEncoder().encode('{"summary":"a'), 0xff, 0xfe, ...new TextEncoder().encode('b"}')]);
		const r = await send(bytes);
		expect(r.status).toBe(400);
		expect((await r.json()).error).toBe('the body is not valid UTF-8');
		// A lone continuation byte and an overlong encoding of "/" are refused too.
		expect((await send(new Uint8Array([0x7b, 0x80, 0x7d]))).status).toBe(400);
		expect((await send(new Uint8Array([0x7b, 0x22, 0xc0, 0xaf, 0x22, 0x3a, 0x31, 0x7d]))).status).toBe(400);
	});

	it('still names JSON that is not JSON, or not an object', async () => {
		expect(await (await send('{"a":')).json()).toEqual({ error: 'the body is not valid JSON' });
		expect(await (await send('[1,2]')).json()).toEqual({ error: 'the body must be a JSON object' });
	});
});

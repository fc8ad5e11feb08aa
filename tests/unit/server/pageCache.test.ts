import { describe, expect, it } from 'vitest';
import { PageCache, keepPage, pageCacheBytes, type CachedPage } from '../../../src/lib/server/read/pageCache';

const page = (bytes: number): CachedPage => ({ status: 200, headers: [['content-type', 'text/html']], body: new Uint8Array(bytes) });

describe('PageCache', () => {
	it('keeps pages within its bytes, dropping the least recently used first', () => {
		const cache = new PageCache(64 * 1024);
		cache.set('a', page(6000));
		cache.set('b', page(6000));
		cache.set('c', page(6000));
		expect(cache.get('a')).toBeDefined(); // a is now the most recently used
		for (const k of ['d', 'e', 'f', 'g', 'h', 'i', 'j']) cache.set(k, page(6000));
		expect(cache.bytes).toBeLessThanOrEqual(64 * 1024);
		expect(cache.get('b')).toBeUndefined();
		expect(cache.get('a')).toBeDefined();
		expect(cache.get('j')).toBeDefined();
	});

	it('refuses a page larger than an eighth of it, and keeps nothing when its size is 0', () => {
		const cache = new PageCache(80 * 1024);
		cache.set('big', page(11 * 1024));
		expect(cache.size).toBe(0);
		const off = new PageCache(0);
		off.set('a', page(10));
		expect(off.size).toBe(0);
	});
});

describe('keepPage', () => {
	const respond = (body: string, headers: Record<string, string> = {}, status = 200) => new Response(body, { status, headers: { 'content-type': 'text/html', ...headers } });

	it('keeps a shareable 200 and sends the same bytes', async () => {
		const cache = new PageCache(1024 * 1024);
		const sent = await keepPage(cache, 'k', respond('<p>hello</p>'));
		expect(await sent.text()).toBe('<p>hello</p>');
		const kept = cache.get('k')!;
		expect(new TextDecoder().decode(kept.body)).toBe('<p>hello</p>');
		expect(new Headers(kept.headers).get('content-length')).toBe('12');
	});

	it('keeps nothing that is personal, not a 200, or too long, and still sends it whole', async () => {
		const cache = new PageCache(1024 * 1024);
		const cases: [string, Response][] = [
			['set-cookie', respond('x', { 'set-cookie': 'session=; Max-Age=0' })],
			['no-store', respond('x', { 'cache-control': 'private, no-store' })],
			['404', respond('x', {}, 404)],
			['long', respond('y'.repeat(200 * 1024))]
		];
		for (const [key, r] of cases) {
			const text = await (await keepPage(cache, key, r)).text();
			expect(text.length, key).toBe(key === 'long' ? 200 * 1024 : 1);
			expect(cache.get(key), key).toBeUndefined();
		}
	});
});

describe('pageCacheBytes', () => {
	it('reads megabytes, defaults when empty, and names the setting when wrong', () => {
		expect(pageCacheBytes(undefined)).toBe(64 * 1024 * 1024);
		expect(pageCacheBytes('')).toBe(64 * 1024 * 1024);
		expect(pageCacheBytes('0')).toBe(0);
		expect(pageCacheBytes('1.5')).toBe(1.5 * 1024 * 1024);
		expect(() => pageCacheBytes('lots')).toThrow(/PAGE_CACHE_MB/);
		expect(() => pageCacheBytes('-1')).toThrow(/PAGE_CACHE_MB/);
	});
});

import type { RequestEvent } from '@sveltejs/kit';
import { SESSION_COOKIE } from '../auth/sessions';
import { bytesBody, negotiate } from './http';

/**
 * Finished responses of anonymous page GETs (the HTML, or SvelteKit's __data.json), compressed
 * as sent, so that a repeated request skips routing, loading and rendering: one data-version
 * lookup (done for the ETag anyway), then the bytes.
 *
 * Never stale: the key is the page's ETag (the version of what the page shows, the day, the
 * build, the path and query) plus the whole request URL (origin, and SvelteKit's data-request
 * parameters), whether it is a data request and the negotiated content coding. Every write bumps
 * the version in the same transaction, whichever process made it, and the version is read from
 * the database on each request, so a write makes every older entry unreachable at once; those
 * age out of the LRU.
 */
export interface CachedPage {
	status: number;
	headers: [string, string][];
	body: Uint8Array;
}

/** Entries are counted at their body plus this much for their key, headers and bookkeeping. */
const OVERHEAD_BYTES = 1024;

/** A least-recently-used map of pages, bounded by bytes. */
export class PageCache {
	private readonly entries = new Map<string, { page: CachedPage; size: number }>();
	private used = 0;

	/** @param maxBytes the memory the cache may hold; 0 turns it off. */
	constructor(readonly maxBytes: number) {}

	/** The largest page kept: one page may take at most an eighth of the cache. */
	get maxEntryBytes(): number {
		return Math.floor(this.maxBytes / 8);
	}

	get(key: string): CachedPage | undefined {
		const hit = this.entries.get(key);
		if (!hit) return undefined;
		this.entries.delete(key);
		this.entries.set(key, hit);
		return hit.page;
	}

	set(key: string, page: CachedPage): void {
		this.delete(key);
		const size = page.body.byteLength + key.length + OVERHEAD_BYTES;
		if (size > this.maxEntryBytes) return;
		this.entries.set(key, { page, size });
		this.used += size;
		for (const k of this.entries.keys()) {
			if (this.used <= this.maxBytes) break;
			this.delete(k);
		}
	}

	private delete(key: string): void {
		const old = this.entries.get(key);
		if (!old) return;
		this.entries.delete(key);
		this.used -= old.size;
	}

	get size(): number {
		return this.entries.size;
	}

	get bytes(): number {
		return this.used;
	}
}

/**
 * The cache key of a request, or null when it must not be cached or served from the cache: not
 * a GET, no ETag (pages that depend on who asks, forms, the API, exports), or a request that
 * carries a session cookie or an Authorization header (whatever it turns out to be worth: a
 * signed-in person sees their own menu, and an expired cookie is cleared by the response).
 */
export function pageCacheKey(event: RequestEvent, etag: string | null): string | null {
	const { request } = event;
	if (!etag || request.method !== 'GET') return null;
	// The raw header, not event.cookies: by now an invalid session cookie has been deleted there.
	if (request.headers.has('authorization') || hasSessionCookie(request.headers.get('cookie'))) return null;
	return `${etag}|${negotiate(request.headers.get('accept-encoding'))}|${event.isDataRequest ? 'data' : 'page'}|${request.url}`;
}

const SESSION_COOKIE_RE = new RegExp(`(?:^|;)\\s*${SESSION_COOKIE}=`);
const hasSessionCookie = (header: string | null): boolean => header !== null && SESSION_COOKIE_RE.test(header);

/** A response from a cached page (a fresh Response each time: its body is read once), marked `X-Page-Cache: hit`. */
export function cachedResponse(page: CachedPage): Response {
	const headers = new Headers(page.headers);
	headers.set('x-page-cache', 'hit');
	return new Response(bytesBody(page.body), { status: page.status, headers });
}

/**
 * Keeps a finished response in the cache when it may be shared: a 200 without Set-Cookie and not
 * marked private or no-store, whose body ends within the cache's largest entry. Returns the
 * response to send (the body read so far goes out with the rest of the stream when it is too
 * long to keep).
 */
export async function keepPage(cache: PageCache, key: string, response: Response): Promise<Response> {
	if (response.status !== 200 || !response.body || response.headers.has('set-cookie')) return response;
	if (/private|no-store/i.test(response.headers.get('cache-control') ?? '')) return response;
	const length = response.headers.get('content-length');
	const limit = cache.maxEntryBytes;
	if (length !== null && Number(length) > limit) return response;
	const reader = response.body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	for (;;) {
		const r = await reader.read();
		if (r.done) break;
		chunks.push(r.value);
		size += r.value.byteLength;
		if (size > limit) {
			// Too long to keep: send what was read, then the rest as it comes.
			return new Response(rest(chunks, reader), { status: response.status, statusText: response.statusText, headers: response.headers });
		}
	}
	const body = Buffer.concat(chunks);
	const headers = new Headers(response.headers);
	headers.set('content-length', String(body.byteLength));
	const page: CachedPage = { status: response.status, headers: [...headers], body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength) };
	cache.set(key, page);
	return new Response(bytesBody(page.body), { status: page.status, headers: page.headers });
}

function rest(head: Uint8Array[], reader: ReadableStreamDefaultReader<Uint8Array>): ReadableStream<Uint8Array> {
	return new ReadableStream<Uint8Array>({
		async pull(controller) {
			const chunk = head.shift();
			if (chunk) return controller.enqueue(chunk);
			const r = await reader.read();
			if (r.done) controller.close();
			else controller.enqueue(r.value);
		},
		cancel: (reason) => reader.cancel(reason)
	});
}

/** The cache's size from a setting in megabytes (PAGE_CACHE_MB); empty means the default. */
export function pageCacheBytes(raw: string | undefined, defaultMb = 64): number {
	if (raw === undefined || raw.trim() === '') return defaultMb * 1024 * 1024;
	const n = Number(raw);
	if (!Number.isFinite(n) || n < 0) throw new Error(`PAGE_CACHE_MB must be a number of megabytes (0 turns the page cache off), not "${raw}"`);
	return Math.floor(n * 1024 * 1024);
}

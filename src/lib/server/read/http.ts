import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** Content codings we send, best first. */
export type Encoding = 'br' | 'gzip' | 'identity';

/**
 * The coding to send for an Accept-Encoding header: brotli, else gzip, else none. Honours
 * q-values (q=0 refuses a coding) and `*`.
 * @example negotiate('gzip, deflate, br') === 'br'; negotiate('br;q=0, gzip') === 'gzip'
 */
export function negotiate(accept: string | null): Encoding {
	if (!accept) return 'identity';
	const q = new Map<string, number>();
	for (const part of accept.split(',')) {
		const [name, ...params] = part.trim().toLowerCase().split(';');
		if (!name) continue;
		let weight = 1;
		for (const p of params) {
			const m = /^\s*q=([0-9.]+)\s*$/.exec(p);
			if (m) weight = Number(m[1]);
		}
		q.set(name, Number.isFinite(weight) ? weight : 0);
	}
	const of = (name: string) => q.get(name) ?? q.get('*') ?? 0;
	const br = of('br');
	const gzip = of('gzip');
	if (br > 0 && br >= gzip) return 'br';
	if (gzip > 0) return 'gzip';
	return 'identity';
}

/** Compresses a whole body: brotli at quality 5 (quality 11 costs ~50x the time for a few % less). */
export function compress(body: Uint8Array, encoding: Exclude<Encoding, 'identity'>): Buffer {
	return encoding === 'br'
		? brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength } })
		: gzipSync(body, { level: 6 });
}

/** A weak ETag derived from a key (a data version and what the response shows). */
export function weakEtag(key: string): string {
	return `W/"${createHash('sha1').update(key).digest('base64url').slice(0, 22)}"`;
}

/** True when the request's If-None-Match names this ETag (weak comparison, as GET requires). */
export function notModified(request: Request, etag: string): boolean {
	const header = request.headers.get('if-none-match');
	if (!header) return false;
	if (header.trim() === '*') return true;
	const bare = etag.replace(/^W\//, '');
	return header.split(',').some((t) => t.trim().replace(/^W\//, '') === bare);
}

/** Adds a value to a comma-separated header (Vary) unless it is there already. */
export function appendHeader(headers: Headers, name: string, value: string): void {
	const cur = headers.get(name);
	if (!cur) headers.set(name, value);
	else if (!cur.toLowerCase().split(',').some((v) => v.trim() === value.toLowerCase())) headers.set(name, `${cur}, ${value}`);
}

/**
 * A response body of bytes already in memory, handed over without a copy: a Response made from a
 * Uint8Array copies it (undici's extractBody), which for a cached 180 KB image was two copies and
 * their garbage on every request. The bytes must not change afterwards (cached bodies never do).
 */
export function bytesBody(bytes: Uint8Array): ReadableStream<Uint8Array> {
	return new ReadableStream<Uint8Array>({
		start(controller) {
			controller.enqueue(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
			controller.close();
		}
	});
}

/** A response body kept with its ETag and its compressed forms (made once, on first demand). */
export interface EncodedBody {
	etag: string;
	type: string;
	status: number;
	raw: Buffer;
	br?: Buffer;
	gzip?: Buffer;
}

/** Bodies smaller than this go out uncompressed: the coding's framing would outweigh the gain. */
export const MIN_COMPRESS_BYTES = 1024;

/**
 * The response for a cached body: 304 when the client holds it, else the body in the coding
 * the client accepts (compressed once, then kept).
 */
export function sendBody(request: Request, body: EncodedBody, headers: Record<string, string> = {}): Response {
	const h = new Headers(headers);
	h.set('ETag', body.etag);
	h.set('Vary', 'Accept-Encoding');
	if (notModified(request, body.etag)) return new Response(null, { status: 304, headers: h });
	h.set('Content-Type', body.type);
	let bytes = body.raw;
	const encoding = body.raw.byteLength >= MIN_COMPRESS_BYTES ? negotiate(request.headers.get('accept-encoding')) : 'identity';
	if (encoding !== 'identity') {
		bytes = body[encoding] ??= compress(body.raw, encoding);
		h.set('Content-Encoding', encoding);
	}
	h.set('Content-Length', String(bytes.byteLength));
	return new Response(request.method === 'HEAD' ? null : bytesBody(bytes), { status: body.status, headers: h });
}

/**
 * A least-recently-used cache of encoded bodies, bounded by bytes (raw and compressed forms
 * counted as they are made). Keys carry the data version, so a write makes old entries
 * unreachable; they age out.
 */
export class BodyCache {
	private entries = new Map<string, { body: EncodedBody; size: number }>();
	private bytes = 0;
	constructor(private readonly maxBytes = 32 * 1024 * 1024) {}

	get(key: string): EncodedBody | undefined {
		const hit = this.entries.get(key);
		if (!hit) return undefined;
		this.entries.delete(key);
		this.entries.set(key, hit);
		return hit.body;
	}

	set(key: string, body: EncodedBody): void {
		this.delete(key);
		// The compressed forms join the entry later: reserve room for them now.
		const size = Math.ceil(body.raw.byteLength * 1.5);
		if (size > this.maxBytes / 4) return;
		this.entries.set(key, { body, size });
		this.bytes += size;
		while (this.bytes > this.maxBytes) this.delete(this.entries.keys().next().value!);
	}

	private delete(key: string): void {
		const old = this.entries.get(key);
		if (!old) return;
		this.entries.delete(key);
		this.bytes -= old.size;
	}

	get size(): number {
		return this.entries.size;
	}
}

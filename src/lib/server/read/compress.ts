import { constants, createBrotliCompress, createGzip, type BrotliCompress, type Gzip } from 'node:zlib';
import { appendHeader, compress, MIN_COMPRESS_BYTES, negotiate } from './http';

const COMPRESSIBLE = /^(text\/|application\/(json|javascript|xml|ld\+json|manifest\+json)|image\/svg\+xml)/i;
/** Bodies up to this size are read whole and compressed in one call; beyond it, streamed. */
const WHOLE_BYTES = 1024 * 1024;

/**
 * Compresses an HTML, JSON, CSV, SVG or text response with brotli or gzip, as the request's
 * Accept-Encoding allows. A body that ends within WHOLE_BYTES is compressed in one call (pages,
 * most JSON); a longer one is compressed as it streams, so it is never held whole. Responses
 * already encoded, marked no-transform, tiny, or of other types (PNG) pass as they are.
 */
export async function compressResponse(request: Request, response: Response): Promise<Response> {
	if (!response.body || request.method === 'HEAD' || response.status === 204 || response.status === 304) return response;
	if (response.headers.has('content-encoding')) return response;
	if (!COMPRESSIBLE.test(response.headers.get('content-type') ?? '')) return response;
	if (/no-transform/i.test(response.headers.get('cache-control') ?? '')) return response;
	const headers = new Headers(response.headers);
	appendHeader(headers, 'Vary', 'Accept-Encoding');
	const encoding = negotiate(request.headers.get('accept-encoding'));
	const length = response.headers.get('content-length');
	if (encoding === 'identity' || (length !== null && Number(length) < MIN_COMPRESS_BYTES)) {
		return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
	}
	// Read until the body ends or grows past WHOLE_BYTES.
	const reader = response.body.getReader();
	const head: Uint8Array[] = [];
	let size = 0;
	let done = false;
	while (size <= WHOLE_BYTES) {
		const r = await reader.read();
		if (r.done) {
			done = true;
			break;
		}
		head.push(r.value);
		size += r.value.byteLength;
	}
	headers.delete('content-length');
	const etag = headers.get('etag');
	// The compressed bytes differ from the plain ones: a strong validator becomes weak.
	if (etag && !etag.startsWith('W/')) headers.set('etag', `W/${etag}`);
	if (done) {
		const whole = Buffer.concat(head);
		if (whole.byteLength < MIN_COMPRESS_BYTES) return new Response(whole, { status: response.status, statusText: response.statusText, headers });
		const out = compress(whole, encoding);
		headers.set('content-encoding', encoding);
		headers.set('content-length', String(out.byteLength));
		return new Response(new Uint8Array(out.buffer as ArrayBuffer, out.byteOffset, out.byteLength), { status: response.status, statusText: response.statusText, headers });
	}
	headers.set('content-encoding', encoding);
	return new Response(compressStream(head, reader, encoding), { status: response.status, statusText: response.statusText, headers });
}

/** The compressed stream of the chunks already read and the rest of the reader, with backpressure. */
function compressStream(head: Uint8Array[], reader: ReadableStreamDefaultReader<Uint8Array>, encoding: 'br' | 'gzip'): ReadableStream<Uint8Array> {
	const z: BrotliCompress | Gzip =
		encoding === 'br' ? createBrotliCompress({ params: { [constants.BROTLI_PARAM_QUALITY]: 4 } }) : createGzip({ level: 6 });
	let feeding: Promise<void> | null = null;
	const feed = async () => {
		try {
			for (const chunk of head) if (!z.write(chunk)) await new Promise((r) => z.once('drain', r));
			head = [];
			for (;;) {
				const r = await reader.read();
				if (r.done) break;
				if (!z.write(r.value)) await new Promise((res) => z.once('drain', res));
			}
			z.end();
		} catch (e) {
			z.destroy(e as Error);
		}
	};
	return new ReadableStream<Uint8Array>({
		start(controller) {
			z.on('data', (chunk: Buffer) => {
				controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
				if ((controller.desiredSize ?? 1) <= 0) z.pause();
			});
			z.on('end', () => controller.close());
			z.on('error', (e) => controller.error(e));
			feeding = feed();
		},
		pull() {
			z.resume();
		},
		async cancel(reason) {
			await reader.cancel(reason).catch(() => undefined);
			z.destroy();
			await feeding;
		}
	});
}

import { version } from '$app/environment';
import { env } from '$env/dynamic/private';
import type { RequestEvent } from '@sveltejs/kit';
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { today } from '../../domain/dates';
import { db } from '../db';
import { exportCacheHeaders, exportContext, parseImageSize, sizeFor, specInputFor } from '../export';
import { jsonError } from '../http';
import { viewVersion } from '../queries/meta';
import { bytesBody, notModified } from '../read/http';
import { ImageCache } from './cache';
import { clientKey, limitsFromEnv } from './limits';
import { RenderPool, type RenderResult } from './pool';
import type { RenderTask } from './task';

let pool: RenderPool | null = null;
/** The app's render pool, made on the first image with the limits from the environment. */
function renderPool(): RenderPool {
	pool ??= new RenderPool({
		limits: limitsFromEnv(env, availableParallelism()),
		niceIncrement: niceFromEnv(env.RENDER_NICE)
	});
	return pool;
}
function niceFromEnv(raw: string | undefined): number | undefined {
	if (raw === undefined || raw.trim() === '') return undefined;
	const n = Number(raw);
	if (!Number.isInteger(n) || n < 0 || n > 19) throw new Error(`RENDER_NICE must be a whole number from 0 to 19, not "${raw}"`);
	return n;
}
function cacheBytesFromEnv(raw: string | undefined): number {
	if (raw === undefined || raw.trim() === '') return 64 * 1024 * 1024;
	const n = Number(raw);
	if (!Number.isFinite(n) || n < 0) throw new Error(`RENDER_CACHE_MB must be a number of megabytes, not "${raw}"`);
	return n * 1024 * 1024;
}
const cache = new ImageCache<RenderResult>(cacheBytesFromEnv(env.RENDER_CACHE_MB));

/** An ETag from what the image is made of: the asked URL, the version of its data, the day, the build. */
function etagOf(format: string, url: URL, version_: string): string {
	const params = [...url.searchParams].map(([k, v]) => `${k}=${v}`).sort();
	const key = [format, ...params, version_, today(), url.origin, version].join('\u0000');
	return `"${createHash('sha256').update(key).digest('base64url').slice(0, 27)}"`;
}

/**
 * GET handler of /export/chart.png and /export/chart.svg. Validated (400/404 as JSON), answered
 * with 304 when the caller's copy is current (without rendering), else from the cache or rendered
 * in a worker; refused with 429/503 and Retry-After past the render limits.
 */
export async function serveImage(event: RequestEvent, format: 'png' | 'svg'): Promise<Response> {
	const { url, request, locals } = event;
	const parsed = parseImageSize(url.searchParams);
	if ('problems' in parsed) return jsonError(400, parsed.problems.join('; '));
	// The version of what the view shows (its issues and the actors; everything when it names no issue).
	const named = ['issues', 'issue'].flatMap((k) => (url.searchParams.get(k) ?? '').split(',')).map((s) => s.trim()).filter(Boolean);
	const dv = await viewVersion(db, named);
	// An SVG goes out compressed or not by Accept-Encoding (hooks): its tag is weak, on the 304 too.
	const etag = format === 'svg' ? `W/${etagOf(format, url, dv)}` : etagOf(format, url, dv);
	const headers: Record<string, string> = {
		ETag: etag,
		...exportCacheHeaders({ requireLogin: env.REQUIRE_LOGIN === 'true', validator: true }),
		'Content-Type': format === 'png' ? 'image/png' : 'image/svg+xml; charset=utf-8'
	};
	if (format === 'svg') headers.Vary = headers.Vary ? `${headers.Vary}, Accept-Encoding` : 'Accept-Encoding';
	if (notModified(request, etag)) return new Response(null, { status: 304, headers });

	// The tag names the image exactly (URL, data version, day, build): a cached copy is served
	// without loading the view behind it.
	const key = etag.replace(/^W\//, '');
	const hit = cache.peek(key);
	if (hit) {
		headers['Content-Disposition'] = `inline; filename="${hit.note}"`;
		return imageResponse(request, hit.body, headers);
	}
	const prepared = await renderTask(url, parsed.size, format);
	if (!prepared.ok) return prepared.response;
	const { task, filename } = prepared;
	const client = locals.user ? null : clientAddress(event);
	const result = await cache.get(key, () => renderPool().render(task, client), filename);
	if (!result.ok) {
		const refused = jsonError(result.status, result.error);
		refused.headers.set('Cache-Control', 'no-store');
		if (result.retryAfter !== null) refused.headers.set('Retry-After', String(result.retryAfter));
		return refused;
	}
	headers['Content-Disposition'] = `inline; filename="${filename}"`;
	return imageResponse(request, result.body, headers);
}

/**
 * The view an image URL names, loaded, and what the render worker draws of it (a task) with the
 * file name: the view itself is not kept while the image renders.
 */
async function renderTask(url: URL, asked: { width: number | null; height: number | null; scale: number }, format: 'png' | 'svg') {
	const r = await exportContext(db, url);
	if (!r.ok) return r;
	const size = sizeFor(r.ctx, asked);
	const task: RenderTask = { format, scale: format === 'png' ? size.scale : 1, input: await specInputFor(r.ctx, size) };
	return { ok: true as const, task, filename: r.ctx.filename(format) };
}

/** The image's bytes as they are (no copy), with their length. */
function imageResponse(request: Request, body: Buffer, headers: Record<string, string>): Response {
	headers['Content-Length'] = String(body.byteLength);
	return new Response(request.method === 'HEAD' ? null : bytesBody(body), { headers });
}

function clientAddress(event: RequestEvent): string {
	try {
		return clientKey(event.getClientAddress());
	} catch {
		return 'unknown';
	}
}

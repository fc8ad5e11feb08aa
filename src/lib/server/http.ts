import { ConflictError, NotFoundError, ValidationError } from './write/errors';
import { json } from '@sveltejs/kit';
import type { z } from 'zod';
import { searchParamsObject } from '../schemas/query';
import { asofParam } from '../domain/asof';
import { problemsOf } from './queryForm';

/** A JSON error response: { error, details? }. */
export function jsonError(status: number, error: string, details?: unknown): Response {
	return json(details === undefined ? { error } : { error, details }, { status });
}

/**
 * Reads a URL's query parameters through a schema. On failure returns a 400 response whose
 * message names each bad parameter.
 */
export function parseQuery<S extends z.ZodType>(
	schema: S,
	url: URL
): { ok: true; data: z.output<S> } | { ok: false; response: Response } {
	const one = asofParam(url.searchParams);
	if ('error' in one) return { ok: false, response: jsonError(400, `parameter "asof" ${one.error}`, [{ parameter: 'asof', message: one.error }]) };
	const r = schema.safeParse(searchParamsObject(url));
	if (r.success) return { ok: true, data: r.data };
	const details = problemsOf(r.error);
	const error = details.map((d) => `parameter "${d.parameter}" ${d.message}`).join('; ');
	return { ok: false, response: jsonError(400, error, details) };
}

/**
 * The largest request body, in bytes: adapter-node's `BODY_SIZE_LIMIT`, read the way adapter-node
 * reads it (a number of bytes, or with a K, M or G suffix; 512K when unset). `node build` and
 * `npm start` both leave it to that setting, so both enforce the same limit.
 */
export function bodySizeLimit(value = process.env.BODY_SIZE_LIMIT ?? '512K'): number {
	const unit = ({ K: 1024, M: 1024 ** 2, G: 1024 ** 3 } as Record<string, number>)[value.slice(-1).toUpperCase()];
	return unit ? Number(value.slice(0, -1)) * unit : Number(value);
}

/**
 * What a page (a form post, not the JSON API) says when its body is over `BODY_SIZE_LIMIT`:
 * the limit and its setting, that nothing was saved, and for the import form where larger files go.
 */
export function bodyTooLargeMessage(pathname: string, limit = bodySizeLimit(), importLimit?: number): string {
	const base = `The request is larger than this server's limit of ${formatBytes(limit)} (BODY_SIZE_LIMIT), so nothing was saved.`;
	if (!pathname.startsWith('/edit/import')) return base;
	const pieces = importLimit === undefined ? '' : ` of up to ${formatBytes(importLimit)}`;
	return `${base} With JavaScript on, the import page uploads files${pieces} in pieces; the command line (npm run cli -- import FILE) takes any size.`;
}

/** A byte count as people write it: "512 KB", "4 MB", "1000 bytes". */
export function formatBytes(n: number): string {
	if (!Number.isFinite(n)) return 'unlimited';
	for (const [unit, size] of [['GB', 1024 ** 3], ['MB', 1024 ** 2], ['KB', 1024]] as const) {
		if (n >= size && n % size === 0) return `${n / size} ${unit}`;
	}
	return `${n} bytes`;
}

const isTooLarge = (e: unknown): boolean => typeof e === 'object' && e !== null && (e as { status?: unknown }).status === 413;

/**
 * The JSON body of a request, or the response refusing it: 413 naming the limit for a body over
 * `BODY_SIZE_LIMIT` (adapter-node stops reading it), 400 for bytes that are not UTF-8 (decoded
 * strictly: a lenient decoder would store U+FFFD in their place), for text that is not JSON, or
 * for JSON that is not an object.
 */
export async function readJson(request: Request): Promise<{ ok: true; body: Record<string, unknown> } | { ok: false; response: Response }> {
	let bytes: ArrayBuffer;
	try {
		bytes = await request.arrayBuffer();
	} catch (e) {
		if (!isTooLarge(e)) return { ok: false, response: jsonError(400, 'the body could not be read') };
		const limit = bodySizeLimit();
		return { ok: false, response: jsonError(413, `the body is larger than the limit of ${formatBytes(limit)} (BODY_SIZE_LIMIT)`, { limit }) };
	}
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		return { ok: false, response: jsonError(400, 'the body is not valid UTF-8') };
	}
	let body: unknown;
	try {
		body = JSON.parse(text);
	} catch {
		return { ok: false, response: jsonError(400, 'the body is not valid JSON') };
	}
	if (typeof body !== 'object' || body === null || Array.isArray(body)) {
		return { ok: false, response: jsonError(400, 'the body must be a JSON object') };
	}
	return { ok: true, body: body as Record<string, unknown> };
}

/**
 * The `reason` of a DELETE or a restore (required for a correction): `?reason=`, or `reason` in a
 * JSON body for a client that sends one there (before, such a reason was ignored and the write
 * refused for lacking one). @returns the reason (null when none), or the response refusing the body.
 */
export async function reasonParam(request: Request, url: URL): Promise<{ ok: true; reason: string | null } | { ok: false; response: Response }> {
	const inUrl = url.searchParams.get('reason');
	if (inUrl !== null || !/^application\/json\s*(;|$)/i.test(request.headers.get('content-type') ?? '')) return { ok: true, reason: inUrl };
	if (request.headers.get('content-length') === '0') return { ok: true, reason: null };
	const body = await readJson(request);
	if (!body.ok) return body;
	const given = body.body.reason;
	if (given === undefined || given === null) return { ok: true, reason: null };
	if (typeof given !== 'string') return { ok: false, response: json({ error: '1 problem: reason: must be text', fields: [{ field: 'reason', message: 'must be text' }] }, { status: 400 }) };
	return { ok: true, reason: given };
}

/**
 * Turns a refused write into its response: 400 with each field's problem, 409 with the current
 * record, 404. Anything else is not ours to explain and is thrown on.
 */
export function writeError(e: unknown): Response {
	if (e instanceof ValidationError) {
		return json(
			{ error: e.message, fields: e.problems.map((p) => ({ field: p.path, message: p.message })) },
			{ status: 400 }
		);
	}
	if (e instanceof ConflictError) {
		return json({ error: e.message, currentVersion: e.currentVersion, current: e.current }, { status: 409 });
	}
	if (e instanceof NotFoundError) return jsonError(404, e.message);
	throw e;
}

import { ConflictError, NotFoundError, ValidationError } from './write/errors';
import { json } from '@sveltejs/kit';
import type { z } from 'zod';
import { searchParamsObject } from '../schemas/query';

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
	const r = schema.safeParse(searchParamsObject(url));
	if (r.success) return { ok: true, data: r.data };
	const details = r.error.issues.map((i) => ({
		parameter: String(i.path[0] ?? ''),
		message: i.code === 'invalid_type' && i.input === undefined ? 'is required' : i.message
	}));
	const error = details.map((d) => `parameter "${d.parameter}" ${d.message}`).join('; ');
	return { ok: false, response: jsonError(400, error, details) };
}

/** The JSON body of a request, or a 400 naming what is wrong with it. */
export async function readJson(request: Request): Promise<{ ok: true; body: Record<string, unknown> } | { ok: false; response: Response }> {
	let body: unknown;
	try {
		body = await request.json();
	} catch {
		return { ok: false, response: jsonError(400, 'the body is not valid JSON') };
	}
	if (typeof body !== 'object' || body === null || Array.isArray(body)) {
		return { ok: false, response: jsonError(400, 'the body must be a JSON object') };
	}
	return { ok: true, body: body as Record<string, unknown> };
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

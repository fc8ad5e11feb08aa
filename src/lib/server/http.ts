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

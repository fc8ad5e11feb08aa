import type { ZodError } from 'zod';

/**
 * A page's query parameters for its schema: empty fields (a GET form's blank inputs) left out,
 * repeated keys (checkboxes) joined with commas.
 */
export function nonEmptyParams(url: URL): Record<string, string> {
	const out: Record<string, string> = {};
	for (const key of new Set(url.searchParams.keys())) {
		const values = url.searchParams.getAll(key).map((v) => v.trim()).filter(Boolean);
		if (values.length) out[key] = values.join(',');
	}
	return out;
}

/**
 * A schema's problems as `{ parameter, message }`, for a page to show beside its filters and for the
 * API's 400 (`parseQuery`): a missing parameter reads "is required", not zod's "expected string,
 * received undefined".
 */
export function problemsOf(error: ZodError): { parameter: string; message: string }[] {
	return error.issues.map((i) => ({
		parameter: String(i.path[0] ?? ''),
		message: i.code === 'invalid_type' && i.input === undefined ? 'is required' : i.message
	}));
}

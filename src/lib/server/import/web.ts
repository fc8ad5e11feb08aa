import { json, type RequestEvent } from '@sveltejs/kit';
import { hasRole } from '../auth/guard';
import { jsonError } from '../http';
import { mappingSchema } from '../../schemas/mapping';
import { toProblems } from '../../schemas/dataset';
import { IMPORT_FORMATS, type ImportFormat } from '../../domain/types';
import { parseScaleOption, type ImportOptions } from './index';
import { UploadRefused } from './uploads';

/** The signed-in editor behind a web-import request, or the response refusing it. */
export function importEditor(event: Pick<RequestEvent, 'locals' | 'request' | 'url'>): { id: number } | Response {
	const { user, token } = event.locals;
	if (!user) return jsonError(401, 'sign in first');
	if (token) return jsonError(403, 'web imports are for signed-in editors; use the command line with a token-less operator account');
	// SvelteKit's CSRF check covers form bodies only: these take JSON and raw bytes, so the
	// browser's Origin must be this site's.
	if (event.request.method !== 'GET' && event.request.headers.get('origin') !== event.url.origin) {
		return jsonError(403, 'cross-site import requests are refused');
	}
	if (!hasRole(user, 'editor')) return jsonError(403, 'this needs the editor role');
	return user;
}

export function refusal(e: unknown): Response {
	if (e instanceof UploadRefused) return jsonError(e.status, e.message);
	throw e;
}

export interface OptionProblem {
	field: string;
	message: string;
}

/**
 * The import form's options, checked; the problems name each field. Takes the JSON the page's
 * script sends (booleans) and the plain form post alike (a checked box is present, as "on").
 */
export function importOptions(body: Record<string, unknown>): { ok: true; options: Omit<ImportOptions, 'file'> } | { ok: false; problems: OptionProblem[] } {
	const problems: OptionProblem[] = [];
	const format = body.format === '' || body.format === undefined || body.format === null ? undefined : String(body.format);
	if (format !== undefined && !IMPORT_FORMATS.includes(format as ImportFormat)) problems.push({ field: 'format', message: `must be one of ${IMPORT_FORMATS.join(', ')}` });
	let mapping: ImportOptions['mapping'];
	const mappingText = typeof body.mapping === 'string' ? body.mapping.trim() : '';
	if (mappingText) {
		try {
			const r = mappingSchema.safeParse(JSON.parse(mappingText));
			if (r.success) mapping = r.data;
			else for (const p of toProblems(r.error)) problems.push({ field: 'mapping', message: `${p.path || '(top)'}: ${p.message}` });
		} catch (e) {
			problems.push({ field: 'mapping', message: `is not JSON (${(e as Error).message})` });
		}
	}
	let scale: ImportOptions['scale'];
	if (typeof body.scale === 'string' && body.scale.trim()) {
		scale = parseScaleOption(body.scale) ?? undefined;
		if (!scale) problems.push({ field: 'scale', message: 'write it MIN..MAX, e.g. -2..2' });
	}
	const text = (k: string) => (typeof body[k] === 'string' && (body[k] as string).trim() ? (body[k] as string).trim() : null);
	const flag = (k: string) => body[k] === true || body[k] === 'on';
	if (problems.length) return { ok: false, problems };
	return {
		ok: true,
		options: {
			format: format as ImportFormat | undefined,
			mapping,
			createMissing: flag('createMissing'),
			goodRowsOnly: flag('goodRowsOnly'),
			dryRun: flag('dryRun'),
			encoding: text('encoding') ?? undefined,
			scale,
			source: text('sourceOutlet') || text('sourceTitle') ? { outlet: text('sourceOutlet'), title: text('sourceTitle') } : undefined
		}
	};
}

/** The options' problems as the JSON routes answer them. */
export function optionsRefused(problems: OptionProblem[]): Response {
	return json({ error: problems.map((p) => `${p.field}: ${p.message}`).join('; '), fields: problems }, { status: 400 });
}

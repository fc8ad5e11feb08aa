import { json } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { jsonError, readJson } from '$lib/server/http';
import { appendPiece, findUpload, startImport, uploadStatus } from '$lib/server/import/uploads';
import { importEditor, importOptions, optionsRefused, refusal } from '$lib/server/import/web';
import type { RequestHandler } from './$types';

/** One piece of the file, at ?offset=N (application/octet-stream). */
export const PUT: RequestHandler = async (event) => {
	const user = importEditor(event);
	if (user instanceof Response) return user;
	if (!/^application\/octet-stream/i.test(event.request.headers.get('content-type') ?? '')) return jsonError(415, 'send the piece as application/octet-stream');
	try {
		const u = findUpload(event.params.id, user.id);
		await appendPiece(u, Number(event.url.searchParams.get('offset')), new Uint8Array(await event.request.arrayBuffer()));
		return json({ received: u.received });
	} catch (e) {
		return refusal(e);
	}
};

/** Starts the import of a complete upload with the form's options (JSON). */
export const POST: RequestHandler = async (event) => {
	const user = importEditor(event);
	if (user instanceof Response) return user;
	const body = await readJson(event.request);
	if (!body.ok) return body.response;
	const opts = importOptions(body.body);
	if (!opts.ok) return optionsRefused(opts.problems);
	try {
		const u = findUpload(event.params.id, user.id);
		await startImport(db, u, opts.options, { userId: user.id, via: 'form' });
		return json(uploadStatus(u), { status: 202 });
	} catch (e) {
		return refusal(e);
	}
};

/** Where the upload and its import are. */
export const GET: RequestHandler = async (event) => {
	const user = importEditor(event);
	if (user instanceof Response) return user;
	try {
		return json(uploadStatus(findUpload(event.params.id, user.id)), { headers: { 'cache-control': 'no-store' } });
	} catch (e) {
		return refusal(e);
	}
};

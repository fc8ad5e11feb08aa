import { json } from '@sveltejs/kit';
import { readJson } from '$lib/server/http';
import { beginUpload, CHUNK_BYTES } from '$lib/server/import/uploads';
import { importEditor, refusal } from '$lib/server/import/web';
import type { RequestHandler } from './$types';

/** Announces an upload: { name, size } -> { id, chunkBytes }, or 413 past the upload limit. */
export const POST: RequestHandler = async (event) => {
	const user = importEditor(event);
	if (user instanceof Response) return user;
	const body = await readJson(event.request);
	if (!body.ok) return body.response;
	try {
		const u = beginUpload(user.id, String(body.body.name ?? 'upload'), Number(body.body.size));
		return json({ id: u.id, chunkBytes: CHUNK_BYTES }, { status: 201 });
	} catch (e) {
		return refusal(e);
	}
};

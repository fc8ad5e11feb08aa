import { fail } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { requireRole } from '$lib/server/auth/guard';
import { formatBytes } from '$lib/server/http';
import { ImportRefused, UsageError } from '$lib/server/import';
import { importPostedFile, uploadLimit, UploadRefused } from '$lib/server/import/uploads';
import { importOptions } from '$lib/server/import/web';
import type { Actions, PageServerLoad } from './$types';

export const load = (async (event) => {
	requireRole(event, 'editor');
	const limit = uploadLimit();
	// A plain form post carries the whole file in one request, so adapter-node's body limit applies.
	const bodyLimit = uploadLimit(process.env.BODY_SIZE_LIMIT ?? '512K');
	return { limit, limitText: formatBytes(limit), bodyLimitText: Number.isFinite(bodyLimit) ? formatBytes(Math.min(bodyLimit, limit)) : formatBytes(limit) };
}) satisfies PageServerLoad;

export const actions = {
	/** The form posted without JavaScript (with it, the page uploads in pieces and polls instead). */
	default: async (event) => {
		const user = requireRole(event, 'editor');
		const form = await event.request.formData();
		const file = form.get('file');
		if (!(file instanceof File) || file.size === 0) return fail(400, { error: 'Choose a file to import.' });
		const opts = importOptions(Object.fromEntries([...form].filter(([k]) => k !== 'file')));
		if (!opts.ok) return fail(400, { error: opts.problems.map((p) => `${p.field}: ${p.message}`).join('; ') });
		try {
			const report = await importPostedFile(db, file, opts.options, { userId: user.id, via: 'form' });
			return { report };
		} catch (e) {
			if (e instanceof ImportRefused || e instanceof UsageError || e instanceof UploadRefused) return fail(400, { error: e.message });
			throw e;
		}
	}
} satisfies Actions;

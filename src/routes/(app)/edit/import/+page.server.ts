import { requireRole } from '$lib/server/auth/guard';
import { formatBytes } from '$lib/server/http';
import { uploadLimit } from '$lib/server/import/uploads';
import type { PageServerLoad } from './$types';

export const load = (async (event) => {
	requireRole(event, 'editor');
	const limit = uploadLimit();
	return { limit, limitText: formatBytes(limit) };
}) satisfies PageServerLoad;

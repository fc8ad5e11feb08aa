import { fail } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { requireRole } from '$lib/server/auth/guard';
import * as users from '$lib/server/auth/users';
import { formId } from '$lib/server/auth/forms';
import type { Actions, PageServerLoad } from './$types';

export const load = (async (event) => {
	requireRole(event, 'admin');
	event.setHeaders({ 'cache-control': 'no-store' });
	return { tokens: await users.tokens(db) };
}) satisfies PageServerLoad;

export const actions = {
	revoke: async (event) => {
		requireRole(event, 'admin');
		const id = formId(await event.request.formData());
		if (id === null || !(await users.revokeToken(db, id))) {
			return fail(404, { ok: false, message: 'No active token has that id.' });
		}
		return { ok: true, message: 'Token revoked: it no longer works.' };
	}
} satisfies Actions;

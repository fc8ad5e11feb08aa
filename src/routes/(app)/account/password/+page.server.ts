import { fail } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { requireRole } from '$lib/server/auth/guard';
import { fieldErrors, formText } from '$lib/server/auth/forms';
import { changePassword } from '$lib/server/auth/users';
import { ValidationError } from '$lib/server/write';
import type { Actions, PageServerLoad } from './$types';

export const load = (async (event) => {
	requireRole(event, 'viewer');
	event.setHeaders({ 'cache-control': 'no-store' });
	return {};
}) satisfies PageServerLoad;

export const actions = {
	default: async (event) => {
		const me = requireRole(event, 'viewer');
		const form = await event.request.formData();
		try {
			await changePassword(
				db,
				me.id,
				{ current: formText(form, 'current'), next: formText(form, 'next'), repeat: formText(form, 'repeat') },
				event.locals.session?.id ?? null
			);
		} catch (e) {
			if (!(e instanceof ValidationError)) throw e;
			return fail(400, { errors: fieldErrors(e.problems) });
		}
		return { changed: true };
	}
} satisfies Actions;

import { redirect } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { invalidateSession, SESSION_COOKIE } from '$lib/server/auth/sessions';
import type { Actions, PageServerLoad } from './$types';

export const load = (async () => redirect(303, '/')) satisfies PageServerLoad;

export const actions = {
	default: async ({ locals, cookies }) => {
		if (locals.session) await invalidateSession(db, locals.session.id);
		cookies.delete(SESSION_COOKIE, { path: '/' });
		redirect(303, '/');
	}
} satisfies Actions;

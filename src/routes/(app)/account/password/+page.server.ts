import { fail } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { requireRole } from '$lib/server/auth/guard';
import { fieldErrors, formText } from '$lib/server/auth/forms';
import { attemptPasswordChange } from '$lib/server/auth/login';
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
		const revokeTokens = form.get('revokeTokens') === 'on';
		try {
			const r = await attemptPasswordChange(db, {
				user: me,
				current: formText(form, 'current'),
				next: formText(form, 'next'),
				repeat: formText(form, 'repeat'),
				keepSessionId: event.locals.session?.id ?? null,
				revokeTokens,
				address: event.getClientAddress()
			});
			if (!r.ok) {
				const minutes = Math.ceil(r.retryAfterMs / 60_000);
				return fail(429, { revokeTokens, message: `Too many failed attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.` });
			}
			return { changed: true, revokedTokens: r.revokedTokens };
		} catch (e) {
			if (!(e instanceof ValidationError)) throw e;
			return fail(400, { revokeTokens, errors: fieldErrors(e.problems) });
		}
	}
} satisfies Actions;

import { fail } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { hasRole, requireRole } from '$lib/server/auth/guard';
import * as users from '$lib/server/auth/users';
import { fieldErrors, formId, formText } from '$lib/server/auth/forms';
import { ValidationError } from '$lib/server/write';
import type { Actions, PageServerLoad } from './$types';

export const load = (async (event) => {
	const me = requireRole(event, 'viewer');
	// The page right after creating a token holds its secret: never keep it in a cache.
	event.setHeaders({ 'cache-control': 'no-store' });
	return { tokens: await users.tokens(db, me.id), canWrite: hasRole(me, 'editor'), role: me.role };
}) satisfies PageServerLoad;

export const actions = {
	create: async (event) => {
		const me = requireRole(event, 'viewer');
		const form = await event.request.formData();
		const values = { name: formText(form, 'name'), scope: formText(form, 'scope'), expiresInDays: formText(form, 'expiresInDays') };
		if (values.scope === 'write' && !hasRole(me, 'editor')) {
			return fail(403, { action: 'create' as const, values, errors: { scope: 'viewers may create read tokens only' } as Record<string, string> });
		}
		try {
			const { token, expiresAt } = await users.createToken(db, me.id, values);
			return { action: 'create' as const, created: { token, name: values.name.trim(), scope: values.scope, expiresAt } };
		} catch (e) {
			if (!(e instanceof ValidationError)) throw e;
			return fail(400, { action: 'create' as const, values, errors: fieldErrors(e.problems) });
		}
	},

	revoke: async (event) => {
		const me = requireRole(event, 'viewer');
		const id = formId(await event.request.formData());
		// Only one's own tokens: another user's id is "not found" here.
		if (id === null || !(await users.revokeToken(db, id, me.id))) {
			return fail(404, { action: 'revoke' as const, ok: false, message: 'No active token of yours has that id.' });
		}
		return { action: 'revoke' as const, ok: true, message: 'Token revoked: it no longer works.' };
	}
} satisfies Actions;

import { fail, redirect } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { requireRole } from '$lib/server/auth/guard';
import * as users from '$lib/server/auth/users';
import { fieldErrors, formId, formText } from '$lib/server/auth/forms';
import { ValidationError } from '$lib/server/write';
import { ROLES, type Role } from '$lib/domain/types';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const LAST_ADMIN = 'There must always be an active admin: make another user an admin first.';
const NOT_FOUND = 'That user no longer exists.';

export const load = (async (event) => {
	const me = requireRole(event, 'admin');
	event.setHeaders({ 'cache-control': 'no-store' });
	return { users: await users.list(db), me: me.id, roles: ROLES };
}) satisfies PageServerLoad;

const isRole = (v: string): v is Role => (ROLES as readonly string[]).includes(v);

export const actions = {
	create: async (event) => {
		requireRole(event, 'admin');
		const form = await event.request.formData();
		const values = { email: formText(form, 'email'), name: formText(form, 'name'), role: formText(form, 'role') };
		try {
			const created = await users.createUser(db, { ...values, password: formText(form, 'password') });
			return { action: 'create' as const, created: { email: created.email, role: created.role } };
		} catch (e) {
			if (!(e instanceof ValidationError)) throw e;
			return fail(400, { action: 'create' as const, values, errors: fieldErrors(e.problems) });
		}
	},

	role: async (event) => {
		const me = requireRole(event, 'admin');
		const form = await event.request.formData();
		const id = formId(form);
		const role = formText(form, 'role');
		if (id === null) return fail(400, { action: 'role' as const, id, ok: false, message: NOT_FOUND });
		if (!isRole(role)) return fail(400, { action: 'role' as const, id, ok: false, message: `The role must be one of ${ROLES.join(', ')}.` });
		const r = await users.changeRole(db, id, role);
		if (!r.ok) return fail(r.reason === 'last-admin' ? 409 : 404, { action: 'role' as const, id, ok: false, message: r.reason === 'last-admin' ? LAST_ADMIN : NOT_FOUND });
		// Demoted themselves: this page is no longer theirs.
		if (id === me.id && role !== 'admin') redirect(303, '/');
		return { action: 'role' as const, id, ok: true, message: `Role changed to ${role}.` };
	},

	disable: (event) => setDisabled(event, true),
	enable: (event) => setDisabled(event, false)
} satisfies Actions;

async function setDisabled(event: RequestEvent, disabled: boolean) {
	const me = requireRole(event, 'admin');
	const form = await event.request.formData();
	const id = formId(form);
	const action = disabled ? ('disable' as const) : ('enable' as const);
	if (id === null) return fail(400, { action, id, ok: false, message: NOT_FOUND });
	const r = await users.changeDisabled(db, id, disabled);
	if (!r.ok) return fail(r.reason === 'last-admin' ? 409 : 404, { action, id, ok: false, message: r.reason === 'last-admin' ? LAST_ADMIN : NOT_FOUND });
	// Disabled themselves: their session has just ended.
	if (id === me.id && disabled) redirect(303, '/login');
	return { action, id, ok: true, message: disabled ? 'Disabled; their sessions have ended.' : 'Enabled again.' };
}

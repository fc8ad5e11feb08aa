import type { LayoutServerLoad } from './$types';

export const load = (async ({ locals }) => ({
	user: locals.user ? { email: locals.user.email, name: locals.user.name, role: locals.user.role } : null
})) satisfies LayoutServerLoad;

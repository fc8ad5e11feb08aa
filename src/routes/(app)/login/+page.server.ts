import { fail, redirect } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { attemptLogin } from '$lib/server/auth/login';
import { createSession, SESSION_COOKIE } from '$lib/server/auth/sessions';
import type { Actions, PageServerLoad } from './$types';

/**
 * Only paths on this site: an open redirect would send people elsewhere after logging in. Resolved
 * as a browser would, so `/\evil.example` (which browsers read as `//evil.example`) is caught too.
 */
function safeNext(next: string | null, here: URL): string {
	if (!next || !next.startsWith('/')) return '/';
	try {
		const target = new URL(next, here.origin);
		return target.origin === here.origin ? target.pathname + target.search + target.hash : '/';
	} catch {
		return '/';
	}
}

export const load = (async ({ locals, url }) => {
	if (locals.user) redirect(303, safeNext(url.searchParams.get('next'), url));
	return {};
}) satisfies PageServerLoad;

export const actions = {
	default: async ({ request, cookies, url, getClientAddress }) => {
		const form = await request.formData();
		const email = String(form.get('email') ?? '');
		const password = String(form.get('password') ?? '');
		if (!email || !password) return fail(400, { email, message: 'Enter your email and password.' });
		const result = await attemptLogin(db, { email, password, address: getClientAddress() });
		if (!result.ok) {
			if (result.retryAfterMs > 0) {
				const minutes = Math.ceil(result.retryAfterMs / 60_000);
				return fail(429, { email, message: `Too many failed attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.` });
			}
			return fail(400, { email, message: 'That email and password do not match an active account.' });
		}
		const { token, expiresAt } = await createSession(db, result.userId);
		cookies.set(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:', expires: expiresAt });
		redirect(303, safeNext(url.searchParams.get('next'), url));
	}
} satisfies Actions;

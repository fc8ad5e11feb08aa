import { building, dev, version } from '$app/environment';
import { env } from '$env/dynamic/private';
import { error, redirect, type Handle, type ServerInit } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { migrateDb } from '$lib/server/db/migrate';
import { hasRole } from '$lib/server/auth/guard';
import { SESSION_COOKIE, validateSession } from '$lib/server/auth/sessions';
import { validateToken } from '$lib/server/auth/users';
import { jsonError } from '$lib/server/http';
import { seedIfEmpty } from '$lib/server/seed';
import { finishResponse, pageEtag, pageNotModified } from '$lib/server/read/pages';

export const init: ServerInit = async () => {
	if (building) return;
	await migrateDb(db);
	if (env.SEED_DEMO !== 'false') {
		const seeded = await seedIfEmpty(db);
		if (seeded) console.log(`Seeded the demo dataset: ${seeded.actors} actors, ${seeded.issues} issues, ${seeded.events} events`);
	}
};

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Who is asking: an API token (Authorization: Bearer), else the session cookie. */
async function authenticate(event: Parameters<Handle>[0]['event']): Promise<Response | null> {
	event.locals.user = null;
	event.locals.session = null;
	event.locals.token = null;
	const auth = event.request.headers.get('authorization');
	if (auth) {
		const m = /^Bearer\s+(\S+)$/i.exec(auth);
		const found = m ? await validateToken(db, m[1]!) : null;
		if (!found) return jsonError(401, 'the API token is unknown, expired or revoked');
		event.locals.user = found.user;
		event.locals.token = { id: found.tokenId, scope: found.scope };
		return null;
	}
	const token = event.cookies.get(SESSION_COOKIE);
	if (!token) return null;
	const s = await validateSession(db, token);
	if (!s) {
		event.cookies.delete(SESSION_COOKIE, { path: '/' });
		return null;
	}
	event.locals.user = s.user;
	event.locals.session = { id: s.id };
	if (s.extended) {
		event.cookies.set(SESSION_COOKIE, token, {
			path: '/',
			httpOnly: true,
			sameSite: 'lax',
			secure: event.url.protocol === 'https:',
			expires: s.expiresAt
		});
	}
	return null;
}

export const handle: Handle = async ({ event, resolve }) => {
	const refused = await authenticate(event);
	if (refused) return refused;
	const { pathname } = event.url;
	const isApi = pathname.startsWith('/api/');
	const user = event.locals.user;

	// Coarse role checks here; every action and endpoint checks again (a layout check does not guard them).
	if (isApi && WRITE_METHODS.has(event.request.method) && !user) {
		return jsonError(401, 'sign in or send an API token as Authorization: Bearer <token>');
	}
	if (!isApi && (pathname.startsWith('/edit') || pathname.startsWith('/admin') || pathname.startsWith('/account'))) {
		if (!user) redirect(303, `/login?next=${encodeURIComponent(pathname + event.url.search)}`);
		const need = pathname.startsWith('/admin') ? 'admin' : pathname.startsWith('/edit') ? 'editor' : 'viewer';
		if (!hasRole(user, need)) error(403, `This needs the ${need} role`);
	}
	// Actions on public pages (restoring from an event's page) are editors' too.
	if (!isApi && pathname.startsWith('/events/') && event.request.method === 'POST' && !hasRole(user, 'editor')) {
		if (!user) redirect(303, `/login?next=${encodeURIComponent(pathname)}`);
		error(403, 'This needs the editor role');
	}
	// A setting can make the whole site require login.
	if (env.REQUIRE_LOGIN === 'true' && !user && pathname !== '/login' && !pathname.startsWith('/_app/')) {
		if (isApi || pathname.startsWith('/export/')) return jsonError(401, 'sign in first');
		redirect(303, `/login?next=${encodeURIComponent(pathname + event.url.search)}`);
	}

	const etag = await pageEtag(event, version);
	const unchanged = pageNotModified(event, etag);
	if (unchanged) return unchanged;
	const response = await resolve(event);
	response.headers.set('X-Content-Type-Options', 'nosniff');
	response.headers.set('Referrer-Policy', 'strict-origin-when-cross-origin');
	response.headers.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
	if (pathname === '/embed' || pathname.startsWith('/export/')) {
		// Embeds and images are meant to be shown inside other sites.
		const csp = response.headers.get('content-security-policy');
		if (csp) response.headers.set('content-security-policy', csp.replace("frame-ancestors 'none'", 'frame-ancestors *'));
	} else {
		response.headers.set('X-Frame-Options', 'DENY');
	}
	if (!dev && event.url.protocol === 'https:') response.headers.set('Strict-Transport-Security', 'max-age=31536000');
	return finishResponse(event, response, etag);
};

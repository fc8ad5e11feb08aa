import type { Cookies } from '@sveltejs/kit';
import type { Db } from '../db/client';
import { jsonError } from '../http';
import { SESSION_COOKIE, validateSession } from './sessions';
import { validateToken } from './users';

/** What hooks.server.ts needs of a request to say who sends it. */
export interface AuthEvent {
	request: Request;
	url: URL;
	cookies: Cookies;
	locals: App.Locals;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export const isWriteMethod = (method: string): boolean => WRITE_METHODS.has(method.toUpperCase());

export const isApiPath = (pathname: string): boolean => pathname === '/api' || pathname.startsWith('/api/');

/**
 * Where `Authorization: Bearer` counts: the JSON API and the exports. Everywhere else (pages, form
 * actions, /edit, /account, /admin, /events/*) the header is ignored and only the session cookie
 * counts, so a token, whatever its scope, never works a form: a read token used to mint write
 * tokens at /account/tokens and promote users at /admin/users.
 */
export function acceptsBearer(pathname: string): boolean {
	return isApiPath(pathname) || pathname.startsWith('/export/');
}

/**
 * Sets `locals.user`, `locals.session` and `locals.token`: from an API token where the path accepts
 * one (see `acceptsBearer`), else from the session cookie. Returns a 401 for a bad token.
 */
export async function authenticate(db: Db, event: AuthEvent): Promise<Response | null> {
	event.locals.user = null;
	event.locals.session = null;
	event.locals.token = null;
	const auth = event.request.headers.get('authorization');
	if (auth && acceptsBearer(event.url.pathname)) {
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

const isJsonType = (type: string | null): boolean => !!type && /^application\/json\s*(;|$)/i.test(type);

/**
 * Refuses a state-changing API request (POST, PUT, PATCH, DELETE under /api) that another site
 * could have made a browser send. SameSite=Lax cookies alone leave body-less "simple" requests
 * (`POST …/restore`, a form-less POST) open, so, cookie or token, body or not, the request must:
 * - come from this site: an `Origin` equal to ours, else `Sec-Fetch-Site: same-origin`; a foreign
 *   or `null` Origin, or a cross-site/same-site fetch, is refused even with a JSON body;
 * - or, from a client that sends neither (curl, scripts), carry what a cross-site page cannot send
 *   without a CORS preflight we never grant: `Content-Type: application/json`, an `Authorization`
 *   header, or `X-Requested-With`.
 * @returns a 403 to send, or null to go on.
 */
export function crossSiteRefusal(request: Request, url: URL): Response | null {
	if (!isWriteMethod(request.method) || !isApiPath(url.pathname)) return null;
	const h = request.headers;
	const origin = h.get('origin');
	if (origin !== null) {
		return origin === url.origin ? null : jsonError(403, `cross-site request refused: Origin ${origin} is not ${url.origin}`);
	}
	const site = h.get('sec-fetch-site');
	if (site !== null) {
		return site === 'same-origin' ? null : jsonError(403, `cross-site request refused: Sec-Fetch-Site is ${site}`);
	}
	if (isJsonType(h.get('content-type')) || h.has('authorization') || h.has('x-requested-with')) return null;
	return jsonError(
		403,
		'cross-site request refused: send Content-Type: application/json, an Authorization header or X-Requested-With with writes to the API'
	);
}

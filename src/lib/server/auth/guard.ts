import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import type { Role } from '../../domain/types';
import { jsonError } from '../http';
import { crossSiteRefusal } from './request';
import type { Author } from '../write/errors';

const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2 };

export function hasRole(user: { role: Role } | null | undefined, role: Role): boolean {
	return !!user && RANK[user.role] >= RANK[role];
}

/**
 * For pages and form actions: the signed-in user if they have the role; else to the login page
 * (anonymous) or a 403. Call it at the top of every load and action that needs it. Pages take the
 * session cookie only: a user who came with an API token is refused whatever the token's scope
 * (hooks.server.ts does not accept tokens here; this holds even if a route slips past it).
 */
export function requireRole(event: Pick<RequestEvent, 'locals' | 'url'>, role: Role): NonNullable<App.Locals['user']> {
	const { user, token } = event.locals;
	if (token) error(403, 'API tokens work only for /api and /export; sign in to use this page');
	if (!user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
	if (!hasRole(user, role)) error(403, `This needs the ${role} role`);
	return user;
}

/** The author of a form write: the signed-in editor. */
export function formAuthor(event: Pick<RequestEvent, 'locals' | 'url'>): Author {
	const user = requireRole(event, 'editor');
	return { userId: user.id, via: 'form' };
}

/**
 * For JSON write endpoints: credentials (401), then from this site or from a client no browser
 * page can impersonate (403, see `crossSiteRefusal`; hooks.server.ts checks it too), JSON bodies
 * only (415), then the editor role and a write-scoped token (403).
 */
export function apiAuthor(event: Pick<RequestEvent, 'locals' | 'request' | 'url'>, { body = true } = {}): Author | Response {
	const { user, token } = event.locals;
	if (!user) return jsonError(401, 'sign in or send an API token as Authorization: Bearer <token>');
	const crossSite = crossSiteRefusal(event.request, event.url);
	if (crossSite) return crossSite;
	const type = event.request.headers.get('content-type') ?? '';
	if (body && !/^application\/json\s*(;|$)/i.test(type)) {
		return jsonError(415, 'send the body as application/json');
	}
	if (token && token.scope !== 'write') return jsonError(403, 'this token is read-only');
	if (!hasRole(user, 'editor')) return jsonError(403, 'this needs the editor role');
	return { userId: user.id, tokenId: token?.id ?? null, via: 'api' };
}

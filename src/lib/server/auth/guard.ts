import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import type { Role } from '../../domain/types';
import { jsonError } from '../http';
import type { Author } from '../write/errors';

const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2 };

export function hasRole(user: { role: Role } | null | undefined, role: Role): boolean {
	return !!user && RANK[user.role] >= RANK[role];
}

/**
 * For pages and form actions: the signed-in user if they have the role; else to the login page
 * (anonymous) or a 403. Call it at the top of every load and action that needs it.
 */
export function requireRole(event: Pick<RequestEvent, 'locals' | 'url'>, role: Role): NonNullable<App.Locals['user']> {
	const { user } = event.locals;
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
 * For JSON write endpoints: JSON bodies only (415, which also keeps cross-site forms out), then
 * credentials (401), then the editor role and a write-scoped token (403).
 */
export function apiAuthor(event: Pick<RequestEvent, 'locals' | 'request'>, { body = true } = {}): Author | Response {
	const type = event.request.headers.get('content-type') ?? '';
	if (body && !/^application\/json\s*(;|$)/i.test(type)) {
		return jsonError(415, 'send the body as application/json');
	}
	const { user, token } = event.locals;
	if (!user) return jsonError(401, 'sign in or send an API token as Authorization: Bearer <token>');
	if (token && token.scope !== 'write') return jsonError(403, 'this token is read-only');
	if (!hasRole(user, 'editor')) return jsonError(403, 'this needs the editor role');
	return { userId: user.id, tokenId: token?.id ?? null, via: 'api' };
}

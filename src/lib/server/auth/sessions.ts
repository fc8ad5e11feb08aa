import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { session, user } from '../db/schema';
import type { Role } from '../../domain/types';
import { hashToken, randomToken } from './tokens';

const DAY = 86_400_000;
/** A session ends after this long unused… */
export const IDLE_MS = 7 * DAY;
/** …and after this long in any case. */
export const ABSOLUTE_MS = 30 * DAY;

export interface SessionUser {
	id: number;
	email: string;
	name: string;
	role: Role;
}

export interface ValidSession {
	id: string;
	expiresAt: Date;
	user: SessionUser;
	/** The idle expiry moved: send the cookie again. */
	extended: boolean;
}

/** Starts a session; the returned token goes in the cookie, only its hash in the database. */
export async function createSession(db: Db, userId: number, now = Date.now()): Promise<{ token: string; expiresAt: Date }> {
	const token = randomToken();
	const expiresAt = new Date(now + IDLE_MS);
	await db.insert(session).values({
		id: hashToken(token),
		userId,
		createdAt: new Date(now).toISOString(),
		expiresAt: expiresAt.toISOString(),
		absoluteExpiresAt: new Date(now + ABSOLUTE_MS).toISOString()
	});
	return { token, expiresAt };
}

/**
 * The session of a cookie's token, or null when unknown, expired (idle or absolute) or its user
 * is disabled. Sliding expiry: a session used in the second half of its idle time is extended.
 */
export async function validateSession(db: Db, token: string, now = Date.now()): Promise<ValidSession | null> {
	const id = hashToken(token);
	const [row] = await db
		.select({ session, user: { id: user.id, email: user.email, name: user.name, role: user.role, disabledAt: user.disabledAt } })
		.from(session)
		.innerJoin(user, eq(session.userId, user.id))
		.where(eq(session.id, id));
	if (!row) return null;
	const expires = Date.parse(row.session.expiresAt);
	const absolute = Date.parse(row.session.absoluteExpiresAt);
	if (now >= expires || now >= absolute || row.user.disabledAt !== null) {
		await db.delete(session).where(eq(session.id, id));
		return null;
	}
	let expiresAt = new Date(expires);
	let extended = false;
	if (expires - now < IDLE_MS / 2) {
		expiresAt = new Date(Math.min(now + IDLE_MS, absolute));
		await db.update(session).set({ expiresAt: expiresAt.toISOString() }).where(eq(session.id, id));
		extended = true;
	}
	const { disabledAt: _d, ...u } = row.user;
	return { id, expiresAt, user: u, extended };
}

export async function invalidateSession(db: Db, sessionId: string): Promise<void> {
	await db.delete(session).where(eq(session.id, sessionId));
}

/** Ends every session of a user (on disabling them, or a password change). */
export async function invalidateUserSessions(db: Db, userId: number): Promise<void> {
	await db.delete(session).where(eq(session.userId, userId));
}

export const SESSION_COOKIE = 'session';

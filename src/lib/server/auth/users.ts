import { and, asc, desc, eq, isNotNull, isNull, ne, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client';
import { apiToken, session, user } from '../db/schema';
import { ROLES, TOKEN_SCOPES, type Role, type TokenScope } from '../../domain/types';
import { hashPassword, passwordProblem, verifyPassword } from './password';
import { invalidateUserSessions } from './sessions';
import { hashToken, randomToken } from './tokens';
import { ValidationError } from '../write/errors';
import { toProblems } from '../../schemas/dataset';

export const newUserSchema = z.object({
	email: z
		.string()
		.trim()
		.toLowerCase()
		.max(254, 'must be at most 254 characters')
		.pipe(z.email({ message: 'must be an email address' })),
	name: z.string().trim().max(200).default(''),
	role: z.enum(ROLES),
	password: z.string().superRefine((p, ctx) => {
		const problem = passwordProblem(p);
		if (problem) ctx.addIssue({ code: 'custom', message: problem });
	})
});

export interface UserSummary {
	id: number;
	email: string;
	name: string;
	role: Role;
	disabled: boolean;
	createdAt: string;
}

/** Adds a user. @throws ValidationError naming the field (email taken, weak password, …). */
export async function createUser(db: Db, input: unknown): Promise<UserSummary> {
	const r = newUserSchema.safeParse(input);
	if (!r.success) throw new ValidationError(toProblems(r.error));
	const { email, name, role, password } = r.data;
	const [existing] = await db.select({ id: user.id }).from(user).where(eq(user.email, email));
	if (existing) throw new ValidationError([{ path: 'email', message: 'already has an account' }]);
	const [row] = await db.insert(user).values({ email, name, role, passwordHash: await hashPassword(password) }).returning();
	return summary(row!);
}

function summary(u: typeof user.$inferSelect): UserSummary {
	return { id: u.id, email: u.email, name: u.name, role: u.role, disabled: u.disabledAt !== null, createdAt: u.createdAt };
}

/** The user with this email (any case) with their password hash, for logging in. */
export async function forLogin(db: Db, email: string) {
	const [row] = await db.select().from(user).where(eq(user.email, email.trim().toLowerCase()));
	return row ?? null;
}

export async function list(db: Db): Promise<UserSummary[]> {
	return (await db.select().from(user).orderBy(asc(user.email))).map(summary);
}

export async function byId(db: Db, id: number): Promise<UserSummary | null> {
	const [row] = await db.select().from(user).where(eq(user.id, id));
	return row ? summary(row) : null;
}

/**
 * Changes a user's own password after checking the current one, and ends their other sessions.
 * @throws ValidationError naming the field (wrong current password, weak or mismatched new one).
 */
export async function changePassword(
	db: Db,
	userId: number,
	{ current, next, repeat }: { current: string; next: string; repeat: string },
	keepSessionId: string | null
): Promise<void> {
	const [row] = await db.select({ hash: user.passwordHash }).from(user).where(eq(user.id, userId));
	if (!row || !(await verifyPassword(row.hash, current))) {
		throw new ValidationError([{ path: 'current', message: 'is not your current password' }]);
	}
	const weak = passwordProblem(next);
	if (weak) throw new ValidationError([{ path: 'next', message: weak }]);
	if (next !== repeat) throw new ValidationError([{ path: 'repeat', message: 'does not match the new password' }]);
	await db.update(user).set({ passwordHash: await hashPassword(next), updatedAt: new Date().toISOString() }).where(eq(user.id, userId));
	await db.delete(session).where(keepSessionId === null ? eq(session.userId, userId) : and(eq(session.userId, userId), ne(session.id, keepSessionId)));
}

export async function setRole(db: Db, id: number, role: Role): Promise<void> {
	await db.update(user).set({ role, updatedAt: new Date().toISOString() }).where(eq(user.id, id));
}

/** Disables a user and ends every session of theirs at once; enabling lets them log in again. */
export async function setDisabled(db: Db, id: number, disabled: boolean): Promise<void> {
	await db
		.update(user)
		.set({ disabledAt: disabled ? new Date().toISOString() : null, updatedAt: new Date().toISOString() })
		.where(eq(user.id, id));
	if (disabled) await invalidateUserSessions(db, id);
}

export type AdminChangeResult = { ok: true } | { ok: false; reason: 'not-found' | 'last-admin' };

// True while some OTHER enabled admin than `id` exists. Inside the UPDATE's WHERE, so the check and
// the change are one statement: two admins demoting each other at once cannot both succeed.
const anotherActiveAdmin = (id: number) =>
	sql`exists (select 1 from ${user} as other where other.role = 'admin' and other.disabled_at is null and other.id <> ${id})`;

/** Whether this change would take away an active admin: then it needs another active admin. */
const keepsAnAdmin = (id: number) => or(ne(user.role, 'admin'), isNotNull(user.disabledAt), anotherActiveAdmin(id));

async function outcome(db: Db, id: number, changed: unknown[]): Promise<AdminChangeResult> {
	if (changed.length) return { ok: true };
	return { ok: false, reason: (await byId(db, id)) ? 'last-admin' : 'not-found' };
}

/** Changes a user's role, refusing to demote the last active admin. Takes effect on their next request. */
export async function changeRole(db: Db, id: number, role: Role): Promise<AdminChangeResult> {
	const changed = await db
		.update(user)
		.set({ role, updatedAt: new Date().toISOString() })
		.where(and(eq(user.id, id), role === 'admin' ? undefined : keepsAnAdmin(id)))
		.returning({ id: user.id });
	return outcome(db, id, changed);
}

/**
 * Disables a user (ending all their sessions at once; their tokens stop working too) or enables
 * them again. Refuses to disable the last active admin.
 */
export async function changeDisabled(db: Db, id: number, disabled: boolean): Promise<AdminChangeResult> {
	const now = new Date().toISOString();
	const changed = await db
		.update(user)
		.set({ disabledAt: disabled ? sql`coalesce(${user.disabledAt}, ${now})` : null, updatedAt: now })
		.where(and(eq(user.id, id), disabled ? keepsAnAdmin(id) : undefined))
		.returning({ id: user.id });
	if (disabled && changed.length) await invalidateUserSessions(db, id);
	return outcome(db, id, changed);
}

// ---------------------------------------------------------------------------------------------
// API tokens

export const newTokenSchema = z.object({
	name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
	scope: z.enum(TOKEN_SCOPES),
	expiresInDays: z.coerce.number().int('must be a whole number of days').min(1, 'must be at least 1 day').max(365, 'must be at most 365 days')
});

export interface TokenSummary {
	id: number;
	userId: number;
	email: string;
	name: string;
	scope: TokenScope;
	createdAt: string;
	expiresAt: string;
	revoked: boolean;
	lastUsedAt: string | null;
	status: 'active' | 'expired' | 'revoked';
}

/** Creates a token; the secret is returned once and only its hash is kept. */
export async function createToken(
	db: Db,
	userId: number,
	input: unknown,
	now = Date.now()
): Promise<{ token: string; id: number; expiresAt: string }> {
	const r = newTokenSchema.safeParse(input);
	if (!r.success) throw new ValidationError(toProblems(r.error));
	const token = `st_${randomToken()}`;
	const expiresAt = new Date(now + r.data.expiresInDays * 86_400_000).toISOString();
	const [row] = await db
		.insert(apiToken)
		.values({
			userId,
			name: r.data.name,
			scope: r.data.scope,
			tokenHash: hashToken(token),
			createdAt: new Date(now).toISOString(),
			expiresAt
		})
		.returning({ id: apiToken.id });
	return { token, id: row!.id, expiresAt };
}

/** Tokens, newest first: a user's, or everyone's. */
export async function tokens(db: Db, userId?: number, now = Date.now()): Promise<TokenSummary[]> {
	const rows = await db
		.select({
			id: apiToken.id,
			userId: apiToken.userId,
			email: user.email,
			name: apiToken.name,
			scope: apiToken.scope,
			createdAt: apiToken.createdAt,
			expiresAt: apiToken.expiresAt,
			revokedAt: apiToken.revokedAt,
			lastUsedAt: apiToken.lastUsedAt
		})
		.from(apiToken)
		.innerJoin(user, eq(apiToken.userId, user.id))
		.where(userId === undefined ? undefined : eq(apiToken.userId, userId))
		.orderBy(desc(apiToken.id));
	return rows.map(({ revokedAt, ...t }) => ({
		...t,
		revoked: revokedAt !== null,
		status: revokedAt !== null ? 'revoked' : Date.parse(t.expiresAt) <= now ? 'expired' : 'active'
	}));
}

/** Revokes a token; with `ownerId`, only if it belongs to that user. @returns whether one was revoked. */
export async function revokeToken(db: Db, id: number, ownerId?: number): Promise<boolean> {
	const r = await db
		.update(apiToken)
		.set({ revokedAt: new Date().toISOString() })
		.where(and(eq(apiToken.id, id), isNull(apiToken.revokedAt), ownerId === undefined ? undefined : eq(apiToken.userId, ownerId)))
		.returning({ id: apiToken.id });
	return r.length > 0;
}

/** Revokes every active token of a user (on a password change, when asked). @returns how many. */
export async function revokeUserTokens(db: Db, userId: number): Promise<number> {
	const r = await db
		.update(apiToken)
		.set({ revokedAt: new Date().toISOString() })
		.where(and(eq(apiToken.userId, userId), isNull(apiToken.revokedAt)))
		.returning({ id: apiToken.id });
	return r.length;
}

/** When each token's use was last written, per database: `last_used_at` is kept to the minute. */
const lastUseWritten = new WeakMap<object, Map<number, number>>();
const USE_GRANULARITY_MS = 60_000;

/**
 * Records that a token was used, at most once a minute per token and off the request path: a
 * read with a token needs no write, so it answers while another process holds the database. A
 * write that fails (the database busy) is simply tried again at the next use.
 */
function noteTokenUse(db: Db, tokenId: number, now: number): void {
	let written = lastUseWritten.get(db.$client);
	if (!written) lastUseWritten.set(db.$client, (written = new Map()));
	if (now - (written.get(tokenId) ?? -Infinity) < USE_GRANULARITY_MS) return;
	written.set(tokenId, now);
	db.update(apiToken)
		.set({ lastUsedAt: new Date(now).toISOString() })
		.where(eq(apiToken.id, tokenId))
		.then(
			() => undefined,
			() => written.delete(tokenId)
		);
}

/** The user and token of a bearer secret, or null when unknown, revoked, expired or its user disabled. */
export async function validateToken(db: Db, token: string, now = Date.now()) {
	const [row] = await db
		.select({
			tokenId: apiToken.id,
			scope: apiToken.scope,
			expiresAt: apiToken.expiresAt,
			revokedAt: apiToken.revokedAt,
			user: { id: user.id, email: user.email, name: user.name, role: user.role, disabledAt: user.disabledAt }
		})
		.from(apiToken)
		.innerJoin(user, eq(apiToken.userId, user.id))
		.where(eq(apiToken.tokenHash, hashToken(token)));
	if (!row || row.revokedAt !== null || Date.parse(row.expiresAt) <= now || row.user.disabledAt !== null) return null;
	noteTokenUse(db, row.tokenId, now);
	const { disabledAt: _d, ...u } = row.user;
	return { tokenId: row.tokenId, scope: row.scope, user: u };
}

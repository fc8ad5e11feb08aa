import { hash, verify } from '@node-rs/argon2';

/** argon2id with the library's defaults (m=19456 KiB, t=2, p=1): about 15 ms a hash here. */
export function hashPassword(password: string): Promise<string> {
	return hash(password);
}

// Verified when no account matches, so a wrong email costs as long as a wrong password.
let dummy: Promise<string> | null = null;

export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
	if (stored === null) {
		dummy ??= hash('not a password of anyone');
		await verify(await dummy, password).catch(() => false);
		return false;
	}
	return verify(stored, password).catch(() => false);
}

export const PASSWORD_RULES = { min: 10, max: 200 } as const;

/** What is wrong with a new password, or null. */
export function passwordProblem(password: string): string | null {
	if (password.length < PASSWORD_RULES.min) return `must be at least ${PASSWORD_RULES.min} characters`;
	if (password.length > PASSWORD_RULES.max) return `must be at most ${PASSWORD_RULES.max} characters`;
	return null;
}

/**
 * A login for an unknown email must cost what a wrong password costs: both verify an argon2 hash.
 * Counted rather than timed (timings flake under load): the real @node-rs/argon2 runs, wrapped
 * so each call to `verify` is recorded with its arguments.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import * as argon2 from '@node-rs/argon2';
import { attemptLogin } from '../../../src/lib/server/auth/login';
import * as users from '../../../src/lib/server/auth/users';
import { openTestDb, type TestDb } from './testDb';

vi.mock('@node-rs/argon2', async (importOriginal) => {
	const real = await importOriginal<typeof import('@node-rs/argon2')>();
	return { ...real, verify: vi.fn(real.verify) };
});

const verify = vi.mocked(argon2.verify);
const PASSWORD = 'correct horse battery';
let t: TestDb;
let address = 0;
const login = (email: string, password: string) => attemptLogin(t.db, { email, password, address: `10.9.0.${++address}` });

beforeAll(async () => {
	t = await openTestDb();
	await users.createUser(t.db, { email: 'known@example.org', name: 'Known', role: 'editor', password: PASSWORD });
	await users.createUser(t.db, { email: 'off@example.org', name: 'Off', role: 'editor', password: PASSWORD });
	const off = await users.forLogin(t.db, 'off@example.org');
	await users.changeDisabled(t.db, off!.id, true);
});
afterAll(() => t?.close());
// (Braces: a function returned from beforeEach would be run as its teardown.)
beforeEach(() => {
	verify.mockClear();
});

describe('attemptLogin verifies a password hash whatever the email', () => {
	it('an unknown email verifies the password against an argon2id hash, once', async () => {
		expect(await login('nobody@example.org', 'a guessed password')).toEqual({ ok: false, retryAfterMs: 0 });
		expect(verify).toHaveBeenCalledTimes(1);
		const [hash, password] = verify.mock.calls[0]!;
		expect(hash).toMatch(/^\$argon2id\$/);
		expect(password).toBe('a guessed password');
		// The real argon2 ran to the end: it answered false, it did not throw.
		await expect(verify.mock.results[0]!.value).resolves.toBe(false);
	});

	it('a wrong password for a known email verifies the stored hash, once', async () => {
		expect(await login('known@example.org', 'a guessed password')).toEqual({ ok: false, retryAfterMs: 0 });
		expect(verify).toHaveBeenCalledTimes(1);
		const [hash, password] = verify.mock.calls[0]!;
		expect(hash).toMatch(/^\$argon2id\$/);
		expect(password).toBe('a guessed password');
		await expect(verify.mock.results[0]!.value).resolves.toBe(false);
	});

	it('a disabled account verifies its hash too, and the right password is still refused', async () => {
		expect(await login('off@example.org', PASSWORD)).toEqual({ ok: false, retryAfterMs: 0 });
		expect(verify).toHaveBeenCalledTimes(1);
		await expect(verify.mock.results[0]!.value).resolves.toBe(true);
	});

	it('the right password verifies once and lets the user in', async () => {
		expect((await login('known@example.org', PASSWORD)).ok).toBe(true);
		expect(verify).toHaveBeenCalledTimes(1);
	});
});

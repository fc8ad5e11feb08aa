import { expect, test } from './fixtures';
import { logIn, open, RUN } from './accounts';
import { hydrated } from './helpers';

const email = `pw-${RUN}@example.org`;

test.beforeAll(({ server }) => server.addUser(email, 'viewer', 'first-password-1'));

test('a user changes their own password; the old one stops working', async ({ page }) => {
	await logIn(page, email, 'first-password-1');
	await page.getByRole('banner').getByRole('link', { name: 'Password' }).click();
	await hydrated(page);
	// A wrong current password is named beside its field, and nothing changes.
	await page.getByLabel('Current password').fill('not-my-password');
	await page.getByLabel('New password (10 characters or more)').fill('second-password-2');
	await page.getByLabel('New password again').fill('second-password-2');
	await page.getByRole('button', { name: 'Change password' }).click();
	await expect(page.getByText('Current password: is not your current password')).toBeVisible();
	await page.getByLabel('Current password').fill('first-password-1');
	await page.getByLabel('New password (10 characters or more)').fill('second-password-2');
	await page.getByLabel('New password again').fill('second-password-2');
	await page.getByRole('button', { name: 'Change password' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Password changed.' })).toBeVisible();
	// Still signed in here; out and back in with the new password only.
	await page.getByRole('button', { name: 'Log out' }).click();
	await open(page, '/login');
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill('first-password-1');
	await page.getByRole('button', { name: 'Log in' }).click();
	await expect(page.getByRole('alert')).toContainText('do not match');
	await logIn(page, email, 'second-password-2');
});

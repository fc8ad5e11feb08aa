// Finds a Chromium for Playwright: its own browser where installed, else the system's.
import { chromium } from '@playwright/test';
import { existsSync } from 'node:fs';

export const CHROMIUM_FLAGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-dev-shm-usage',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync'
];

const SYSTEM_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** Path of a Chromium to drive, or null when there is none. */
export function findChromium() {
	if (process.env.CHROMIUM_PATH && existsSync(process.env.CHROMIUM_PATH)) return process.env.CHROMIUM_PATH;
	try {
		const own = chromium.executablePath();
		if (own && existsSync(own)) return own;
	} catch {
		// Playwright's own browser is not installed.
	}
	return SYSTEM_CHROMIUM.find((p) => existsSync(p)) ?? null;
}

export function browserLaunchOptions() {
	const executablePath = findChromium();
	if (!executablePath) throw new Error('No Chromium found: run `npm test` (it installs one) or set CHROMIUM_PATH.');
	return { executablePath, args: CHROMIUM_FLAGS };
}

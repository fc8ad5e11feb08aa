import { defineConfig, devices } from '@playwright/test';
import { browserLaunchOptions } from './tests/tools/browser.mjs';

// Each spec file runs against its own server and database (tests/e2e/fixtures.ts); the app is
// built once per run into tests/.tmp/build (tests/tools/e2e-setup.mjs). Servers listen on
// E2E_PORT+1 and up (default 4173+1): give parallel runs on one machine different E2E_PORTs.
export default defineConfig({
	testDir: 'tests/e2e',
	globalSetup: './tests/tools/e2e-setup.mjs',
	fullyParallel: false,
	workers: Number(process.env.E2E_WORKERS || 1),
	// A test that passes only on a second try is a failure: no retries, and flaky counts as failed.
	retries: 0,
	failOnFlakyTests: true,
	forbidOnly: !!process.env.CI,
	reporter: [['list']],
	timeout: 30_000,
	use: {
		trace: 'retain-on-failure',
		launchOptions: browserLaunchOptions()
	},
	projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], launchOptions: browserLaunchOptions() } }]
});

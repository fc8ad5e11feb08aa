import { defineConfig, devices } from '@playwright/test';
import { browserLaunchOptions } from './tests/tools/browser.mjs';

const PORT = Number(process.env.E2E_PORT ?? 4173);

export default defineConfig({
	testDir: 'tests/e2e',
	fullyParallel: false,
	workers: 1,
	retries: process.env.CI ? 1 : 0,
	reporter: process.env.CI ? [['list']] : [['list']],
	timeout: 30_000,
	use: {
		baseURL: `http://127.0.0.1:${PORT}`,
		trace: 'retain-on-failure',
		launchOptions: browserLaunchOptions()
	},
	projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], launchOptions: browserLaunchOptions() } }],
	webServer: {
		// Builds the app and serves it on a fresh database seeded with the demo dataset.
		command: 'node tests/tools/e2e-server.mjs',
		url: `http://127.0.0.1:${PORT}/api/issues`,
		env: { PORT: String(PORT), HOST: '127.0.0.1' },
		timeout: 120_000,
		reuseExistingServer: false,
		stdout: 'pipe'
	}
});

// Playwright's global setup: builds the app once for the whole run into its own folder, and
// clears the databases of the previous run. E2E_SKIP_BUILD=1 reuses the last build.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { E2E_BUILD_DIR, E2E_DATA_DIR } from './e2e-paths.mjs';

export default function globalSetup() {
	rmSync(E2E_DATA_DIR, { recursive: true, force: true });
	mkdirSync(E2E_DATA_DIR, { recursive: true });
	if (process.env.E2E_SKIP_BUILD === '1' && existsSync(join(E2E_BUILD_DIR, 'index.js'))) return;
	const r = spawnSync('npm', ['exec', '--no', '--', 'vite', 'build', '--logLevel', 'warn'], {
		stdio: 'inherit',
		env: { ...process.env, STANCE_BUILD_DIR: E2E_BUILD_DIR }
	});
	if (r.status !== 0) throw new Error(`the e2e build failed (vite build exited with ${r.status ?? r.signal})`);
}

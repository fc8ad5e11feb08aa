// `npm test`: the unit tests (no browser needed), then the end-to-end tests in real Chromium:
// Playwright's own where installed, else the system's, installing Debian's package when it can.
// Tools run through `npm exec --no --`, so a missing dependency fails here instead of npm
// fetching whatever package has that name.
import { execSync, spawnSync } from 'node:child_process';
import { findChromium } from './browser.mjs';

function ensureChromium() {
	if (findChromium()) return;
	const canApt = process.getuid?.() === 0 && spawnSync('which', ['apt-get']).status === 0;
	if (!canApt) {
		console.error('No Chromium found. Install one (Debian: apt-get install chromium) or set CHROMIUM_PATH.');
		process.exit(1);
	}
	console.log("Installing Debian's chromium for the browser tests…");
	execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core', {
		stdio: 'inherit'
	});
	if (!findChromium()) {
		console.error('Chromium did not install.');
		process.exit(1);
	}
}

/** Runs a tool of this project's node_modules; exits with its status when it fails. */
function tool(...args) {
	const r = spawnSync('npm', ['exec', '--no', '--', ...args], { stdio: 'inherit' });
	if (r.status !== 0) process.exit(r.status ?? 1);
}

tool('svelte-kit', 'sync');
tool('vitest', 'run');
ensureChromium();
tool('playwright', 'test');

// `npm test`: unit tests, then end-to-end tests in real Chromium. Finds a Chromium first:
// Playwright's own where installed, else the system's, installing Debian's package when it can.
import { execSync, spawnSync } from 'node:child_process';
import { findChromium } from './browser.mjs';

function ensureChromium() {
	if (findChromium()) return;
	const canApt = process.getuid?.() === 0 && spawnSync('which', ['apt-get']).status === 0;
	if (!canApt) {
		console.error('No Chromium found. Install one (Debian: apt-get install chromium) or set CHROMIUM_PATH.');
		process.exit(1);
	}
	console.log('Installing Debian\'s chromium for the browser tests…');
	execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core', {
		stdio: 'inherit'
	});
	if (!findChromium()) {
		console.error('Chromium did not install.');
		process.exit(1);
	}
}

function run(cmd, args) {
	const r = spawnSync(cmd, args, { stdio: 'inherit', shell: false });
	if (r.status !== 0) process.exit(r.status ?? 1);
}

ensureChromium();
run('npx', ['svelte-kit', 'sync']);
run('npx', ['vitest', 'run']);
run('npx', ['playwright', 'test']);

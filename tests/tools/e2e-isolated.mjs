// Runs every test of the given spec files on its own (one Playwright run per test, each on a
// fresh server and database), to show that no test needs an earlier one of its file.
// Usage: node tests/tools/e2e-isolated.mjs tests/e2e/x.spec.ts [...]   (slow: not part of npm test)
import { spawnSync } from 'node:child_process';
import { join, relative } from 'node:path';
import globalSetup from './e2e-setup.mjs';

const files = process.argv.slice(2);
if (!files.length) {
	console.error('Usage: node tests/tools/e2e-isolated.mjs tests/e2e/x.spec.ts [...]');
	process.exit(2);
}
const npx = (args, opts = {}) => spawnSync('npm', ['exec', '--no', '--', 'playwright', 'test', ...args], { encoding: 'utf8', ...opts });

const listed = npx(['--list', '--reporter=json', ...files]);
if (listed.status !== 0) {
	console.error(listed.stderr || listed.stdout);
	process.exit(1);
}
const report = JSON.parse(listed.stdout);
const rootDir = report.config.rootDir;
const tests = [];
(function walk(suites) {
	for (const s of suites ?? []) {
		for (const spec of s.specs ?? []) tests.push({ location: `${relative('.', join(rootDir, spec.file))}:${spec.line}`, title: spec.title });
		walk(s.suites);
	}
})(report.suites);

// Build once; every run below reuses it.
globalSetup();
const failed = [];
for (const t of tests) {
	const r = npx([t.location, '--reporter=line'], { env: { ...process.env, E2E_SKIP_BUILD: '1' } });
	console.log(`${r.status === 0 ? 'ok  ' : 'FAIL'} ${t.location} ${t.title}`);
	if (r.status !== 0) {
		failed.push(t);
		console.log(r.stdout.split('\n').slice(-40).join('\n'));
	}
}
console.log(`${tests.length - failed.length} of ${tests.length} tests pass on their own.`);
process.exit(failed.length ? 1 : 0);

// Where the end-to-end tests keep their build and their databases (all under tests/.tmp/).
import { resolve } from 'node:path';

/** The production build the e2e servers run: its own folder, never build/. */
export const E2E_BUILD_DIR = resolve('tests/.tmp/build');
/** First port of this run; servers use E2E_PORT+1 and up. */
export const E2E_PORT = Number(process.env.E2E_PORT || 4173);
/**
 * One database file (and server log) per spec file and server; a folder per E2E_PORT, so a second
 * run with another E2E_PORT (and E2E_SKIP_BUILD=1) does not clear the files of one in progress.
 */
export const E2E_DATA_DIR = resolve(`tests/.tmp/e2e-${E2E_PORT}`);

/**
 * The environment an e2e server or CLI starts from: enough to run Node, and nothing of the
 * caller's app settings (DATABASE_URL, REQUIRE_LOGIN, SEED_DEMO, NODE_OPTIONS...).
 */
export function cleanEnv() {
	const keep = ['PATH', 'HOME', 'TMPDIR', 'TZ', 'LANG', 'LC_ALL', 'SYSTEMROOT'];
	return Object.fromEntries(keep.filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]]));
}

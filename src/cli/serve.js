// `npm start`: the production server (adapter-node's build/, or STANCE_BUILD_DIR, the folder
// svelte.config.js builds into when set) with local defaults. Without ORIGIN,
// adapter-node assumes https; on a local machine the links in exports and previews need http.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

process.env.PORT ??= '3000';
process.env.ORIGIN ??= `http://localhost:${process.env.PORT}`;
// BODY_SIZE_LIMIT is deliberately not given a default here: like `node build`, this start leaves it
// to adapter-node (512K unless set), so both starts refuse the same bodies (README: Settings).
await import(pathToFileURL(resolve(process.env.STANCE_BUILD_DIR || 'build', 'index.js')).href);

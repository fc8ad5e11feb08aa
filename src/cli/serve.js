// `npm start`: the production server (adapter-node's build/) with local defaults. Without ORIGIN,
// adapter-node assumes https; on a local machine the links in exports and previews need http.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

process.env.PORT ??= '3000';
process.env.ORIGIN ??= `http://localhost:${process.env.PORT}`;
// Large enough for a long import; bigger text fields are refused field by field.
process.env.BODY_SIZE_LIMIT ??= '4M';
await import(pathToFileURL(resolve('build/index.js')).href);

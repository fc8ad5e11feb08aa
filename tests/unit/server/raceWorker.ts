/**
 * One of two processes racing on the same database file (see versionRace.test.ts). Opens the
 * file, says "ready", waits for "go" on stdin, then changes every record given at the version
 * given, as fast as it can, and prints what happened to each as JSON.
 * Args: <db file> <event|actor|issue> <label> <version> <ids or slugs...>
 */
import { createInterface } from 'node:readline';
import { createDb } from '../../../src/lib/server/db/client';
import { DatabaseBusyError } from '../../../src/lib/server/db/busy';
import { ConflictError, updateActor, updateEvent, updateIssue } from '../../../src/lib/server/write';

const [file, kind, label, version, ...keys] = process.argv.slice(2);
const db = createDb({ url: `file:${file}` });
const by = { userId: null, via: 'api' as const };

/** As a client honouring 503 + Retry-After would: the same request again, at the same version. */
async function patchUntilAnswered(key: string) {
	for (let tries = 0; ; tries++) {
		try {
			return await patch(key);
		} catch (e) {
			if (!(e instanceof DatabaseBusyError) || tries >= 50) throw e;
			await new Promise((r) => setTimeout(r, 20 + Math.random() * 80));
		}
	}
}

function patch(key: string) {
	const v = Number(version);
	if (kind === 'event') {
		return updateEvent(db, Number(key), { version: v, summary: `summary by ${label}`, sources: [{ outlet: `outlet by ${label}` }] }, by);
	}
	if (kind === 'actor') return updateActor(db, key, { version: v, name: `name by ${label}`, role: `role by ${label}` }, by);
	return updateIssue(db, key, { version: v, title: `title by ${label}`, description: `description by ${label}` }, by);
}

const lines = createInterface({ input: process.stdin });
console.log('ready');
for await (const line of lines) {
	if (line !== 'go') continue;
	const outcomes: Record<string, string> = {};
	// Each write on its own (not awaited in turn), as concurrent requests to one server would be.
	await Promise.all(
		keys.map(async (key) => {
			try {
				await patchUntilAnswered(key);
				outcomes[key] = 'won';
			} catch (e) {
				outcomes[key] = e instanceof ConflictError ? 'conflict' : `error: ${(e as Error).message}`;
			}
		})
	);
	console.log(JSON.stringify(outcomes));
	break;
}
db.$client.close();
process.exit(0);

/**
 * A second process on the same database file (see changesCache.test.ts): makes one write through
 * the write path and prints what it wrote as JSON.
 * Args: <db file> update <event id> <summary> <position> | create <actor> <issue> <date> <position>
 *   | refresh (derives every stale series' change records, as a server's background refresh does)
 */
import { createDb } from '../../../src/lib/server/db/client';
import { createEvent, updateEvent } from '../../../src/lib/server/write';
import { refreshInBackground } from '../../../src/lib/server/queries/changes';

const [file, op, ...args] = process.argv.slice(2);
const db = createDb({ url: `file:${file}` });
const by = { userId: null, via: 'api' as const };
if (op === 'update') {
	const [id, summary, position] = args;
	const version = (await db.$client.execute({ sql: 'select version from stance_event where id = ?', args: [Number(id)] })).rows[0]![0];
	console.log(JSON.stringify(await updateEvent(db, Number(id), { version: Number(version), summary, position: Number(position), reason: 'Corrected in the other process.' }, by)));
} else if (op === 'refresh') {
	await refreshInBackground(db);
	console.log('{}');
} else {
	const [actor, issue, date, position] = args;
	console.log(JSON.stringify(await createEvent(db, { actor, issue, date, position: Number(position), kind: 'statement', summary: 'Said in the other process.', sources: [{ outlet: 'Other process' }] }, by)));
}
db.$client.close();

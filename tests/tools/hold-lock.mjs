// Holds an exclusive lock on a SQLite file, as another process (a `sqlite3` shell, a CLI import)
// would: `node tests/tools/hold-lock.mjs FILE` prints "locked" once it holds the lock, and lets go
// (COMMIT) when its stdin gets a line or closes. Used by the lock tests.
import Database from 'libsql';
import { createInterface } from 'node:readline';

const db = new Database(process.argv[2], { timeout: 5000 });
db.exec('BEGIN EXCLUSIVE');
// A write, so the lock is a writer's in rollback-journal and WAL mode alike.
db.exec("CREATE TABLE IF NOT EXISTS lock_probe (x); INSERT INTO lock_probe VALUES (1); DELETE FROM lock_probe");
console.log('locked');
const lines = createInterface({ input: process.stdin });
const release = () => {
	db.exec('COMMIT');
	db.close();
	console.log('released');
	process.exit(0);
};
lines.once('line', release);
lines.once('close', release);

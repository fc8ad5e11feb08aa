#!/usr/bin/env node
// The command-line entry: `npm run cli -- <command>`. Relative imports only (no $lib, no $env).
import { createDb } from '../lib/server/db/client';
import { migrateDb } from '../lib/server/db/migrate';
import { importDatasetFile, seedIfEmpty } from '../lib/server/seed';
import { ValidationError } from '../lib/server/write';

const USAGE = `Usage: npm run cli -- <command>

Commands:
  migrate              apply pending migrations to the database
  seed                 migrate, then load the demo dataset if the database is empty
  import <file.json>   migrate, then import a stance-tracker/v1 dataset (all or nothing)

The database is DATABASE_URL (default file:data/stance-tracker.db).`;

async function main(argv: string[]): Promise<number> {
	const [command, ...args] = argv;
	const db = createDb({
		url: process.env.DATABASE_URL || 'file:data/stance-tracker.db',
		authToken: process.env.DATABASE_AUTH_TOKEN || undefined
	});
	switch (command) {
		case 'migrate':
			await migrateDb(db);
			console.log('Migrations applied.');
			return 0;
		case 'seed': {
			await migrateDb(db);
			const r = await seedIfEmpty(db);
			console.log(r ? `Seeded ${r.actors} actors, ${r.issues} issues, ${r.events} events.` : 'Database not empty; nothing seeded.');
			return 0;
		}
		case 'import': {
			if (!args[0]) {
				console.error('import needs a file.\n\n' + USAGE);
				return 2;
			}
			await migrateDb(db);
			const r = await importDatasetFile(db, args[0]);
			console.log(`Imported ${r.actors} actors, ${r.issues} issues, ${r.events} events from ${args[0]}.`);
			return 0;
		}
		default:
			console.error(USAGE);
			return command ? 2 : 0;
	}
}

main(process.argv.slice(2)).then(
	(code) => process.exit(code),
	(e: unknown) => {
		if (e instanceof ValidationError) {
			console.error(`Nothing was written. ${e.problems.length} problem(s):`);
			for (const p of e.problems) console.error(`  ${p.path}: ${p.message}`);
		} else console.error(e instanceof Error ? e.message : e);
		process.exit(1);
	}
);

#!/usr/bin/env node
// The command-line entry: `npm run cli -- <command>`. Relative imports only (no $lib, no $env).
import { createDb } from '../lib/server/db/client';
import { migrateDb } from '../lib/server/db/migrate';
import { importDatasetFile, seedIfEmpty } from '../lib/server/seed';
import { ValidationError } from '../lib/server/write';
import * as users from '../lib/server/auth/users';
import { createInterface } from 'node:readline';
import { ROLES, type Role } from '../lib/domain/types';

const USAGE = `Usage: npm run cli -- <command>

Commands:
  migrate              apply pending migrations to the database
  seed                 migrate, then load the demo dataset if the database is empty
  import <file.json>   migrate, then import a stance-tracker/v1 dataset (all or nothing)
  user add <email> [--role viewer|editor|admin] [--name NAME]
                       add a user; the password comes from STANCE_PASSWORD or a prompt,
                       never from the command line
  user list            list users
  user role <email> <role>
  user disable <email> / user enable <email>

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
		case 'user':
			await migrateDb(db);
			return userCommand(db, args);
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

function option(args: string[], name: string): string | undefined {
	const i = args.indexOf(`--${name}`);
	return i >= 0 ? args[i + 1] : undefined;
}

/** Reads a password without echoing it when on a terminal; from a pipe, reads one line. */
async function readPassword(prompt: string): Promise<string> {
	if (process.env.STANCE_PASSWORD) return process.env.STANCE_PASSWORD;
	const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
	if (process.stdin.isTTY) {
		// Mute the echo of what is typed after the prompt.
		const out = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WriteStream };
		out._writeToOutput = (s: string) => {
			if (s.startsWith(prompt)) out.output.write(prompt);
		};
	}
	return new Promise((resolve) =>
		rl.question(prompt, (answer) => {
			rl.close();
			if (process.stdin.isTTY) process.stdout.write('\n');
			resolve(answer);
		})
	);
}

async function userCommand(db: ReturnType<typeof createDb>, args: string[]): Promise<number> {
	const [sub, email, third] = args;
	const find = async () => {
		const u = (await users.list(db)).find((x) => x.email === email?.trim().toLowerCase());
		if (!u) throw new Error(`No user with the email ${email}`);
		return u;
	};
	switch (sub) {
		case 'add': {
			if (!email) throw new Error('user add needs an email');
			const role = (option(args, 'role') ?? 'viewer') as Role;
			if (!ROLES.includes(role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
			const password = await readPassword(`Password for ${email}: `);
			const u = await users.createUser(db, { email, name: option(args, 'name') ?? '', role, password });
			console.log(`Added ${u.email} as ${u.role}.`);
			return 0;
		}
		case 'list':
			for (const u of await users.list(db)) console.log(`${u.email}\t${u.role}${u.disabled ? '\tdisabled' : ''}`);
			return 0;
		case 'role': {
			if (!third || !ROLES.includes(third as Role)) throw new Error(`user role needs an email and one of ${ROLES.join(', ')}`);
			await users.setRole(db, (await find()).id, third as Role);
			console.log(`${email} is now ${third}.`);
			return 0;
		}
		case 'disable':
		case 'enable':
			await users.setDisabled(db, (await find()).id, sub === 'disable');
			console.log(`${email} ${sub}d.`);
			return 0;
		default:
			console.error(USAGE);
			return 2;
	}
}

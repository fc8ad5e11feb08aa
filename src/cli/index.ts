#!/usr/bin/env node
// The command-line entry: `npm run cli -- <command>`. Relative imports only (no $lib, no $env).
// Exit codes: 0 done, 1 the input was refused (nothing written), 2 the command was called wrongly.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { createInterface } from 'node:readline';
import { resolve, dirname } from 'node:path';
import { createDb, type Db } from '../lib/server/db/client';
import { migrateDb } from '../lib/server/db/migrate';
import { seedIfEmpty } from '../lib/server/seed';
import { ValidationError } from '../lib/server/write';
import * as users from '../lib/server/auth/users';
import { ROLES, IMPORT_FORMATS, type ImportFormat, type Role } from '../lib/domain/types';
import {
	cleanupAbandonedImports,
	ImportRefused,
	parseScaleOption,
	readMappingFile,
	runImport,
	UsageError,
	type ImportProgress,
	type ImportReport
} from '../lib/server/import';
import { progressPrinter } from './progress';
import { backupDatabase, restoreDatabase } from '../lib/server/import/backup';
import { exportDataset } from '../lib/server/import/export';

/** A refusal of the input: printed, exit code 1. */
class Refused extends Error {}

const DEFAULT_URL = 'file:data/stance-tracker.db';
/**
 * The database the commands work on. DATABASE_SYNC_URL makes DATABASE_URL an app instance's
 * embedded replica, a copy that only that instance may sync and write (a second process syncing
 * into the same file would corrupt it, and one writing the file directly would fork it from the
 * server): the commands then refuse and name the server to point at instead.
 */
function databaseUrl(): string {
	const sync = process.env.DATABASE_SYNC_URL;
	if (sync) {
		throw new UsageError(
			`DATABASE_SYNC_URL is set, so DATABASE_URL (${process.env.DATABASE_URL ?? DEFAULT_URL}) is an app instance's embedded replica, ` +
				`which only that instance may sync and write. Run the command against the server itself: ` +
				`DATABASE_URL=${sync.replace(/\/\/[^@/]*@/, '//')} (with DATABASE_AUTH_TOKEN if it needs one), without DATABASE_SYNC_URL.`
		);
	}
	return process.env.DATABASE_URL || DEFAULT_URL;
}
let opened: Db | null = null;
function openDb(): Db {
	opened ??= createDb({ url: databaseUrl(), authToken: process.env.DATABASE_AUTH_TOKEN || undefined });
	return opened;
}
async function ready(): Promise<Db> {
	const db = openDb();
	await migrateDb(db);
	const cleaned = await cleanupAbandonedImports(db.$client);
	if (cleaned.length) console.error(`Removed what ${cleaned.length} interrupted import(s) left behind (${cleaned.map((i) => `#${i}`).join(', ')}).`);
	return db;
}

const fmt = (n: number) => n.toLocaleString('en-US');

function printReport(r: ImportReport, problemsFile: string | undefined) {
	const how = [r.format, r.encoding, r.delimiter ? `delimiter ${JSON.stringify(r.delimiter)}` : null].filter(Boolean).join(', ');
	console.log(`${r.file} (${how}): ${fmt(r.rows)} rows read in ${r.seconds.toFixed(1)} s (${fmt(Math.round(r.rows / Math.max(r.seconds, 0.001)))} rows/s)`);
	console.log(`  ${r.dryRun ? 'would be new' : 'new'}: ${fmt(r.new)}   already present: ${fmt(r.present)}   rejected: ${fmt(r.rejected)}`);
	if (r.createdActors.length || r.createdIssues.length) {
		const list = (xs: string[]) => (xs.length > 8 ? `${xs.slice(0, 8).join(', ')} and ${xs.length - 8} more` : xs.join(', '));
		console.log(
			`  ${r.written ? 'created' : 'would create'} ${r.createdActors.length} actor(s)${r.createdActors.length ? ` (${list(r.createdActors)})` : ''}, ${r.createdIssues.length} issue(s)${r.createdIssues.length ? ` (${list(r.createdIssues)})` : ''}`
		);
	}
	if (r.problemCount) {
		// Problems go to stderr with the other refusals; the counts above stay on stdout.
		console.error(`${fmt(r.problemCount)} problem(s) in ${fmt(r.rejected)} row(s)${r.problemCount > r.problems.length ? `; the first ${r.problems.length}` : ''}:`);
		for (const p of r.problems) console.error(r.format === 'json' ? `  ${p.column}: ${p.reason}` : `  line ${p.line}, ${p.column}: ${p.reason}`);
		if (r.problemCount > r.problems.length) {
			console.error(`  … and ${fmt(r.problemCount - r.problems.length)} more${problemsFile ? ` (all in ${problemsFile})` : ' (write them all to a file with --problems FILE)'}`);
		} else if (problemsFile) console.error(`  (also written to ${problemsFile})`);
	}
	if (r.dryRun) console.log('Dry run: nothing was written.');
	else if (r.written) console.log(`Import #${r.importId} written.`);
	else if (r.rows === r.rejected && r.rows > 0 && r.problemCount) console.error('Nothing was written: every row was refused.');
	else if (r.problemCount) console.error('Nothing was written. Fix the rows above, or import only the good rows with --good-rows-only.');
	else console.log('Nothing to write.');
}

function program(): Command {
	const p = new Command('stance-tracker')
		.description('Stance Tracker from the command line. The database is DATABASE_URL (default file:data/stance-tracker.db).')
		.addHelpText(
			'after',
			'\nExit codes: 0 done; 1 the input was refused and nothing was written; 2 the command was called wrongly.'
		)
		.showHelpAfterError('(add --help for usage)')
		.exitOverride();

	p.command('migrate')
		.description('apply pending migrations to the database')
		.action(async () => {
			await ready();
			console.log('Migrations applied.');
		});

	p.command('seed')
		.description('migrate, then load the demo dataset if the database is empty')
		.action(async () => {
			const db = await ready();
			const r = await seedIfEmpty(db);
			console.log(r ? `Seeded ${r.actors} actors, ${r.issues} issues, ${r.events} events.` : 'Database not empty; nothing seeded.');
		});

	p.command('import')
		.description('import events from a file, streamed, all or nothing')
		.argument('<file>', 'the file to import')
		.showHelpAfterError('(see: npm run cli -- import --help)')
		.addOption(new Option('--format <format>', 'the file format (default: .json is json, *.export.CSV is gdelt, else csv)').choices(IMPORT_FORMATS))
		.option('--map <file>', 'a column mapping (JSON, see data/README.md) for a CSV whose columns are not ours')
		.option('--create-missing', 'create actors and issues that the file names but the database lacks')
		.option('--encoding <name>', 'the file encoding (utf-8, windows-1252, latin1, …); detected when not given')
		.option('--good-rows-only', 'write the good rows even when some rows are refused')
		.option('--dry-run', 'check every row and report, writing nothing')
		.option('--scale <min..max>', 'the scale of issues created without one (default: the whole-number range of the positions seen)', (v) => {
			const s = parseScaleOption(v);
			if (!s) throw new InvalidArgumentError('write it MIN..MAX, e.g. -2..2');
			return s;
		})
		.option('--source-outlet <outlet>', 'the source of every row that names none')
		.option('--source-title <title>', 'the source title of every row that names none')
		.option('--issue-per-target', 'GDELT: one issue per target actor instead of one issue')
		.option('--problems <file>', 'write every problem (tab-separated: line, column, reason) to this file')
		.option('--quiet', 'no progress output')
		.addHelpText(
			'after',
			`
Formats:
  csv           columns by header name (actor, issue, date, position, speaker, target, kind,
                summary, quote, quote_language, confidence, source_url, source_title,
                source_outlet, source_published, position_low, position_high), or any columns
                with --map. Delimiter (, ; tab |) and encoding (UTF-8 with or without BOM,
                Windows-1252/Latin-1) are detected.
  json          the stance-tracker/v1 dataset (what \`export --format json\` writes)
  gdelt         GDELT 1.0/2.0 event exports (tab-separated, 57, 58 or 61 columns)
  ideal-points  UNGA ideal points (Bailey, Strezhnev and Voeten), one issue, year precision

Every row is checked and every problem reported (file line, column, reason); nothing is written
when any row is refused unless --good-rows-only. Re-importing the same rows adds nothing.`
		)
		.action(async (file: string, opts: Record<string, unknown>) => {
			const db = await ready();
			const mapping = opts.map ? await readMappingFile(String(opts.map)) : undefined;
			const bar = opts.quiet ? null : progressPrinter(process.stderr);
			const report = await runImport(db, {
				file: resolve(file),
				format: opts.format as ImportFormat | undefined,
				mapping,
				mappingDir: opts.map ? dirname(resolve(String(opts.map))) : undefined,
				createMissing: !!opts.createMissing,
				encoding: opts.encoding as string | undefined,
				goodRowsOnly: !!opts.goodRowsOnly,
				dryRun: !!opts.dryRun,
				scale: opts.scale as { min: number; max: number } | undefined,
				source: opts.sourceOutlet || opts.sourceTitle ? { outlet: (opts.sourceOutlet as string) ?? null, title: (opts.sourceTitle as string) ?? null } : undefined,
				issuePerTarget: !!opts.issuePerTarget,
				problemsFile: opts.problems as string | undefined,
				onProgress: bar ? (pr: ImportProgress) => bar.update(pr) : undefined
			});
			bar?.finish();
			printReport(report, opts.problems as string | undefined);
			if (!report.written && !report.dryRun && report.problemCount) throw new Refused('');
			if (report.dryRun && report.problemCount && !opts.goodRowsOnly) throw new Refused('');
		});

	p.command('export')
		.description('export the dataset, or a filter of it, streamed')
		.argument('[file]', 'where to write it (default: standard output)')
		.addOption(new Option('--format <format>', 'csv or json').choices(['csv', 'json']).default('json'))
		.option('--actors <slugs>', 'only these actors (comma-separated slugs)')
		.option('--issues <slugs>', 'only these issues (comma-separated slugs)')
		.option('--from <date>', 'only events on or after this date (YYYY-MM-DD)')
		.option('--to <date>', 'only events on or before this date (YYYY-MM-DD)')
		.action(async (file: string | undefined, opts: Record<string, string | undefined>) => {
			const db = await ready();
			const list = (s?: string) => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : undefined);
			for (const d of [opts.from, opts.to]) if (d && !/^\d{4}-\d{2}-\d{2}$/.test(d)) throw new UsageError(`"${d}" is not a date written YYYY-MM-DD`);
			const n = await exportDataset(db, {
				format: opts.format as 'csv' | 'json',
				file,
				actors: list(opts.actors),
				issues: list(opts.issues),
				from: opts.from,
				to: opts.to
			});
			if (file) console.error(`Exported ${fmt(n)} events to ${file}.`);
		});

	p.command('backup')
		.description('copy the live database to FILE (VACUUM INTO; a libSQL server through a temporary replica), checked with PRAGMA integrity_check')
		.argument('<file>', 'the backup file to create (must not exist)')
		.action(async (file: string) => {
			const db = await ready();
			const r = await backupDatabase(db, resolve(file), { authToken: process.env.DATABASE_AUTH_TOKEN || undefined });
			console.log(`Backed up to ${file} (${fmt(r.bytes)} bytes, ${fmt(r.events)} events); integrity check: ok.`);
		});

	p.command('restore')
		.description('replace the database with a backup, after checking the backup')
		.argument('<file>', 'a backup made with `backup`')
		.action(async (file: string) => {
			const r = await restoreDatabase(databaseUrl(), resolve(file));
			console.log(`Restored ${file}: ${fmt(r.events)} events. The previous database is kept as ${r.previous}.`);
		});

	const user = p.command('user').description('manage users');
	user
		.command('add')
		.description('add a user; the password comes from STANCE_PASSWORD or a prompt, never from the command line')
		.argument('<email>')
		.addOption(new Option('--role <role>').choices(ROLES).default('viewer'))
		.option('--name <name>', 'display name', '')
		.action(async (email: string, opts: { role: Role; name: string }) => {
			const db = await ready();
			const password = await readPassword(`Password for ${email}: `);
			const u = await users.createUser(db, { email, name: opts.name, role: opts.role, password });
			console.log(`Added ${u.email} as ${u.role}.`);
		});
	user
		.command('list')
		.description('list users')
		.action(async () => {
			const db = await ready();
			for (const u of await users.list(db)) console.log(`${u.email}\t${u.role}${u.disabled ? '\tdisabled' : ''}`);
		});
	user
		.command('role')
		.description("change a user's role")
		.argument('<email>')
		.addArgument(new Command().createArgument('<role>').choices(ROLES))
		.action(async (email: string, role: Role) => {
			const db = await ready();
			await users.setRole(db, (await findUser(db, email)).id, role);
			console.log(`${email} is now ${role}.`);
		});
	for (const sub of ['disable', 'enable'] as const) {
		user
			.command(sub)
			.description(`${sub} a user`)
			.argument('<email>')
			.action(async (email: string) => {
				const db = await ready();
				await users.setDisabled(db, (await findUser(db, email)).id, sub === 'disable');
				console.log(`${email} ${sub}d.`);
			});
	}
	return p;
}

async function findUser(db: Db, email: string) {
	const u = (await users.list(db)).find((x) => x.email === email.trim().toLowerCase());
	if (!u) throw new Refused(`No user with the email ${email}`);
	return u;
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

async function main(argv: string[]): Promise<number> {
	try {
		await program().parseAsync(argv, { from: 'user' });
		return 0;
	} catch (e) {
		if (e instanceof CommanderError) {
			// --help and --version end here too, with code 0.
			return e.exitCode === 0 || e.code === 'commander.helpDisplayed' || e.code === 'commander.help' ? 0 : 2;
		}
		if (e instanceof UsageError) {
			console.error(`error: ${e.message}`);
			return 2;
		}
		if (e instanceof Refused) {
			if (e.message) console.error(e.message);
			return 1;
		}
		if (e instanceof ImportRefused) {
			console.error(`Nothing was written: ${e.message}`);
			return 1;
		}
		if (e instanceof ValidationError) {
			console.error(`Nothing was written. ${e.problems.length} problem(s):`);
			for (const p of e.problems) console.error(`  ${p.path}: ${p.message}`);
			return 1;
		}
		const err = e as NodeJS.ErrnoException;
		if (err.code === 'ENOENT' || err.code === 'EISDIR' || err.code === 'EACCES') {
			console.error(`Cannot read ${err.path ?? 'the file'}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
			return 1;
		}
		console.error(e instanceof Error ? e.message : e);
		return 1;
	} finally {
		opened?.$client.close();
	}
}

// `export | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
	if (e.code === 'EPIPE') process.exit(0);
	throw e;
});

main(process.argv.slice(2)).then((code) => process.exit(code));

/**
 * Loads generated data (tests/bench/generate.ts) into a database: through the real write path
 * (`writeDataset`) in chunks, falling back to multi-row INSERTs through `client.batch` when the
 * write path would take too long; or, for the big benchmark database, actors and issues through
 * the write path and every event with multi-row INSERTs (the same triggers fire).
 */
import type { InStatement } from '@libsql/client';
import { performance } from 'node:perf_hooks';
import type { Db } from '../../src/lib/server/db/client';
import { periodStart } from '../../src/lib/domain/dates';
import { writeDataset } from '../../src/lib/server/write';
import { log } from './measure';
import type { EventRow, Plan } from './generate';

/** Generated data held in memory (small plans). */
export interface Synthetic {
	actors: Plan['actors'];
	issues: Plan['issues'];
	events: EventRow[];
}

export interface LoadReport {
	/** Events written through writeDataset, and the time that took. */
	writePath: { events: number; ms: number };
	/** Events written with raw multi-row INSERTs (0 when the write path did it all). */
	raw: { events: number; ms: number };
	/** Why the rest went the raw way, when it did. */
	switchedBecause: string | null;
}

export interface LoadOptions {
	/** Events per writeDataset call. */
	chunk?: number;
	/** Switch to raw INSERTs when the write path is projected to need longer than this for everything. */
	maxWritePathMs?: number;
}

/** Writes actors and issues, then the events, through the write path while it keeps up. */
export async function loadSynthetic(db: Db, data: Synthetic, { chunk = 2000, maxWritePathMs = 60_000 }: LoadOptions = {}): Promise<LoadReport> {
	const report: LoadReport = { writePath: { events: 0, ms: 0 }, raw: { events: 0, ms: 0 }, switchedBecause: null };
	const format = 'stance-tracker/v1' as const;
	const t0 = performance.now();
	await writeDataset(db, { format, actors: data.actors, issues: data.issues, events: [] });
	let done = 0;
	while (done < data.events.length) {
		const part = data.events.slice(done, done + chunk);
		await writeDataset(db, { format, events: part });
		done += part.length;
		const elapsed = performance.now() - t0;
		report.writePath = { events: done, ms: elapsed };
		const projected = (elapsed / done) * data.events.length;
		if (done % (chunk * 10) === 0 || done === data.events.length) {
			log(`  write path: ${done.toLocaleString('en')} events, ${Math.round(done / (elapsed / 1000)).toLocaleString('en')} rows/s`);
		}
		// Judge after a few chunks, so one slow first call (cold caches, JIT) does not decide.
		if (done < data.events.length && done >= chunk * 3 && projected > maxWritePathMs) {
			report.switchedBecause = `the write path ran at ${Math.round(done / (elapsed / 1000)).toLocaleString('en')} rows/s: all ${data.events.length.toLocaleString('en')} events would take about ${Math.round(projected / 1000)} s (> ${Math.round(maxWritePathMs / 1000)} s)`;
			break;
		}
	}
	if (done < data.events.length) {
		log(`  switching to raw INSERTs: ${report.switchedBecause}`);
		const t1 = performance.now();
		await insertRaw(db, data.events.slice(done));
		report.raw = { events: data.events.length - done, ms: performance.now() - t1 };
	}
	return report;
}

/** SQLite's limit on bound parameters is 32,766; stay well below it. */
const ROWS_PER_INSERT = 500;
const INSERTS_PER_BATCH = 40;

/**
 * Multi-row INSERTs sent with `client.batch` (each batch one transaction). Ids are given
 * explicitly so each event's source rows can point at it. No validation: the rows come from
 * the same generator the write path already accepted.
 */
export async function insertRaw(db: Db, events: readonly EventRow[]): Promise<void> {
	const client = db.$client;
	const ids = async (table: string) =>
		new Map((await client.execute(`select id, slug from ${table}`)).rows.map((r) => [String(r.slug), Number(r.id)]));
	const [actorIds, issueIds] = await Promise.all([ids('actor'), ids('issue')]);
	const maxRow = await client.execute('select coalesce(max(id), 0) as id from stance_event');
	let nextId = Number(maxRow.rows[0]!.id) + 1;
	const idOf = (map: Map<string, number>, slug: string | null) => {
		if (slug === null) return null;
		const id = map.get(slug);
		if (id === undefined) throw new Error(`unknown slug ${slug}`);
		return id;
	};
	let pending: InStatement[] = [];
	const flush = async () => {
		if (pending.length) await client.batch(pending, 'write');
		pending = [];
	};
	for (let i = 0; i < events.length; i += ROWS_PER_INSERT) {
		const rows = events.slice(i, i + ROWS_PER_INSERT);
		const eventArgs: (string | number | null)[] = [];
		const sourceArgs: (string | number | null)[] = [];
		let sourceRows = 0;
		for (const e of rows) {
			const id = nextId++;
			eventArgs.push(
				id,
				idOf(actorIds, e.actor),
				idOf(issueIds, e.issue),
				periodStart(e.date, e.datePrecision),
				e.datePrecision,
				e.position,
				e.kind,
				e.summary,
				e.quote,
				e.quoteLanguage,
				idOf(actorIds, e.speaker),
				idOf(actorIds, e.target),
				e.confidence
			);
			e.sources.forEach((s, ordinal) => {
				sourceArgs.push(id, ordinal, s.outlet, s.title, s.url, s.publishedOn);
				sourceRows++;
			});
		}
		pending.push({
			sql:
				'insert into stance_event (id, actor_id, issue_id, date, date_precision, position, kind, summary, quote, quote_language, speaker_id, target_id, confidence) values ' +
				Array(rows.length).fill('(?,?,?,?,?,?,?,?,?,?,?,?,?)').join(','),
			args: eventArgs
		});
		pending.push({
			sql: 'insert into source (event_id, ordinal, outlet, title, url, published_on) values ' + Array(sourceRows).fill('(?,?,?,?,?,?)').join(','),
			args: sourceArgs
		});
		if (pending.length >= INSERTS_PER_BATCH) await flush();
	}
	await flush();
}

/**
 * Writes a plan: actors and issues through the write path, then every event with raw
 * multi-row INSERTs in chunks (the generator never holds all of them). Returns rows/s.
 */
export async function loadPlan(
	db: Db,
	plan: Plan,
	events: Iterable<EventRow>,
	onProgress?: (done: number) => void
): Promise<{ events: number; ms: number }> {
	await writeDataset(db, { format: 'stance-tracker/v1', actors: plan.actors, issues: plan.issues, events: [] });
	const t0 = performance.now();
	let chunk: EventRow[] = [];
	let done = 0;
	for (const e of events) {
		chunk.push(e);
		if (chunk.length === 20_000) {
			await insertRaw(db, chunk);
			done += chunk.length;
			chunk = [];
			if (done % 200_000 === 0) onProgress?.(done);
		}
	}
	if (chunk.length) await insertRaw(db, chunk);
	done += chunk.length;
	return { events: done, ms: performance.now() - t0 };
}

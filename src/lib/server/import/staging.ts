import type { Client, InStatement } from '@libsql/client';
import { hostname } from 'node:os';
import type { NewActor, NewIssue, StagedEvent } from '../../domain/importRow';
import type { ImportFormat } from '../../domain/types';
import { enqueueWrite } from '../db/queue';
import { appendChunk, openSqlWorker } from '../db/sqlWorker';
import type { Author } from '../write';
import { contextRecord } from '../write/statements';
import type { ContextEventInput } from '../../schemas/dataset';

/**
 * All or nothing for a bulk import, without an interactive transaction (which would block every
 * other writer on the shared client). Checked rows go, chunk by chunk through the write queue,
 * into a staging table `import_staging_<id>` that no read looks at; at the end one batch (one
 * SQLite transaction) creates the new actors and issues, moves the staged rows into the events
 * and sources, records the import in the history and drops the staging table. A process killed
 * at any moment leaves either no trace but a staging table and a `running` import record, which
 * any instance or CLI run removes once the import's heartbeat has stopped (see
 * `cleanupAbandonedImports`), or, once the batch has committed, the whole import. Ids of the new rows are offsets (read inside the batch) plus staging sequence
 * numbers, so the events' sources find their events without a per-row lookup.
 */

export const stagingTable = (id: number) => `import_staging_${id}`;

const STAGING_COLUMNS = [
	'line', 'actor', 'issue', 'date', 'precision', 'position', 'low', 'high', 'kind', 'summary', 'quote',
	'lang', 'speaker', 'target', 'confidence', 'outlet', 'title', 'url', 'published', 'more', 'h'
] as const;

// The natural key: actor, issue, date, speaker, position and first source, plus the summary, so
// that two statements of one day from one article (the demo has such) stay two events.
const KEY = ['actor', 'issue', 'date', 'position', 'speaker', 'outlet', 'title', 'url', 'summary'] as const;
const KEY_AT = KEY.map((c) => STAGING_COLUMNS.indexOf(c));

/**
 * A 53-bit hash of a row's natural key (cyrb53), staged beside the row: the duplicate check then
 * groups one integer column instead of sorting nine text columns (measured: 4 us a row on a
 * million rows), and compares the full keys only of the few rows whose hashes meet.
 */
export function keyHash(row: readonly unknown[]): number {
	let h1 = 0xdeadbeef;
	let h2 = 0x41c6ce57;
	for (const at of KEY_AT) {
		const v = row[at];
		const text = v === null || v === undefined ? '\u0000' : typeof v === 'number' ? `#${v}` : String(v);
		for (let i = 0; i < text.length; i++) {
			const ch = text.charCodeAt(i);
			h1 = Math.imul(h1 ^ ch, 2654435761);
			h2 = Math.imul(h2 ^ ch, 1597334677);
		}
		h1 = Math.imul(h1 ^ 0x1f, 2654435761);
		h2 = Math.imul(h2 ^ 0x1f, 1597334677);
	}
	h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
	h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
	return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** A staged event plus its further sources (JSON), if it has more than one (the key hash is added when staged). */
export type StagedRow = [...StagedEvent, more: string | null];

/**
 * How long a running import may go without refreshing its heartbeat before any instance or CLI
 * run takes it for dead and removes it: IMPORT_LEASE_SECONDS, default 60. The heartbeat is
 * refreshed every `heartbeatMs()` (5 s, or a third of a shorter lease); heartbeats are written and
 * judged on the database's clock, so the instances' clocks need not agree.
 */
export function importLeaseMs(value = process.env.IMPORT_LEASE_SECONDS): number {
	const seconds = Number(value);
	return value && Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 60_000;
}
export function heartbeatMs(leaseMs = importLeaseMs()): number {
	return Math.min(5_000, Math.floor(leaseMs / 3));
}

/** Now in milliseconds since 1970, by the database's clock (the server's, for a libSQL server). */
const DB_NOW_MS = "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)";

/**
 * Imports running in this process, and how many are being recorded right now (their record may be
 * committed before this process hears back): a sweep here never takes those for dead.
 */
const mine = new Set<number>();
let recording = 0;

/**
 * Where an import's writes and long statements run. On a local file: a connection on a thread of
 * its own (sqlWorker.ts), which stages the checked rows while the reading goes on with the next
 * chunk (the two cores each do one), then runs the duplicate check and the final batch, so a
 * server importing from its web form keeps answering meanwhile. On a libSQL server: the shared
 * client, through the write queue.
 */
export interface ImportDb {
	all(sql: string, args?: (string | number | null)[]): Promise<unknown[][]>;
	batch(statements: InStatement[], options?: { appendOnly?: boolean }): Promise<void>;
	/** Appends rows (each as STAGING_COLUMNS) to a staging table in one transaction (the caller holds the write queue). */
	stage(table: string, rows: unknown[][]): Promise<void>;
	close(): Promise<void>;
}

/**
 * The final batch's page cache on the import's own connection, in KiB. While staging, the
 * connection appends to one table and keeps SQLite's default (2 MB).
 */
export const COMMIT_CACHE_KIB = 32 * 1024;
/** The same for a final batch that rebuilds the event indexes (it appends and sorts). */
export const APPEND_CACHE_KIB = 8 * 1024;

const STAGING_LIST = STAGING_COLUMNS.map((c) => `"${c}"`).join(', ');

export function openImportDb(client: Client, file: string | undefined): ImportDb {
	if (file) {
		let worker: ReturnType<typeof openSqlWorker> | null = null;
		let mode: 'staging' | 'commit' | null = null;
		let cache = 2048;
		const open = () => {
			if (!worker) {
				worker = openSqlWorker(file, { cacheKib: cache });
				// This build of SQLite keeps temporary files in memory (TEMP_STORE=2): the sorts of the
				// duplicate check and of the index builds, and the final insert's statement journal.
				// On disk they are written once and read once; in memory they made the import's peak.
				void worker.exec('PRAGMA temp_store = FILE').catch(() => undefined);
			}
			return worker;
		};
		const enter = async (want: 'staging' | 'commit', cacheKib = COMMIT_CACHE_KIB) => {
			if (mode !== want) {
				mode = want;
				// Staged rows need no durability of their own (a crash throws them away anyway): no sync
				// per chunk, which in WAL mode never risks the database's consistency; the final batch syncs.
				await open().exec(`PRAGMA synchronous = ${want === 'staging' ? 'NORMAL' : 'FULL'}`);
			}
			if (want === 'commit' && cache !== cacheKib) {
				cache = cacheKib;
				await open().exec(`PRAGMA cache_size = -${cacheKib}`);
			}
		};
		return {
			all: (sql, args) => open().all(sql, args),
			batch: async (statements, { appendOnly = false } = {}) => {
				// A batch that only appends (the index rebuild: rows at the end of their tables, indexes
				// built by sorting) needs no large cache (measured: the same CPU with 8 MB as with 32 MB).
				await enter('commit', appendOnly ? APPEND_CACHE_KIB : COMMIT_CACHE_KIB);
				const timing = process.env.IMPORT_TIMING === '1';
				const ms = await open().batch(
					statements.map((st) => (typeof st === 'string' ? st : { sql: st.sql, args: (st.args ?? []) as (string | number | null)[] })),
					{ timing }
				);
				if (ms) {
					// IMPORT_TIMING=1: each statement's time (see the bench).
					const label = (st: InStatement | undefined) => (st === undefined ? 'COMMIT' : (typeof st === 'string' ? st : st.sql).replace(/\s+/g, ' ').slice(0, 70));
					for (const [i, t] of ms.entries()) if (t >= 20) console.error(`[import]   ${t.toFixed(0).padStart(6)} ms  ${label(statements[i])}`);
				}
			},
			stage: async (table, rows) => {
				await enter('staging');
				await open().append(`INSERT INTO ${table} (${STAGING_LIST})`, appendChunk(rows as (string | number | null)[][]));
			},
			close: async () => {
				await worker?.close();
				worker = null;
			}
		};
	}
	const picks = STAGING_COLUMNS.map((_c, i) => `value ->> ${i}`).join(', ');
	return {
		all: async (sql, args = []) => (await client.execute({ sql, args })).rows.map((r) => Array.from(r)),
		batch: async (statements) => {
			await enqueueWrite(client, () => client.batch(statements, 'write'));
		},
		// The rows travel as one JSON text per chunk.
		stage: async (table, rows) => {
			await client.execute({ sql: `INSERT INTO ${table} (${STAGING_LIST}) SELECT ${picks} FROM json_each(?)`, args: [JSON.stringify(rows)] });
		},
		close: async () => undefined
	};
}

export async function beginImport(client: Client, file: string, format: ImportFormat, by: Author): Promise<number> {
	return enqueueWrite(client, async () => {
		// The run is recorded before its staging table exists (cleanupAbandonedImports relies on it).
		let id: number;
		recording++;
		try {
			const r = await client.execute({
				sql: `INSERT INTO import_run (file, format, status, user_id, via, host, pid, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?, ?, ${DB_NOW_MS}) RETURNING id`,
				args: [file, format, 'running', by.userId, by.via, hostname(), process.pid]
			});
			id = Number(r.rows[0]![0]);
			mine.add(id);
		} finally {
			recording--;
		}
		await client.execute(
			`CREATE TABLE ${stagingTable(id)} (seq INTEGER PRIMARY KEY, ${STAGING_COLUMNS.map((c) => `"${c}"`).join(', ')})`
		);
		return id;
	});
}

/** A running import whose record another instance removed, taking it for dead. Nothing of it was written. */
export class ImportTakenOver extends Error {
	constructor(public readonly importId: number) {
		super(
			`import #${importId} was taken for dead and removed by another instance (its heartbeat was older than ` +
				`${importLeaseMs() / 1000} s, IMPORT_LEASE_SECONDS); nothing of it was written. Run it again.`
		);
		this.name = 'ImportTakenOver';
	}
}

export interface Heartbeat {
	/** Throws ImportTakenOver once a beat found the import's record gone. */
	check(): void;
	/** One beat now; resolves false when the record is gone. */
	beat(): Promise<boolean>;
	stop(): void;
}

/**
 * Keeps a running import's lease: refreshes its heartbeat every `everyMs` (through the write
 * queue). A beat that finds the record no longer running means another instance took the import
 * for dead and removed it: `check()` then throws, and the import stops.
 */
export function startHeartbeat(client: Client, id: number, everyMs = heartbeatMs()): Heartbeat {
	let lost = false;
	let beating: Promise<boolean> | null = null;
	const beat = () =>
		(beating ??= enqueueWrite(client, () =>
			client.execute({ sql: `UPDATE import_run SET heartbeat_at = ${DB_NOW_MS} WHERE id = ? AND status = 'running'`, args: [id] })
		)
			.then((r) => {
				if (r.rowsAffected === 0) lost = true;
				return !lost;
			})
			// A missed beat (the database busy or unreachable for a moment): the next one tries again.
			.catch(() => !lost)
			.finally(() => (beating = null)));
	const timer = setInterval(() => void beat(), everyMs);
	timer.unref();
	return {
		check: () => {
			if (lost) throw new ImportTakenOver(id);
		},
		beat,
		stop: () => {
			clearInterval(timer);
			mine.delete(id);
		}
	};
}

/** Whether an import's record is gone (asked after one of its writes failed): another instance removed it. */
export async function wasTakenOver(client: Client, id: number): Promise<boolean> {
	const r = await client.execute({ sql: 'SELECT 1 FROM import_run WHERE id = ?', args: [id] });
	return r.rows.length === 0;
}

/**
 * A writer into one import's staging table: each chunk is one short write through the shared
 * client's write queue (so no other write of this process runs meanwhile), on the import's own
 * connection (measured: about 6 us of CPU a row with one prepared statement, against 10 us for the
 * same rows sent as one JSON text through the shared client plus 7 us to build that text). The
 * chunk goes as its columns (see AppendChunk): binding is most of that cost, about 2 us a
 * statement plus 0.2-0.4 us a value in this binding, so a column that is NULL or the same in every
 * row of the chunk is bound once, not row by row.
 */
export function openStager(client: Client, idb: ImportDb, id: number, hashes?: KeyHashes): (rows: StagedRow[]) => Promise<void> {
	return async (rows) => {
		if (!rows.length) return;
		const staged: unknown[][] = rows;
		for (const r of staged) {
			const h = keyHash(r);
			hashes?.add(h);
			r.push(h);
		}
		await enqueueWrite(client, () => idb.stage(stagingTable(id), staged));
	};
}

/**
 * The key hashes of the rows staged so far, in an open-addressing table of doubles (8 bytes a
 * slot, at most half full: 16 MB for a million rows), and those met more than once: the only rows
 * the duplicate check then has to compare, without grouping the whole staging table by hash (a
 * sort: 0.85 s of the database thread's time for a million rows, while the reading waits). Past
 * `maxRows` rows it lets go of its table (memory stays bounded) and the check groups in SQL.
 */
export class KeyHashes {
	private slots: Float64Array | null = new Float64Array(1 << 12);
	private count = 0;
	private readonly repeated = new Set<number>();
	constructor(private readonly maxRows = 2_000_000) {}

	add(h: number) {
		if (!this.slots) return;
		if ((this.count + 1) * 2 > this.slots.length) {
			if (this.count >= this.maxRows) {
				this.slots = null;
				return;
			}
			const old = this.slots;
			this.slots = new Float64Array(old.length * 2);
			for (const v of old) if (v !== 0) this.insert(v);
		}
		// Stored plus one: 0 marks an empty slot.
		if (!this.insert(h + 1)) this.repeated.add(h);
		else this.count++;
	}

	/** False when the value is there already. */
	private insert(v: number): boolean {
		const slots = this.slots!;
		const mask = slots.length - 1;
		// The hash's low 32 bits are well mixed (keyHash's h1).
		for (let i = (v - 1) >>> 0 & mask; ; i = (i + 1) & mask) {
			const at = slots[i]!;
			if (at === 0) {
				slots[i] = v;
				return true;
			}
			if (at === v) return false;
		}
	}

	/** The hashes staged more than once; null when the table was let go (the check then groups in SQL). */
	candidates(): number[] | null {
		return this.slots ? [...this.repeated] : null;
	}
}

/**
 * Lines that repeat an earlier line's natural key, with that earlier line. `candidates`: the only
 * key hashes staged more than once (KeyHashes), or null to find them by grouping the staging table.
 */
export async function findDuplicates(idb: ImportDb, id: number, candidates: number[] | null = null): Promise<{ line: number; first: number; seq: number }[]> {
	const t = stagingTable(id);
	if (candidates?.length === 0) return [];
	const rows = await idb.all(
		`SELECT seq, line, ${KEY.map((c) => `"${c}"`).join(', ')} FROM ${t} WHERE h IN (${candidates ? 'SELECT value FROM json_each(?)' : `SELECT h FROM ${t} GROUP BY h HAVING count(*) > 1`}) ORDER BY line`,
		candidates ? [JSON.stringify(candidates)] : []
	);
	const firstOf = new Map<string, number>();
	const out: { line: number; first: number; seq: number }[] = [];
	for (const r of rows) {
		const key = JSON.stringify(r.slice(2));
		const line = Number(r[1]);
		const first = firstOf.get(key);
		if (first === undefined) firstOf.set(key, line);
		else out.push({ line, first, seq: Number(r[0]) });
	}
	return out;
}

export async function dropStagedRows(idb: ImportDb, id: number, seqs: number[]): Promise<void> {
	for (let i = 0; i < seqs.length; i += 10_000) {
		const part = seqs.slice(i, i + 10_000);
		await idb.batch([{ sql: `DELETE FROM ${stagingTable(id)} WHERE seq IN (SELECT value FROM json_each(?))`, args: [JSON.stringify(part)] }]);
	}
}

// A staged reference: a stored record's id, or -(n+1) for the n-th record this import creates.
const ref = (col: string, offset: string) => `CASE WHEN s.${col} IS NULL THEN NULL WHEN s.${col} > 0 THEN s.${col} ELSE ${offset} - s.${col} END`;
const RESOLVED = `SELECT s.*, ${ref('actor', 'o.actor_offset')} AS actor_id, ${ref('issue', 'o.issue_offset')} AS issue_id,
	${ref('speaker', 'o.actor_offset')} AS speaker_id, ${ref('target', 'o.actor_offset')} AS target_id, o.event_offset + s.seq AS event_id`;
// The natural key (see KEY), among live events. Only a row whose actor and issue are both stored
// (positive references) can match one: a row naming an actor or issue this import creates is new.
// The unary + keeps the speaker out of the index choice: SQLite otherwise takes `speaker_id IS ?`
// as an equality and seeks (speaker, issue, date), which for events without a speaker (nearly all
// of them) walks every event of the issue on that day (190 a roll call in the UN votes), instead
// of the (actor, issue, date) index's one or two.
const PRESENT = `(x.actor > 0 AND x.issue > 0 AND EXISTS (SELECT 1 FROM stance_event e JOIN source so ON so.event_id = e.id AND so.ordinal = 0
	WHERE e.actor_id = x.actor_id AND e.issue_id = x.issue_id AND e.date = x.date AND e.position = x.position
	AND +e.speaker_id IS x.speaker_id AND e.summary = x.summary AND e.deleted_at IS NULL AND so.outlet = x.outlet AND so.title IS x.title AND so.url IS x.url))`;

/** How many staged rows are already in the database (for a dry run's report). */
export async function countPresent(idb: ImportDb, id: number): Promise<number> {
	const r = await idb.all(
		`SELECT count(*) FROM (${RESOLVED} FROM ${stagingTable(id)} s, (SELECT 0 AS actor_offset, 0 AS issue_offset, 0 AS event_offset) o) x WHERE ${PRESENT}`
	);
	return Number(r[0]![0]);
}

export interface Finish {
	rowsRead: number;
	rejected: number;
	newActors: NewActor[];
	newIssues: NewIssue[];
	/** Context events of a JSON dataset, checked; each is added unless a live one with the same issue, dates and label is stored. */
	context?: ContextEventInput[];
	by: Author;
	/** The event indexes to drop before the rows go in and to build again after (see `rebuildIndexes`); none: kept. */
	rebuild?: EventIndex[];
	/** The per-row triggers to suspend for the batch, their work done once instead (see `BULK_TRIGGERS`); none: they fire per row. */
	triggers?: BulkTrigger[];
}

/**
 * Whether the final batch drops the event indexes and builds them again (a sort of the whole
 * table) rather than keeping them up to date row by row, for `rows` new events into a table of
 * `events`. Measured (CPU of the final batch, 5 indexes with migration 0015's wide series index,
 * the per-row triggers' work done once; load 13-15): into 500,000 events, 50,000 new rows 2.3 s
 * kept against 3.3 s rebuilt, 100,000 4.1 s against 4.2 s (the crossover), 250,000 9.9 s against
 * 7.6 s. So from a fifth of the table's size on (before 0015 and the triggers' change: from half).
 */
export function rebuildIndexes(rows: number, events: number): boolean {
	return rows >= 50_000 && rows * 5 >= events;
}

/**
 * How many of the staged rows are new, estimated from about 1,000 of them spread over the
 * staging table (a re-import of the same file is all present, and must not rebuild the indexes
 * for nothing). The final batch counts them exactly.
 */
export async function estimateNew(idb: ImportDb, id: number, staged: number): Promise<number> {
	if (staged <= 0) return 0;
	const step = Math.max(1, Math.floor(staged / 1000));
	const r = await idb.all(
		`SELECT count(*), coalesce(sum(${PRESENT}), 0) FROM (${RESOLVED} FROM ${stagingTable(id)} s, (SELECT 0 AS actor_offset, 0 AS issue_offset, 0 AS event_offset) o WHERE s.seq % ? = 0) x`,
		[step]
	);
	const sampled = Number(r[0]![0]);
	return sampled ? Math.round((staged * (sampled - Number(r[0]![1]))) / sampled) : staged;
}

/** A secondary index of the events table, with the statement that creates it. */
export interface EventIndex {
	name: string;
	sql: string;
}

/**
 * The per-row triggers on the tables an import fills (drizzle/0003 and 0010): each event bumps its
 * issue's data version and upserts its (issue, actor) activity row, each source bumps its event's
 * issue again (about 3 us a row on a million rows). The final batch drops them, inserts, does
 * their work once, set-based, for what the import added (`BULK_VERSION`, `BULK_ACTIVITY`), and
 * creates them again from the schema's own text, all in its one transaction: every other write,
 * before, after or from another process, still meets them, and a reader in any process sees the
 * import and the bumped versions together. A trigger of another name is left to fire per row.
 */
export const BULK_TRIGGERS = ['event_insert_version', 'source_insert_version', 'event_insert_activity'] as const;
export type BulkTrigger = EventIndex;

/**
 * The secondary indexes of the events table (as the migrations made them, read from the schema,
 * so an index added later is rebuilt too), and how many events the table holds (its largest id:
 * a bound read from the primary key, never a count).
 */
export async function eventIndexes(idb: ImportDb): Promise<{ indexes: EventIndex[]; events: number; triggers: BulkTrigger[] }> {
	const [rows, max, triggers] = await Promise.all([
		idb.all("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'stance_event' AND sql IS NOT NULL ORDER BY name"),
		idb.all('SELECT coalesce(max(id), 0) FROM stance_event'),
		idb.all(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN (${BULK_TRIGGERS.map((t) => `'${t}'`).join(', ')}) ORDER BY name`)
	]);
	return {
		indexes: rows.map((r) => ({ name: String(r[0]), sql: String(r[1]) })),
		events: Number(max[0]![0]),
		triggers: triggers.map((r) => ({ name: String(r[0]), sql: String(r[1]) }))
	};
}

/**
 * The import's new events with their sources' count, from the staging table (a seek by id each:
 * the events are numbered from the run's offset by staging sequence).
 */
const ADDED = (t: string, writes = '1') => `SELECT e.issue_id, e.actor_id, e.date, ${writes} AS writes
	FROM ${t} s, import_run o JOIN stance_event e ON e.id = o.event_offset + s.seq WHERE o.id = ?1 AND e.import_id = ?1`;

/**
 * What event_insert_version and source_insert_version do (each as far as it exists), once: each
 * issue's counter moves by its new events and their sources.
 */
export const BULK_VERSION = (t: string, { events = true, sources = true } = {}) => {
	const writes = `${events ? 1 : 0} + ${sources ? '1 + coalesce(json_array_length(s.more), 0)' : '0'}`;
	return `UPDATE data_version SET n = n + a.writes
	FROM (SELECT issue_id, sum(writes) AS writes FROM (${ADDED(t, writes)}) GROUP BY issue_id) a WHERE data_version.scope = a.issue_id`;
};

/** What event_insert_activity does, once: each (issue, actor) pair's count and first and last dates take in the new events. */
export const BULK_ACTIVITY = (t: string) => `INSERT INTO issue_actor_activity (issue_id, actor_id, events, first, last)
	SELECT issue_id, actor_id, count(*), min(date), max(date) FROM (${ADDED(t)}) WHERE true GROUP BY issue_id, actor_id
	ON CONFLICT (issue_id, actor_id) DO UPDATE SET events = events + excluded.events, first = min(first, excluded.first), last = max(last, excluded.last)`;

/** The run's events start after this id (the new events are exactly those above it, inside the final batch). */
const EVENT_OFFSET = '(SELECT event_offset FROM import_run WHERE id = ?1)';

/**
 * BULK_VERSION for a batch that built the event indexes again: its new events are all the events
 * above the run's offset, counted by issue along the (issue, date) index (it covers the id), with
 * no lookup per staged row and no sort (measured on 1,000,000 new events: 66 ms of CPU against
 * 452 for the count through the staging table). Used only there: the index is then read whole,
 * which for a small import into a large table would cost more than the lookups.
 */
export const BULK_VERSION_INDEXED = ({ events = true, sources = true } = {}) => {
	const each = (events ? 1 : 0) + (sources ? 1 : 0);
	const parts = [`SELECT issue_id, count(*) * ${each} AS writes FROM stance_event WHERE id > ${EVENT_OFFSET} GROUP BY issue_id`];
	// Further sources (ordinal 1 on) add one each; their events' first sources are counted above.
	if (sources) {
		parts.push(`SELECT e.issue_id, count(*) FROM source so JOIN stance_event e ON e.id = so.event_id
			WHERE so.event_id > ${EVENT_OFFSET} AND so.ordinal > 0 GROUP BY e.issue_id`);
	}
	return `UPDATE data_version SET n = n + a.writes
	FROM (SELECT issue_id, sum(writes) AS writes FROM (${parts.join(' UNION ALL ')}) GROUP BY issue_id) a WHERE data_version.scope = a.issue_id`;
};

/** BULK_ACTIVITY for a batch that built the event indexes again, along the (actor, issue, date, ...) index (see BULK_VERSION_INDEXED: 168 ms against 857). */
export const BULK_ACTIVITY_INDEXED = `INSERT INTO issue_actor_activity (issue_id, actor_id, events, first, last)
	SELECT issue_id, actor_id, count(*), min(date), max(date) FROM stance_event WHERE id > ${EVENT_OFFSET} GROUP BY issue_id, actor_id
	ON CONFLICT (issue_id, actor_id) DO UPDATE SET events = events + excluded.events, first = min(first, excluded.first), last = max(last, excluded.last)`;

/** A context event's insert (unless it is stored already) and its history row (only when it was inserted). */
function contextStatements(c: ContextEventInput, by: Author): InStatement[] {
	const v = contextRecord(c);
	return [
		{
			sql: `INSERT INTO context_event (issue_id, date, date_precision, end_date, label, outlet, source_title, source_url, source_published_on)
				SELECT i.id, ?, ?, ?, ?, ?, ?, ?, ? FROM issue i WHERE i.slug = ? AND NOT EXISTS (SELECT 1 FROM context_event c WHERE c.issue_id = i.id
				AND c.date = ? AND c.end_date IS ? AND c.label = ? AND c.deleted_at IS NULL)`,
			args: [v.date, v.datePrecision, v.endDate, v.label, v.source.outlet, v.source.title, v.source.url, v.source.publishedOn, v.issue, v.date, v.endDate, v.label]
		},
		{
			sql: `INSERT INTO change (entity, entity_id, action, user_id, token_id, via, after) SELECT 'context', last_insert_rowid(), 'create', ?, ?, ?, ? WHERE changes() = 1`,
			args: [by.userId, by.tokenId ?? null, by.via, JSON.stringify(v)]
		}
	];
}

/** The one batch that makes the import visible. Returns how many events were new. */
export async function commitImport(idb: ImportDb, id: number, f: Finish): Promise<{ newEvents: number; present: number }> {
	const t = stagingTable(id);
	const rebuild = f.rebuild?.length ? f.rebuild : null;
	const suspended = f.triggers ?? [];
	const has = (name: (typeof BULK_TRIGGERS)[number]) => suspended.some((tr) => tr.name === name);
	const actors = JSON.stringify(f.newActors);
	const issues = JSON.stringify(
		f.newIssues.map((i) => ({
			slug: i.slug,
			title: i.title,
			description: i.description ?? '',
			scale: i.scale,
			minShare: i.minShare ?? null,
			walkBackDays: i.walkBackDays ?? null,
			staleAfterDays: i.staleAfterDays ?? null,
			featured: i.featured ?? []
		}))
	);
	const offsetOf = (table: string) =>
		`max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = '${table}'), 0), coalesce((SELECT max(id) FROM ${table}), 0))`;
	const statements: InStatement[] = [
		// Fails the whole batch (json() of a text that is not JSON) when the run is no longer
		// running: another instance took it for dead and removed it (see ImportTakenOver).
		{ sql: "SELECT json(CASE WHEN EXISTS (SELECT 1 FROM import_run WHERE id = ? AND status = 'running') THEN '1' ELSE 'taken over' END)", args: [id] },
		{
			sql: `UPDATE import_run SET event_offset = ${offsetOf('stance_event')}, actor_offset = ${offsetOf('actor')}, issue_offset = ${offsetOf('issue')} WHERE id = ?`,
			args: [id]
		},
		{
			sql: `INSERT INTO actor (id, slug, name, kind, role, country_code, color)
				SELECT o.actor_offset + j.key + 1, j.value ->> 'slug', j.value ->> 'name', j.value ->> 'kind', j.value ->> 'role', j.value ->> 'countryCode', j.value ->> 'color'
				FROM json_each(?) j, import_run o WHERE o.id = ?`,
			args: [actors, id]
		},
		{
			// Parents come after every new actor exists: a new actor may speak for another new one.
			sql: `UPDATE actor SET parent_id = (SELECT p.id FROM actor p WHERE p.slug = (SELECT j.value ->> 'parent' FROM json_each(?1) j WHERE j.value ->> 'slug' = actor.slug))
				WHERE slug IN (SELECT j.value ->> 'slug' FROM json_each(?1) j WHERE j.value ->> 'parent' IS NOT NULL)`,
			args: [actors]
		},
		{
			sql: `INSERT INTO issue (id, slug, title, description, scale_min, scale_max, change_min_share, walk_back_days, stale_after_days)
				SELECT o.issue_offset + j.key + 1, j.value ->> 'slug', j.value ->> 'title', j.value ->> 'description', j.value ->> '$.scale.min', j.value ->> '$.scale.max',
					j.value ->> 'minShare', j.value ->> 'walkBackDays', j.value ->> 'staleAfterDays'
				FROM json_each(?) j, import_run o WHERE o.id = ?`,
			args: [issues, id]
		},
		{
			// A new issue's featured actors (a dataset's `featured`), in the file's order: stored or new ones.
			sql: `INSERT INTO issue_featured_actor (issue_id, actor_id, ordinal)
				SELECT o.issue_offset + j.key + 1, a.id, f.key
				FROM json_each(?) j, json_each(j.value, '$.featured') f, import_run o, actor a
				WHERE o.id = ? AND a.slug = f.value AND a.deleted_at IS NULL`,
			args: [issues, id]
		},
		{
			sql: `INSERT INTO scale_label (issue_id, value, label)
				SELECT o.issue_offset + j.key + 1, l.value ->> 'value', l.value ->> 'label'
				FROM json_each(?) j, json_each(j.value, '$.scale.labels') l, import_run o WHERE o.id = ?`,
			args: [issues, id]
		},
		// A large import relative to the table (see `rebuildIndexes`): the rows already stored
		// (natural key) are counted and left out first, while the indexes that find them are there;
		// then the secondary indexes are dropped, to be built again below in this same transaction.
		...(rebuild
			? [
					{
						sql: `DELETE FROM ${t} WHERE seq IN (SELECT x.seq FROM (${RESOLVED} FROM ${t} s, import_run o WHERE o.id = ? AND s.actor > 0 AND s.issue > 0) x WHERE ${PRESENT})`,
						args: [id]
					},
					{ sql: 'UPDATE import_run SET present = changes() WHERE id = ?', args: [id] },
					...rebuild.map((i) => `DROP INDEX "${i.name}"`)
				]
			: []),
		...suspended.map((tr) => `DROP TRIGGER "${tr.name}"`),
		{
			sql: `INSERT INTO stance_event (id, actor_id, issue_id, date, date_precision, position, position_low, position_high, kind, summary, quote, quote_language, speaker_id, target_id, confidence, import_id)
				SELECT x.event_id, x.actor_id, x.issue_id, x.date, x.precision, x.position, x.low, x.high, x.kind, x.summary, x.quote, x.lang, x.speaker_id, x.target_id, x.confidence, ?
				FROM (${RESOLVED} FROM ${t} s, import_run o WHERE o.id = ?) x ${rebuild ? '' : `WHERE NOT ${PRESENT}`} ORDER BY x.seq`,
			args: [id, id]
		},
		{ sql: 'UPDATE import_run SET new_events = changes() WHERE id = ?', args: [id] },
		// Kept indexes: the rows already stored were skipped by the insert (deleting them from the
		// staging table first cost as much again: 9 us a row on a re-import of the UN votes).
		...(rebuild ? [] : [{ sql: `UPDATE import_run SET present = (SELECT count(*) FROM ${t}) - new_events WHERE id = ?`, args: [id] }]),
		// Each new event's sources. With the indexes rebuilt, every staged row left became an event
		// (those already stored were deleted above), numbered from the offset: no lookup of it.
		{
			sql: `INSERT INTO source (event_id, ordinal, outlet, title, url, published_on)
				SELECT ${rebuild ? 'o.event_offset + s.seq' : 'e.id'}, 0, s.outlet, s.title, s.url, s.published
				FROM ${t} s, import_run o ${rebuild ? '' : 'JOIN stance_event e ON e.id = o.event_offset + s.seq'}
				WHERE o.id = ?1 ${rebuild ? '' : 'AND e.import_id = ?1'}`,
			args: [id]
		},
		{
			sql: `INSERT INTO source (event_id, ordinal, outlet, title, url, published_on)
				SELECT ${rebuild ? 'o.event_offset + s.seq' : 'e.id'}, j.key + 1, j.value ->> 'outlet', j.value ->> 'title', j.value ->> 'url', j.value ->> 'publishedOn'
				FROM ${t} s, import_run o ${rebuild ? '' : 'JOIN stance_event e ON e.id = o.event_offset + s.seq'}, json_each(s.more) j
				WHERE s.more IS NOT NULL AND o.id = ?1 ${rebuild ? '' : 'AND e.import_id = ?1'}`,
			args: [id]
		},
		// The suspended triggers' work, once, and the triggers back (see BULK_TRIGGERS); after the
		// indexes were built again, along them.
		...(rebuild ?? []).map((i) => i.sql),
		...(has('event_insert_version') || has('source_insert_version')
			? [
					{
						sql: (rebuild ? BULK_VERSION_INDEXED : (o: { events: boolean; sources: boolean }) => BULK_VERSION(t, o))({
							events: has('event_insert_version'),
							sources: has('source_insert_version')
						}),
						args: [id]
					}
				]
			: []),
		...(has('event_insert_activity') ? [{ sql: rebuild ? BULK_ACTIVITY_INDEXED : BULK_ACTIVITY(t), args: [id] }] : []),
		...suspended.map((tr) => tr.sql),
		{
			sql: `UPDATE import_run SET status = 'done', finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), rows_read = ?, rejected = ?,
				created_actors = ?, created_issues = ? WHERE id = ?`,
			args: [f.rowsRead, f.rejected, f.newActors.length, f.newIssues.length, id]
		},
		{
			sql: `INSERT INTO change (entity, entity_id, action, user_id, token_id, via, after)
				SELECT 'import', id, 'create', ?, ?, ?, json_object('file', file, 'format', format, 'rows', rows_read, 'new', new_events,
					'present', present, 'rejected', rejected, 'actorsCreated', json(?), 'issuesCreated', json(?))
				FROM import_run WHERE id = ?`,
			args: [
				f.by.userId,
				f.by.tokenId ?? null,
				f.by.via,
				JSON.stringify(f.newActors.map((a) => a.slug)),
				JSON.stringify(f.newIssues.map((i) => i.slug)),
				id
			]
		},
		...(f.context ?? []).flatMap((c) => contextStatements(c, f.by)),
		`DROP TABLE ${t}`
	];
	await idb.batch(statements, { appendOnly: !!rebuild });
	const r = await idb.all('SELECT new_events, present FROM import_run WHERE id = ?', [id]);
	return { newEvents: Number(r[0]![0]), present: Number(r[0]![1]) };
}

/** Throws an import away: its staging table and its record. The database is as it was before. */
export async function abandonImport(client: Client, id: number): Promise<void> {
	await enqueueWrite(client, () =>
		client.batch([`DROP TABLE IF EXISTS ${stagingTable(id)}`, { sql: 'DELETE FROM import_run WHERE id = ?', args: [id] }], 'write')
	);
}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return (e as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/**
 * Removes what dead imports left: their `running` records and staging tables. A run is dead when
 * its heartbeat is older than the lease (`importLeaseMs`, on the database's clock: whichever host
 * ran it), or at once when it ran on this host in a process that no longer exists (or in this
 * process, without being one of its live imports: a restart that got the same pid). Two cleaners
 * never clash: each removes a run only if its delete still finds the heartbeat it judged, so one
 * wins, and a run that beat meanwhile is left alone. Staging tables with no running record are
 * dropped too. Called when the server and the CLI start, before each import, and by the server
 * every lease period.
 */
export async function cleanupAbandonedImports(client: Client, { leaseMs = importLeaseMs() } = {}): Promise<number[]> {
	// Tables first, then runs: a run is recorded before its table is created, so a table listed
	// here whose run is not among the running ones read after is an orphan, never a new import.
	const tables = await client.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'import_staging_%'");
	const running = await client.execute({
		sql: `SELECT id, host, pid, heartbeat_at, heartbeat_at IS NULL OR heartbeat_at < ${DB_NOW_MS} - ? FROM import_run WHERE status = 'running'`,
		args: [leaseMs]
	});
	const removed: number[] = [];
	const live = new Set<number>();
	for (const r of running.rows) {
		const id = Number(r[0]);
		const pid = Number(r[2]);
		const here = String(r[1]) === hostname();
		// A run of this pid that this process is not running was left by an earlier process that had
		// the same pid (a container restarted), unless this process is recording a run just now.
		const dead = Number(r[4]) === 1 || (here && (pid === process.pid ? !mine.has(id) && recording === 0 : !alive(pid)));
		if (!dead) {
			live.add(id);
			continue;
		}
		const claimed = await enqueueWrite(client, () =>
			client.execute({ sql: "DELETE FROM import_run WHERE id = ? AND status = 'running' AND heartbeat_at IS ?", args: [id, r[3] ?? null] })
		);
		if (claimed.rowsAffected !== 1) {
			live.add(id);
			continue;
		}
		await enqueueWrite(client, () => client.execute(`DROP TABLE IF EXISTS ${stagingTable(id)}`));
		removed.push(id);
	}
	const orphans = tables.rows
		.map((r) => Number(String(r[0]).slice('import_staging_'.length)))
		.filter((id) => Number.isInteger(id) && !live.has(id) && !removed.includes(id));
	for (const id of orphans) await enqueueWrite(client, () => client.execute(`DROP TABLE IF EXISTS ${stagingTable(id)}`));
	return [...removed, ...orphans];
}

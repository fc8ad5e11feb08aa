import { createWriteStream, type WriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { compileMapping, identityMapping, type CompiledMapping, type JoinTable, type MappingSpec } from '../../domain/fieldMapping';
import { GDELT_COLUMNS, GDELT_ISSUE, GOLDSTEIN_SCALE, gdeltRow } from '../../domain/gdelt';
import { IDEAL_POINTS_ISSUE, IDEAL_POINTS_MIN_SHARE, IDEAL_POINTS_SCALE, IDEAL_POINTS_SOURCE, idealPointsColumns, idealPointsRow } from '../../domain/idealPoints';
import { checkRow, Refs, slugOf, type FieldValues, type ImportField, type RowContext, type RowProblem } from '../../domain/importRow';
import { today as todayOf } from '../../domain/dates';
import { contextEventProblems, parentProblems, scaleProblems } from '../../domain/rules';
import type { ImportFormat, Scale } from '../../domain/types';
import { actorInputSchema, contextEventInputSchema, eventInputSchema, issueInputSchema, sourceInputSchema, toProblems, type ContextEventInput } from '../../schemas/dataset';
import { parseMapping, type Mapping } from '../../schemas/mapping';
import { urlOf, type Db } from '../db/client';
import type { Author } from '../write';
import { datasetItems, DatasetFormatError, type DatasetItem } from './json';
import {
	abandonImport,
	beginImport,
	commitImport,
	countPresent,
	dropStagedRows,
	estimateNew,
	eventIndexes,
	findDuplicates,
	rebuildIndexes,
	ImportTakenOver,
	KeyHashes,
	openImportDb,
	openStager,
	startHeartbeat,
	wasTakenOver,
	cleanupAbandonedImports,
	type StagedRow
} from './staging';
import { ByteCounter, csvRecords, decodedStream, detectDelimiter, isCommentRecord, sniffFile, UsageError } from './text';

export { cleanupAbandonedImports } from './staging';
export { UsageError } from './text';

/**
 * The bulk import: reads a file of any size as a stream (CSV with a column mapping, the
 * stance-tracker/v1 JSON dataset, GDELT event exports, UNGA ideal points), checks every row and
 * collects every problem, stages the good rows and, when the file is clean (or only the good rows
 * are wanted), makes them all visible at once. See staging.ts for the all-or-nothing part.
 */

export interface ImportOptions {
	file: string;
	/** The name recorded in the history (an upload's original name); the file's name otherwise. */
	name?: string;
	format?: ImportFormat;
	mapping?: Mapping;
	/** Where a mapping's joined files are looked for after the imported file's folder. */
	mappingDir?: string;
	createMissing?: boolean;
	encoding?: string;
	goodRowsOnly?: boolean;
	dryRun?: boolean;
	/** The scale of issues created without one of their own (`--scale MIN..MAX`). */
	scale?: { min: number; max: number };
	/** One source for every row that names none. */
	source?: { outlet: string | null; title: string | null };
	/** GDELT: one issue per target actor instead of one issue. */
	issuePerTarget?: boolean;
	by?: Author;
	now?: string;
	onProgress?: (p: ImportProgress) => void;
	/** The full list of problems is written here (tab-separated: line, column, reason). */
	problemsFile?: string;
	/**
	 * Rows per staging chunk (each one short write through the write queue, which holds the event
	 * loop while it runs: 1,000 rows is about 8 ms of CPU).
	 */
	chunkRows?: number;
	/**
	 * The final batch's event indexes: kept up to date row by row, or dropped and built again in
	 * the same batch; `auto` (the default) chooses by the import's size against the table's (see
	 * `rebuildIndexes`).
	 */
	indexes?: 'auto' | 'keep' | 'rebuild';
}

export interface ImportProgress {
	phase: 'reading' | 'checking duplicates' | 'writing' | 'done';
	rows: number;
	bytes: number;
	totalBytes: number;
	problems: number;
}

export interface ImportReport {
	importId: number | null;
	file: string;
	format: ImportFormat;
	encoding: string | null;
	delimiter: string | null;
	/** Data rows read (not counting a header). */
	rows: number;
	/** Events written (for a dry run: that would be written). */
	new: number;
	/** Context events read without a problem (a JSON dataset's `context`); those already stored are not added again. */
	context: number;
	/** Rows whose event is already in the database (natural key). */
	present: number;
	/** Rows refused, each with at least one problem. */
	rejected: number;
	problems: RowProblem[];
	problemCount: number;
	createdActors: string[];
	createdIssues: string[];
	written: boolean;
	dryRun: boolean;
	seconds: number;
}

/** The input cannot be read as asked (an unreadable file, a bad mapping): nothing was written. */
export class ImportRefused extends Error {
	constructor(
		message: string,
		public readonly details: string[] = []
	) {
		super(details.length ? `${message}:\n  ${details.join('\n  ')}` : message);
		this.name = 'ImportRefused';
	}
}

export const PROBLEMS_SHOWN = 100;

/** The format a file name suggests: .json is the dataset, a GDELT export's name is GDELT, else CSV. */
export function formatOf(file: string): ImportFormat {
	const name = basename(file).toLowerCase();
	if (name.endsWith('.json')) return 'json';
	if (/\.export\.csv$/.test(name) || /^\d{8,14}\.export/.test(name)) return 'gdelt';
	return 'csv';
}

/** `MIN..MAX` as a scale range. */
export function parseScaleOption(value: string): { min: number; max: number } | null {
	const m = /^\s*([+-]?\d+(?:\.\d+)?)\s*\.\.\s*([+-]?\d+(?:\.\d+)?)\s*$/.exec(value);
	if (!m) return null;
	const min = Number(m[1]);
	const max = Number(m[2]);
	return min < max ? { min, max } : null;
}

/** Reads and checks a mapping file. */
export async function readMappingFile(file: string): Promise<Mapping> {
	let json: unknown;
	try {
		json = JSON.parse(await readFile(file, 'utf8'));
	} catch (e) {
		throw new ImportRefused(`the mapping ${file} is not readable JSON (${(e as Error).message})`);
	}
	const r = parseMapping(json);
	if (!r.ok) throw new ImportRefused(`the mapping ${file} is not valid`, r.problems.map((p) => `${p.path || '(top)'}: ${p.message}`));
	return r.mapping;
}

interface ReadRow {
	line: number;
	values: FieldValues;
	problems: RowProblem[];
	/** Further sources of a JSON event. */
	more?: string | null;
}

interface Reader {
	encoding: string | null;
	delimiter: string | null;
	columnOf: (field: ImportField) => string;
	rows: AsyncGenerator<ReadRow[]>;
}

async function readJoin(spec: Mapping['join'][number], file: string, mappingDir: string | undefined): Promise<JoinTable> {
	const candidates = [resolve(dirname(file), spec.file), ...(mappingDir ? [resolve(mappingDir, spec.file)] : []), resolve(spec.file)];
	let path: string | null = null;
	for (const c of candidates) {
		try {
			await readFile(c, { flag: 'r' }).then(() => (path = c));
			break;
		} catch {
			/* try the next place */
		}
	}
	if (!path) throw new ImportRefused(`join "${spec.as}": ${spec.file} was found neither beside the imported file nor beside the mapping`);
	const sniffed = await sniffFile(path);
	const counter = new ByteCounter();
	const rows = new Map<string, string[]>();
	let header: string[] | null = null;
	let keyAt = -1;
	for await (const batch of csvRecords(decodedStream(path, sniffed.encoding, counter), { delimiter: detectDelimiter(sniffed.firstLine) })) {
		for (const r of batch) {
			if (!header) {
				header = r.cells;
				keyAt = header.findIndex((h) => h.trim().toLowerCase() === spec.key.toLowerCase());
				if (keyAt < 0) throw new ImportRefused(`join "${spec.as}": ${spec.file} has no column "${spec.key}" (columns: ${header.join(', ')})`);
				continue;
			}
			rows.set((r.cells[keyAt] ?? '').trim(), r.cells);
		}
	}
	return { header: header ?? [], rows };
}

/** The CSV column holding an event's further sources. */
export const MORE_SOURCES = 'more_sources';

/** A `more_sources` cell: a JSON array of sources ({outlet, title, url, publishedOn}), each checked. */
function furtherSources(text: string, line: number, column: string): { json: string | null; problems: RowProblem[] } {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		return { json: null, problems: [{ line, column, reason: 'is not JSON: write a list of sources, [{"outlet": "...", "url": "..."}]' }] };
	}
	if (!Array.isArray(value)) return { json: null, problems: [{ line, column, reason: 'must be a JSON list of sources' }] };
	const problems: RowProblem[] = [];
	const sources = [];
	for (const [j, item] of value.entries()) {
		const r = sourceInputSchema.safeParse(item);
		if (r.success) sources.push(r.data);
		else for (const p of toProblems(r.error)) problems.push({ line, column: `${column}[${j}].${p.path}`, reason: p.message });
	}
	if (sources.length + 1 > 20) problems.push({ line, column, reason: 'an event has at most 20 sources' });
	return { json: sources.length ? JSON.stringify(sources) : null, problems };
}

async function csvReader(o: ImportOptions, counter: ByteCounter, format: 'csv' | 'gdelt' | 'ideal-points'): Promise<Reader> {
	const sniffed = await sniffFile(o.file, o.encoding ?? o.mapping?.encoding);
	const delimiter = format === 'gdelt' ? '\t' : (o.mapping?.delimiter ?? detectDelimiter(sniffed.firstLine));
	const records = csvRecords(decodedStream(o.file, sniffed.encoding, counter), { delimiter, quote: format !== 'gdelt' });
	if (format === 'gdelt') {
		return {
			encoding: sniffed.encoding,
			delimiter,
			columnOf: (f) => GDELT_COLUMNS[f] ?? f,
			rows: (async function* () {
				for await (const batch of records) yield batch.map((r) => ({ line: r.line, ...gdeltRow(r.cells, r.line, o.issuePerTarget) }));
			})()
		};
	}
	// The header comes first; it settles the mapping.
	// Leading comment lines ("# …", each one cell: an export's citation) come before it.
	let first = await records.next();
	while (!first.done && first.value.every((r) => isCommentRecord(r.cells))) first = await records.next();
	if (first.done) throw new ImportRefused(`${o.name ?? o.file} is empty`);
	const [head, ...rest] = first.value.slice(first.value.findIndex((r) => !isCommentRecord(r.cells)));
	const header = head!.cells;
	let apply: (cells: string[], line: number) => { values: FieldValues; problems: RowProblem[] };
	let columnOf: CompiledMapping['columnOf'];
	if (format === 'ideal-points') {
		const cols = idealPointsColumns(header);
		if (!cols.ok) throw new ImportRefused(`${o.name ?? o.file} is not an ideal-points file: it lacks the columns ${cols.missing.join(', ')}`);
		apply = (cells, line) => idealPointsRow(cells, line, cols.at);
		columnOf = (f) => ({ actor: 'iso3c', date: 'session', position: 'IdealPoint', position_low: 'Q5%', position_high: 'Q95%' })[f as string] ?? f;
	} else {
		const spec: MappingSpec = o.mapping ?? identityMapping(header);
		const joins = new Map<string, JoinTable>();
		for (const j of spec.join) joins.set(j.as, await readJoin(j, o.file, o.mappingDir));
		const compiled = compileMapping(spec, header, joins);
		if (!compiled.ok) throw new ImportRefused(o.mapping ? 'the mapping does not fit the file' : 'the file\'s columns cannot be read as events', compiled.problems);
		if (!o.mapping) {
			const missing = (['actor', 'issue', 'date', 'position'] as const).filter((f) => !spec.fields[f]);
			if (missing.length) {
				throw new ImportRefused(
					`the file has no column ${missing.join(', ')} (its columns: ${header.join(', ')}); name the columns so or give a mapping (--map)`
				);
			}
		}
		apply = compiled.mapping.apply;
		columnOf = compiled.mapping.columnOf;
	}
	const width = header.length;
	// The CSV export's further sources of an event (a JSON array, as in the dataset format).
	const moreAt = format === 'csv' ? header.findIndex((h) => h.trim().toLowerCase() === MORE_SOURCES) : -1;
	return {
		encoding: sniffed.encoding,
		delimiter,
		columnOf,
		rows: (async function* () {
			const convert = (r: { line: number; cells: string[] }): ReadRow => {
				if (r.cells.length !== width) {
					return { line: r.line, values: {}, problems: [{ line: r.line, column: '(row)', reason: `has ${r.cells.length} columns; the header has ${width}` }] };
				}
				const row: ReadRow = { line: r.line, ...apply(r.cells, r.line) };
				if (moreAt >= 0 && r.cells[moreAt]!.trim() !== '') {
					const more = furtherSources(r.cells[moreAt]!, r.line, header[moreAt]!);
					row.more = more.json;
					row.problems.push(...more.problems);
				}
				return row;
			};
			if (rest.length) yield rest.map(convert);
			for await (const batch of records) yield batch.map(convert);
		})()
	};
}

/** JSON items as rows: actors and issues are registered as they come; events become field values. */
function jsonReader(o: ImportOptions, counter: ByteCounter, refs: () => Refs, problems: (p: RowProblem) => void, context: ContextEventInput[], now: string): Reader {
	const columnOf = (f: ImportField) => f;
	return {
		encoding: 'utf-8',
		delimiter: null,
		columnOf,
		rows: (async function* () {
			try {
				for await (const batch of datasetItems(o.file, counter)) {
					const out: ReadRow[] = [];
					for (const item of batch) {
						if (item.section === 'context') {
							const c = contextItem(item, refs(), problems, now);
							if (c) context.push(c);
							continue;
						}
						const row = jsonItem(item, refs(), problems);
						if (row) out.push(row);
					}
					if (out.length) yield out;
				}
			} catch (e) {
				if (e instanceof DatasetFormatError) throw new ImportRefused(`${o.name ?? o.file}: ${e.message}`);
				if (e instanceof Error && /Parser/i.test(e.constructor.name + e.message)) throw new ImportRefused(`${o.name ?? o.file} is not valid JSON: ${e.message}`);
				throw e;
			}
		})()
	};
}

const sectionLine = (item: DatasetItem) => item.index + 1;

/** Our field names as the dataset format spells them, for problems in JSON files. */
const JSON_FIELD: Record<string, string> = {
	position_low: 'positionLow',
	position_high: 'positionHigh',
	quote_language: 'quoteLanguage',
	source_outlet: 'sources[0].outlet',
	source_title: 'sources[0].title',
	source_url: 'sources[0].url',
	source_published: 'sources[0].publishedOn'
};

/** A context event of a JSON dataset: its schema and the rules; its issue stored already or listed before it. */
function contextItem(item: DatasetItem, refs: Refs, problem: (p: RowProblem) => void, now: string): ContextEventInput | null {
	const line = sectionLine(item);
	const at = `context[${item.index}]`;
	const r = contextEventInputSchema.safeParse(item.value);
	const raw = typeof item.value === 'object' && item.value !== null ? item.value : {};
	const problems = r.success ? [] : toProblems(r.error);
	problems.push(...contextEventProblems(r.success ? r.data : raw, {}, now));
	const slug = r.success ? r.data.issue : (raw as { issue?: unknown }).issue;
	if (typeof slug === 'string' && refs.issue(slug) === undefined) problems.push({ path: 'issue', message: `unknown issue "${slug}" (an issue must exist or come earlier in the file)` });
	for (const p of problems) problem({ line, column: `${at}.${p.path}`, reason: p.message });
	return problems.length ? null : r.data!;
}

function jsonItem(item: DatasetItem, refs: Refs, problem: (p: RowProblem) => void): ReadRow | null {
	const line = sectionLine(item);
	const at = `${item.section}[${item.index}]`;
	if (item.section === 'actors') {
		const r = actorInputSchema.safeParse(item.value);
		if (!r.success) {
			for (const p of toProblems(r.error)) problem({ line, column: `${at}.${p.path}`, reason: p.message });
			return null;
		}
		const a = r.data;
		const parentOf = (slug: string) => refs.parentOf(slug);
		for (const p of parentProblems(a, { hasActor: (slug) => refs.actor(slug) !== undefined, parentOf })) {
			problem({ line, column: `${at}.${p.path}`, reason: p.message });
		}
		if (refs.actor(a.slug) === undefined) {
			refs.createActor(a.slug, { slug: a.slug, name: a.name, kind: a.kind, countryCode: a.countryCode, color: a.color, parent: a.parent, role: a.role });
		}
		return null;
	}
	if (item.section === 'issues') {
		const r = issueInputSchema.safeParse(item.value);
		if (!r.success) {
			for (const p of toProblems(r.error)) problem({ line, column: `${at}.${p.path}`, reason: p.message });
			return null;
		}
		const bad = scaleProblems(r.data.scale);
		for (const p of bad) problem({ line, column: `${at}.${p.path}`, reason: p.message });
		for (const [k, slug] of (r.data.featured ?? []).entries()) {
			if (refs.actor(slug) === undefined) problem({ line, column: `${at}.featured[${k}]`, reason: `unknown actor "${slug}" (list it under "actors" first)` });
		}
		if (!bad.length && refs.issue(r.data.slug) === undefined) refs.createIssue(r.data.slug, r.data);
		return null;
	}
	// An event: the shape through its schema, the rest through the row check like every format.
	const r = eventInputSchema.safeParse(item.value);
	if (!r.success) {
		return { line, values: {}, problems: toProblems(r.error).map((p) => ({ line, column: `${at}.${p.path}`, reason: p.message })) };
	}
	const e = r.data as typeof r.data & { positionLow?: number | null; positionHigh?: number | null };
	const raw = item.value as Record<string, unknown>;
	const [first, ...others] = e.sources;
	const date = e.datePrecision === 'year' ? e.date.slice(0, 4) : e.datePrecision === 'month' ? e.date.slice(0, 7) : e.date;
	const num = (v: unknown) => (typeof v === 'number' ? String(v) : '');
	const moreProblems: RowProblem[] = [];
	for (const [j, s] of others.entries()) {
		const sr = sourceInputSchema.safeParse(s);
		if (!sr.success) for (const p of toProblems(sr.error)) moreProblems.push({ line, column: `${at}.sources[${j + 1}].${p.path}`, reason: p.message });
	}
	return {
		line,
		values: {
			actor: e.actor,
			issue: e.issue,
			date,
			position: String(e.position),
			position_low: num(raw.positionLow),
			position_high: num(raw.positionHigh),
			kind: e.kind,
			summary: e.summary,
			quote: e.quote ?? '',
			quote_language: e.quoteLanguage ?? '',
			speaker: e.speaker ?? '',
			target: e.target ?? '',
			confidence: e.confidence,
			source_outlet: first?.outlet ?? '',
			source_title: first?.title ?? '',
			source_url: first?.url ?? '',
			source_published: first?.publishedOn ?? ''
		},
		problems: moreProblems,
		more: others.length ? JSON.stringify(others) : null
	};
}

async function knownRefs(db: Db, o: ImportOptions, format: ImportFormat): Promise<Refs> {
	const [actors, issues, labels] = await Promise.all([
		db.$client.execute('SELECT id, slug, name, color FROM actor WHERE deleted_at IS NULL'),
		db.$client.execute('SELECT id, slug, title, scale_min, scale_max FROM issue WHERE deleted_at IS NULL'),
		db.$client.execute('SELECT issue_id, value, label FROM scale_label ORDER BY issue_id, value')
	]);
	const labelsOf = new Map<number, { value: number; label: string }[]>();
	for (const l of labels.rows) {
		const id = Number(l[0]);
		if (!labelsOf.has(id)) labelsOf.set(id, []);
		labelsOf.get(id)!.push({ value: Number(l[1]), label: String(l[2]) });
	}
	const scales = new Map<string, { title?: string; scale: Scale; minShare?: number }>();
	for (const i of o.mapping?.issues ?? []) {
		scales.set(i.slug, { title: i.title, scale: i.scale });
		scales.set(i.title, { title: i.title, scale: i.scale });
	}
	if (format === 'gdelt') scales.set(GDELT_ISSUE, { scale: GOLDSTEIN_SCALE });
	if (format === 'ideal-points') scales.set(IDEAL_POINTS_ISSUE, { scale: IDEAL_POINTS_SCALE, minShare: IDEAL_POINTS_MIN_SHARE });
	const fallback: Scale | null = o.scale
		? { ...o.scale, labels: [{ value: o.scale.min, label: String(o.scale.min) }, { value: o.scale.max, label: String(o.scale.max) }] }
		: format === 'gdelt'
			? GOLDSTEIN_SCALE
			: null;
	return new Refs(
		actors.rows.map((a) => ({ id: Number(a[0]), slug: String(a[1]), name: String(a[2]), color: String(a[3]) })),
		issues.rows.map((i) => ({
			id: Number(i[0]),
			slug: String(i[1]),
			title: String(i[2]),
			scale: { min: Number(i[3]), max: Number(i[4]), labels: labelsOf.get(Number(i[0])) ?? [] }
		})),
		scales,
		fallback
	);
}

/**
 * Imports a file. Resolves with the report; nothing is written when any row is refused (unless
 * `goodRowsOnly`) or for a dry run. Throws ImportRefused when the file cannot be read as asked.
 */
export async function runImport(db: Db, o: ImportOptions): Promise<ImportReport> {
	const started = performance.now();
	const format = o.format ?? formatOf(o.file);
	const client = db.$client;
	const by = o.by ?? { userId: null, via: 'import' as const };
	const now = o.now ?? todayOf();
	const chunkRows = o.chunkRows ?? 1000;
	const counter = new ByteCounter();
	const name = o.name ?? basename(o.file);

	let problemCount = 0;
	let rejected = 0;
	const shown: RowProblem[] = [];
	let problemsOut: WriteStream | null = o.problemsFile ? createWriteStream(o.problemsFile) : null;
	const problem = (p: RowProblem) => {
		problemCount++;
		if (shown.length < PROBLEMS_SHOWN) shown.push(p);
		if (problemsOut && !problemsOut.write(`${p.line}\t${p.column}\t${p.reason.replace(/[\t\n]/g, ' ')}\n`)) {
			/* the stream buffers; it drains as it can */
		}
	};

	const refs = await knownRefs(db, o, format);
	const context: ContextEventInput[] = [];
	const reader =
		format === 'json' ? jsonReader(o, counter, () => refs, (p) => { problem(p); rejected++; }, context, now) : await csvReader(o, counter, format);
	const source =
		format === 'ideal-points' && !o.source
			? IDEAL_POINTS_SOURCE
			: o.source && (o.source.outlet || o.source.title)
				? { outlet: o.source.outlet ?? o.source.title, title: o.source.title }
				: null;
	const ctx: RowContext = {
		refs,
		createMissing: o.createMissing || format === 'json' || format === 'ideal-points' || format === 'gdelt' ? true : false,
		today: now,
		columnOf: reader.columnOf,
		defaultSource: source
	};
	// JSON datasets list their actors and issues; any other name in their events is unknown.
	if (format === 'json') ctx.createMissing = false;
	if ((format === 'gdelt' || format === 'ideal-points') && !o.createMissing) ctx.createMissing = true;

	const totalBytes = (await import('node:fs/promises')).stat(o.file).then((s) => s.size);
	const total = await totalBytes;
	let rows = 0;
	let lastReport = 0;
	const progress = (phase: ImportProgress['phase']) => o.onProgress?.({ phase, rows, bytes: counter.bytes, totalBytes: total, problems: problemCount });

	// IMPORT_TIMING=1 prints how long each phase took (for tuning; see the bench).
	const timing = process.env.IMPORT_TIMING === '1';
	let stagingMs = 0;
	let mark = performance.now();
	let cpu = process.cpuUsage();
	const phase = (what: string) => {
		const used = process.cpuUsage(cpu);
		if (timing) console.error(`[import] at ${((performance.now() - started) / 1000).toFixed(1)} s ${what}: ${(performance.now() - mark).toFixed(0)} ms wall, ${((used.user + used.system) / 1000).toFixed(0)} ms CPU`);
		mark = performance.now();
		cpu = process.cpuUsage();
	};
	// What imports that died elsewhere left behind goes first (their heartbeat stopped).
	await cleanupAbandonedImports(client).catch(() => undefined);
	const importId = await beginImport(client, name, format, by);
	const heartbeat = startHeartbeat(client, importId);
	const url = urlOf(db);
	const file = url?.startsWith('file:') ? url.slice('file:'.length).split('?')[0] : undefined;
	const idb = openImportDb(client, file);
	const hashes = new KeyHashes();
	const stager = openStager(client, idb, importId, hashes);
	// One chunk is staged while the next is read and checked: the reading waits only when it is
	// a whole chunk ahead (so at most two chunks are held).
	let staging: Promise<void> = Promise.resolve();
	const settled = async () => {
		const t = performance.now();
		await staging;
		stagingMs += performance.now() - t;
	};
	const stage = async (rows: StagedRow[]) => {
		heartbeat.check();
		await settled();
		staging = stager(rows);
		// Handled here; the failure is thrown where it is awaited (the next chunk, or the end).
		staging.catch(() => undefined);
	};
	try {
		let chunk: StagedRow[] = [];
		for await (const batch of reader.rows) {
			for (const r of batch) {
				rows++;
				if (r.problems.length) {
					for (const p of r.problems) problem(p);
					rejected++;
					continue;
				}
				const checked = checkRow(r.values, r.line, ctx);
				if (Array.isArray(checked) && typeof checked[0] === 'object') {
					for (const p of checked as RowProblem[]) problem(format === 'json' ? { ...p, column: `events[${p.line - 1}].${JSON_FIELD[p.column] ?? p.column}` } : p);
					rejected++;
					continue;
				}
				const staged = checked as unknown as StagedRow;
				staged.push(r.more ?? null);
				chunk.push(staged);
				if (chunk.length >= chunkRows) {
					await stage(chunk);
					chunk = [];
				}
			}
			if (o.onProgress && performance.now() - lastReport > 200) {
				lastReport = performance.now();
				progress('reading');
			}
			// Let timers and requests in between batches: while the file is read faster than it is
			// checked, every await here resolves at once (a microtask), and a server running this
			// import answered nothing until the whole file had been read (measured: gaps of 1.5 to
			// 4 s during a 200,000-row import).
			await new Promise<void>((r) => setImmediate(r));
		}
		await stage(chunk);
		chunk = [];
		await settled();
		phase(`read, checked and staged (of which waiting for staging ${stagingMs.toFixed(0)} ms)`);
		progress('checking duplicates');

		const dups = await findDuplicates(idb, importId, hashes.candidates());
		phase('duplicates');
		for (const d of dups) {
			problem({ line: d.line, column: '(row)', reason: `duplicate of line ${d.first} (same actor, issue, date, speaker, position, summary and first source)` });
			rejected++;
		}
		refs.settleScales();
		const base = {
			importId: null as number | null,
			file: name,
			format,
			encoding: reader.encoding,
			delimiter: reader.delimiter,
			rows,
			rejected,
			problems: shown,
			problemCount,
			createdActors: refs.newActors.map((a) => a.slug),
			createdIssues: refs.newIssues.map((i) => i.slug),
			context: context.length,
			dryRun: !!o.dryRun
		};
		// A dataset of only actors, issues or context is written too; a file with no good row and nothing new is not.
		const nothingNew = rows - rejected === 0 && !context.length && !refs.newActors.length && !refs.newIssues.length;
		if ((problemCount > 0 && !o.goodRowsOnly) || o.dryRun || nothingNew) {
			const staged = rows - rejected;
			const present = o.dryRun && staged > 0 ? await countPresent(idb, importId) : 0;
			await abandonImport(client, importId);
			progress('done');
			return {
				...base,
				new: o.dryRun ? staged - present : 0,
				present,
				written: false,
				seconds: (performance.now() - started) / 1000
			};
		}
		if (dups.length) await dropStagedRows(idb, importId, dups.map((d) => d.seq));
		progress('writing');
		heartbeat.check();
		const table = await eventIndexes(idb);
		const mode = o.indexes ?? 'auto';
		const fresh = mode === 'auto' ? await estimateNew(idb, importId, rows - rejected) : 0;
		const rebuild = mode === 'rebuild' || (mode === 'auto' && rebuildIndexes(fresh, table.events));
		if (timing) console.error(`[import] ${rebuild ? 'rebuilding' : 'keeping'} ${table.indexes.length} indexes (about ${fresh} new rows into ${table.events})`);
		const done = await commitImport(idb, importId, {
			rebuild: rebuild ? table.indexes : undefined,
			triggers: table.triggers,
			rowsRead: rows,
			rejected,
			newActors: refs.newActors,
			newIssues: refs.newIssues,
			context,
			by
		});
		phase('commit');
		progress('done');
		return { ...base, importId, new: done.newEvents, present: done.present, written: true, seconds: (performance.now() - started) / 1000 };
	} catch (e) {
		await staging.catch(() => undefined);
		// A write that failed because another instance took this import for dead (its table gone).
		if (e instanceof ImportTakenOver || (await wasTakenOver(client, importId).catch(() => false))) {
			throw new ImportRefused(new ImportTakenOver(importId).message);
		}
		await abandonImport(client, importId).catch(() => undefined);
		if (e instanceof ImportRefused || e instanceof UsageError) throw e;
		const err = e as Error & { code?: string; lines?: number };
		if (err.code?.startsWith('CSV_')) throw new ImportRefused(`${name} cannot be read as CSV${err.lines ? ` at line ${err.lines}` : ''}: ${err.message}`);
		throw e;
	} finally {
		heartbeat.stop();
		await idb.close();
		if (problemsOut) {
			const out = problemsOut;
			problemsOut = null;
			await new Promise<void>((r) => out.end(r));
		}
	}
}

export { slugOf };

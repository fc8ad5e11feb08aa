import { stringify } from 'csv-stringify';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Db } from '../db/client';
import { citationLines, safeCell } from '../exportData';
import { contextSpan } from '../../domain/context';
import type { DatePrecision, IssueRules, StanceEvent } from '../../domain/types';
import { EVENT_COLUMNS, EVENT_FROM, eventOfRow, sourcesOfEvents } from '../queries/eventRows';
import { citationOf, type Citation } from '../../domain/citation';
import { normalAt } from '../../domain/asof';

/**
 * The whole dataset, or a filter of it, written as a stream: the stance-tracker/v1 JSON that
 * `import` reads back (actors, then issues, then events, then the issues' context events), or CSV with the chart exports' safe
 * cell rules. Events are read a page at a time (by id), never all at once.
 */

export interface ExportOptions {
	format: 'json' | 'csv';
	/** A file to write; standard output when neither this nor `stream` is given. */
	file?: string;
	/** A stream to write to instead (the caller ends it). */
	stream?: Writable;
	actors?: string[];
	issues?: string[];
	/** Inclusive date range (YYYY-MM-DD). */
	from?: string;
	to?: string;
	/** The site's address, for the citation (default: ORIGIN, else http://localhost:3000). */
	origin?: string;
}

/**
 * The citation of a dataset export: pinned to the latest change recorded when it starts (the
 * `asof` a view of the same data would take to show the same record).
 */
async function datasetCitation(db: Db, o: ExportOptions): Promise<Citation> {
	const rs = await db.$client.execute('SELECT at FROM change ORDER BY id DESC LIMIT 1');
	const asof = rs.rows[0] ? normalAt(String(rs.rows[0][0])) : new Date().toISOString();
	const filter = [
		o.actors?.length ? `actors ${o.actors.join(', ')}` : '',
		o.issues?.length ? `issues ${o.issues.join(', ')}` : '',
		o.from || o.to ? `dates ${o.from ?? '…'} to ${o.to ?? '…'}` : ''
	].filter(Boolean);
	const origin = (o.origin ?? process.env.ORIGIN ?? 'http://localhost:3000').replace(/\/$/, '');
	return citationOf({ title: `Stance Tracker dataset${filter.length ? ` (${filter.join('; ')})` : ''}`, url: `${origin}/`, asof, accessed: new Date().toISOString().slice(0, 10) });
}

const PAGE = 5000;

interface EventOut {
	actor: string;
	issue: string;
	date: string;
	datePrecision: string;
	position: number;
	positionLow?: number;
	positionHigh?: number;
	kind: string;
	summary: string;
	quote: string | null;
	quoteLanguage: string | null;
	speaker: string | null;
	target: string | null;
	confidence: string;
	sources: { outlet: string; title: string | null; url: string | null; publishedOn: string | null }[];
}

const CSV_HEADER = [
	'date', 'date_precision', 'actor', 'actor_name', 'issue', 'issue_title', 'position', 'position_low', 'position_high',
	'kind', 'speaker', 'target', 'summary', 'quote', 'quote_language', 'confidence',
	'source_outlet', 'source_title', 'source_url', 'source_published', 'more_sources'
];

/** An event as the dataset format writes it: slugs, no id or version, an interval only when there is one. */
function datasetEvent(e: StanceEvent): EventOut {
	const out: EventOut = {
		actor: e.actor,
		issue: e.issue,
		date: e.date,
		datePrecision: e.datePrecision,
		position: e.position,
		kind: e.kind,
		summary: e.summary,
		quote: e.quote,
		quoteLanguage: e.quoteLanguage,
		speaker: e.speaker,
		target: e.target,
		confidence: e.confidence,
		sources: e.sources
	};
	if (e.positionLow != null) out.positionLow = e.positionLow;
	if (e.positionHigh != null) out.positionHigh = e.positionHigh;
	return out;
}

/**
 * An issue's settings as the dataset format writes them, each only when set: its featured actors
 * (those the file lists) and its change rules. Row: [.., change_min_share, walk_back_days,
 * stale_after_days, featured slugs as a JSON array] from column 6.
 */
function issueSettings(i: readonly unknown[], listed: ReadonlySet<string>): { featured?: string[]; rules?: IssueRules } {
	const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
	const rules: IssueRules = { minShare: num(i[6]), walkBackDays: num(i[7]), staleAfterDays: num(i[8]) };
	const featured = (JSON.parse(String(i[9] ?? '[]')) as string[]).filter((slug) => listed.has(slug));
	return {
		...(featured.length ? { featured } : {}),
		...(rules.minShare !== null || rules.walkBackDays !== null || rules.staleAfterDays !== null ? { rules } : {})
	};
}

async function write(out: Writable, chunk: string) {
	if (!out.write(chunk)) await once(out, 'drain');
}

/** Writes the export; resolves with the number of events written. */
export async function exportDataset(db: Db, o: ExportOptions): Promise<number> {
	const c = db.$client;
	const where: string[] = ['e.deleted_at IS NULL', 'a.deleted_at IS NULL', 'i.deleted_at IS NULL'];
	const args: (string | number)[] = [];
	if (o.actors?.length) {
		where.push(`a.slug IN (${o.actors.map(() => '?').join(', ')})`);
		args.push(...o.actors);
	}
	if (o.issues?.length) {
		where.push(`i.slug IN (${o.issues.map(() => '?').join(', ')})`);
		args.push(...o.issues);
	}
	if (o.from) {
		where.push('e.date >= ?');
		args.push(o.from);
	}
	const until = o.to;
	if (until) {
		where.push('e.date <= ?');
		args.push(until);
	}
	const filtered = !!(o.actors?.length || o.issues?.length || o.from || until);
	const sink: Writable = o.file ? createWriteStream(o.file) : (o.stream ?? process.stdout);
	let count = 0;
	const citation = await datasetCitation(db, o);

	const eventPages = async function* (): AsyncGenerator<EventOut[]> {
		let after = 0;
		for (;;) {
			const page = await c.execute({
				sql: `SELECT ${EVENT_COLUMNS} ${EVENT_FROM} WHERE ${where.join(' AND ')} AND e.id > ? ORDER BY e.id LIMIT ${PAGE}`,
				args: [...args, after]
			});
			if (!page.rows.length) return;
			const rows = page.rows.map((r) => r as unknown as unknown[]);
			after = Number(rows[rows.length - 1]![0]);
			const sources = await sourcesOfEvents(db, rows.map((r) => Number(r[0])));
			yield rows.map((r) => datasetEvent(eventOfRow(r, sources)));
		}
	};

	try {
		if (o.format === 'json') {
			// Actors and issues first: all live ones, or for a filter those its events name (with parents).
			const actorRows = await c.execute({
				sql: `SELECT a.slug, a.name, a.kind, p.slug, a.role, a.country_code, a.color FROM actor a LEFT JOIN actor p ON p.id = a.parent_id
					WHERE a.deleted_at IS NULL ${
						filtered
							? `AND a.id IN (WITH RECURSIVE used(id) AS (SELECT e.actor_id FROM stance_event e JOIN actor a ON a.id = e.actor_id JOIN issue i ON i.id = e.issue_id WHERE ${where.join(' AND ')}
								UNION SELECT e.speaker_id FROM stance_event e JOIN actor a ON a.id = e.actor_id JOIN issue i ON i.id = e.issue_id WHERE ${where.join(' AND ')} AND e.speaker_id IS NOT NULL
								UNION SELECT e.target_id FROM stance_event e JOIN actor a ON a.id = e.actor_id JOIN issue i ON i.id = e.issue_id WHERE ${where.join(' AND ')} AND e.target_id IS NOT NULL
								UNION SELECT x.parent_id FROM actor x JOIN used ON x.id = used.id WHERE x.parent_id IS NOT NULL) SELECT id FROM used)`
							: ''
					}
					ORDER BY a.id`,
				args: filtered ? [...args, ...args, ...args] : []
			});
			// Parents before the actors that speak for them, so the file reads back in order.
			const rows = actorRows.rows.map((r) => ({
				slug: String(r[0]),
				name: String(r[1]),
				kind: String(r[2]),
				parent: r[3] as string | null,
				role: r[4] as string | null,
				countryCode: r[5] as string | null,
				color: r[6] as string | null
			}));
			const placed = new Set<string>();
			const ordered: typeof rows = [];
			const bySlug = new Map(rows.map((a) => [a.slug, a]));
			const place = (a: (typeof rows)[number], depth = 0) => {
				if (placed.has(a.slug) || depth > 100) return;
				if (a.parent && bySlug.has(a.parent)) place(bySlug.get(a.parent)!, depth + 1);
				placed.add(a.slug);
				ordered.push(a);
			};
			rows.forEach((a) => place(a));
			const issueRows = await c.execute({
				sql: `SELECT i.id, i.slug, i.title, i.description, i.scale_min, i.scale_max, i.change_min_share, i.walk_back_days, i.stale_after_days,
					(SELECT json_group_array(a.slug) FROM (SELECT a.slug FROM issue_featured_actor f JOIN actor a ON a.id = f.actor_id WHERE f.issue_id = i.id AND a.deleted_at IS NULL ORDER BY f.ordinal, a.id) a)
				FROM issue i WHERE i.deleted_at IS NULL
					${filtered ? `AND i.id IN (SELECT e.issue_id FROM stance_event e JOIN actor a ON a.id = e.actor_id JOIN issue i ON i.id = e.issue_id WHERE ${where.join(' AND ')})` : ''} ORDER BY i.id`,
				args: filtered ? args : []
			});
			const labels = await c.execute('SELECT issue_id, value, label FROM scale_label ORDER BY issue_id, value');
			await write(sink, `{\n"format": "stance-tracker/v1",\n"asof": ${JSON.stringify(citation.asof)},\n"citation": ${JSON.stringify(citation)},\n"actors": [`);
			await write(sink, ordered.map((a) => `\n${JSON.stringify(a)}`).join(','));
			await write(sink, '\n],\n"issues": [');
			await write(
				sink,
				issueRows.rows
					.map((i) =>
						`\n${JSON.stringify({
							slug: i[1],
							title: i[2],
							description: i[3],
							scale: {
								min: Number(i[4]),
								max: Number(i[5]),
								labels: labels.rows.filter((l) => Number(l[0]) === Number(i[0])).map((l) => ({ value: Number(l[1]), label: String(l[2]) }))
							},
							...issueSettings(i as unknown as unknown[], placed)
						})}`
					)
					.join(',')
			);
			await write(sink, '\n],\n"events": [');
			for await (const page of eventPages()) {
				await write(sink, page.map((e) => `${count++ ? ',' : ''}\n${JSON.stringify(e)}`).join(''));
			}
			// Context events of the issues written, in date order (those of a date range touch it).
			const issueIds = issueRows.rows.map((i) => Number(i[0]));
			const context = await c.execute({
				sql: `SELECT i.slug, c.date, c.date_precision, c.end_date, c.label, c.outlet, c.source_title, c.source_url, c.source_published_on
					FROM context_event c JOIN issue i ON i.id = c.issue_id WHERE c.deleted_at IS NULL AND c.issue_id IN (SELECT value FROM json_each(?)) ORDER BY c.date, c.id`,
				args: [JSON.stringify(issueIds)]
			});
			const contextRows = context.rows.filter((r) => {
				const span = contextSpan({ date: String(r[1]), datePrecision: r[2] as DatePrecision, endDate: r[3] as string | null });
				return (!o.from || span.to >= o.from) && (!until || span.from <= until);
			});
			await write(sink, '\n],\n"context": [');
			await write(
				sink,
				contextRows
					.map((r) =>
						`\n${JSON.stringify({
							issue: r[0],
							date: r[1],
							datePrecision: r[2],
							endDate: r[3],
							label: r[4],
							source: { outlet: r[5], title: r[6], url: r[7], publishedOn: r[8] }
						})}`
					)
					.join(',')
			);
			await write(sink, '\n]\n}\n');
		} else {
			const names = await c.execute('SELECT slug, name FROM actor');
			const titles = await c.execute('SELECT slug, title FROM issue');
			const actorName = new Map(names.rows.map((r) => [String(r[0]), String(r[1])]));
			const issueTitle = new Map(titles.rows.map((r) => [String(r[0]), String(r[1])]));
			// The BOM, then the citation's comment lines, then the CSV.
			await write(sink, `\uFEFF${citationLines(citation)}`);
			const csv = stringify({ bom: false, record_delimiter: 'windows', quoted_match: /[",\r\n]/ });
			csv.pipe(sink, { end: false });
			const put = async (cells: (string | number | null)[]) => {
				if (!csv.write(cells.map((v) => safeCell(v)))) await once(csv, 'drain');
			};
			await put(CSV_HEADER);
			for await (const page of eventPages()) {
				for (const e of page) {
					count++;
					const first = e.sources[0];
					await put([
						e.date, e.datePrecision, e.actor, actorName.get(e.actor) ?? e.actor, e.issue, issueTitle.get(e.issue) ?? e.issue,
						e.position, e.positionLow ?? null, e.positionHigh ?? null, e.kind, e.speaker, e.target, e.summary, e.quote,
						e.quoteLanguage, e.confidence, first?.outlet ?? null, first?.title ?? null, first?.url ?? null, first?.publishedOn ?? null,
						// Every further source, as the JSON dataset writes them; `import` reads them back.
						e.sources.length > 1 ? JSON.stringify(e.sources.slice(1)) : null
					]);
				}
			}
			csv.end();
			await once(csv, 'end');
		}
	} finally {
		if (sink !== process.stdout && o.file) {
			sink.end();
			await once(sink, 'finish');
		}
	}
	return count;
}

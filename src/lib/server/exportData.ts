import { stringify } from 'csv-stringify/sync';
import type { CompareModel } from '../charts/compareModel';
import { labelFor } from '../domain/scale';
import type { Actor, Issue, StanceEvent } from '../domain/types';
import { toApiEvent } from './api';
import type { Citation } from '../domain/citation';

/** The CSV columns, in order. Multi-valued source fields are joined with " | ". */
export const CSV_COLUMNS = [
	'id', 'date', 'date_precision', 'actor', 'actor_name', 'issue', 'issue_title', 'position',
	'position_label', 'kind', 'speaker', 'speaker_name', 'target', 'summary', 'quote',
	'quote_language', 'confidence', 'source_outlets', 'source_titles', 'source_urls', 'source_published', 'end_date'
] as const;

/**
 * Neutralises a text cell that a spreadsheet would run as a formula (starting with =, +, -, @,
 * tab or carriage return) by prefixing an apostrophe. Numbers are left as they are.
 */
export function safeCell(value: string | number | null): string | number {
	if (value === null) return '';
	if (typeof value === 'number') return value;
	return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function rowMaker(actors: readonly Actor[], issues: readonly Issue[]) {
	const actorBy = new Map(actors.map((a) => [a.slug, a]));
	const issueBy = new Map(issues.map((i) => [i.slug, i]));
	return (e: StanceEvent) => {
		const issue = issueBy.get(e.issue);
		const join = (f: (s: StanceEvent['sources'][number]) => string | null) => e.sources.map((s) => f(s) ?? '').join(' | ');
		const row: Record<(typeof CSV_COLUMNS)[number], string | number | null> = {
			id: e.id,
			date: e.date,
			date_precision: e.datePrecision,
			actor: e.actor,
			actor_name: actorBy.get(e.actor)?.name ?? e.actor,
			issue: e.issue,
			issue_title: issue?.title ?? e.issue,
			position: e.position,
			position_label: issue ? labelFor(issue.scale, e.position) : null,
			kind: e.kind,
			speaker: e.speaker,
			speaker_name: e.speaker ? (actorBy.get(e.speaker)?.name ?? e.speaker) : null,
			target: e.target,
			summary: e.summary,
			quote: e.quote,
			quote_language: e.quoteLanguage,
			confidence: e.confidence,
			source_outlets: join((s) => s.outlet),
			source_titles: join((s) => s.title),
			source_urls: join((s) => s.url),
			source_published: join((s) => s.publishedOn),
			end_date: null
		};
		return CSV_COLUMNS.map((c) => safeCell(row[c]));
	};
}

/**
 * The context events in view as rows after the events: `kind` is `context`, the id `context-<id>`,
 * the label in `summary`, no actor or position; a span's last day (or period) in `end_date`.
 */
function contextRows(model: Pick<CompareModel, 'panels'>) {
	return model.panels.flatMap((p) =>
		p.context.map((c) => {
			const row: Partial<Record<(typeof CSV_COLUMNS)[number], string | number | null>> = {
				id: `context-${c.id}`,
				date: c.date,
				date_precision: c.datePrecision,
				issue: c.issue,
				issue_title: p.issue.title,
				kind: 'context',
				summary: c.label,
				source_outlets: c.source.outlet,
				source_titles: c.source.title,
				source_urls: c.source.url,
				source_published: c.source.publishedOn,
				end_date: c.endDate
			};
			return CSV_COLUMNS.map((col) => safeCell(row[col] ?? null));
		})
	);
}

/**
 * The leading comment lines of a CSV export, before the header, each ending in CRLF: "# " then the
 * text, never quoted, so tools that skip comment lines (csv-parse's `comment: '#'`, pandas'
 * `comment='#'`) skip them. A straight double quote or a line break in a title would confuse a
 * reader that does not, so they become a curly quote and a space. The importer skips them.
 */
export function citationLines(c: Citation | null): string {
	if (!c) return '';
	const clean = (s: string) => s.replace(/"/g, '”').replace(/[\r\n]+/g, ' ');
	return [`# ${c.site} export. Suggested citation: ${c.text}`, `# asof: ${c.asof}`, `# url: ${c.url}`].map((l) => `${clean(l)}\r\n`).join('');
}

const CSV_OPTIONS = { bom: false, record_delimiter: 'windows', quoted_match: /[",\r\n]/ } as const;

/** Pages of events, as a writer takes them: arrays in memory, or pages read from the database as they are asked for. */
export type EventPages = Iterable<readonly StanceEvent[]> | AsyncIterable<readonly StanceEvent[]>;

/**
 * The pieces of a view's CSV, worked out at once: the head (BOM, citation, header), a writer of a
 * page of event rows, the context rows. Holds no reference to the model afterwards.
 */
function csvWriter(model: Pick<CompareModel, 'panels'>, actors: readonly Actor[], issues: readonly Issue[], citation: Citation | null) {
	const row = rowMaker(actors, issues);
	const context = contextRows(model);
	return {
		head: `\uFEFF${citationLines(citation)}${stringify([CSV_COLUMNS as unknown as string[]], CSV_OPTIONS)}`,
		page: (events: readonly StanceEvent[]) => stringify(events.map(row), CSV_OPTIONS),
		tail: context.length ? stringify(context, CSV_OPTIONS) : ''
	};
}

/**
 * The events in view (`events`, by default the model's), then the context events, as CSV: UTF-8
 * with a BOM, RFC 4180 quoting and CRLF line ends; the citation in leading `# ` lines.
 */
export function eventsCsv(model: CompareModel, actors: readonly Actor[], issues: readonly Issue[], citation: Citation | null = null, events: readonly StanceEvent[] = model.events): string {
	const w = csvWriter(model, actors, issues, citation);
	return `${w.head}${events.length ? w.page(events) : ''}${w.tail}`;
}

/** How many events a paged export reads and serialises at a time. */
export const EXPORT_PAGE = 5000;

/**
 * The view's CSV (see `eventsCsv`) a page of events at a time, as `pages` yields them (read from
 * the database as the response asks for them), so a response never holds the whole file, nor
 * every event, at once. Everything but the events is worked out before it returns: while the
 * response is sent, the model is not kept.
 */
export function eventsCsvPages(
	model: Pick<CompareModel, 'panels'>,
	actors: readonly Actor[],
	issues: readonly Issue[],
	citation: Citation | null,
	pages: EventPages
): AsyncGenerator<string> {
	return csvPieces(csvWriter(model, actors, issues, citation), pages);
}

async function* csvPieces(w: ReturnType<typeof csvWriter>, pages: EventPages): AsyncGenerator<string> {
	yield w.head;
	for await (const page of pages) if (page.length) yield w.page(page);
	if (w.tail) yield w.tail;
}

/** The view's data as JSON: its range, issues, actors, series (points), events (`events`, by default the model's) and context events. */
export function viewJson(model: CompareModel, actors: readonly Actor[], permalink: string, citation: Citation | null = null, events: readonly StanceEvent[] = model.events) {
	const shown = new Set(model.panels.flatMap((p) => p.series.map((s) => s.actor.slug)));
	return {
		permalink,
		...(citation ? { asof: citation.asof, citation } : {}),
		range: model.range,
		issues: model.panels.map((p) => p.issue),
		actors: actors
			.filter((a) => shown.has(a.slug))
			.map(({ slug, name, kind, parent, role, color }) => ({ slug, name, kind, parent, role, color })),
		series: model.panels.flatMap((p) =>
			p.domainSeries.map((s) => ({
				actor: s.actor,
				issue: s.issue,
				points: s.points.map((pt) => ({
					date: pt.date,
					datePrecision: pt.datePrecision,
					position: pt.position,
					label: labelFor(p.issue.scale, pt.position),
					eventId: pt.eventId
				}))
			}))
		),
		events: events.map(toApiEvent),
		/** Context events of the issues shown that touch the range: drawn as lines (a day) or bands (a span). */
		context: model.panels.flatMap((p) => p.context.map(({ version: _v, ...c }) => c))
	};
}

/**
 * The same text as `JSON.stringify(viewJson(...))` with the events `pages` yields, a page at a
 * time: everything but the events is written before it returns (the model is not kept while the
 * response is sent), the events as their pages come.
 */
export function viewJsonPages(
	model: CompareModel,
	actors: readonly Actor[],
	permalink: string,
	citation: Citation | null,
	pages: EventPages
): AsyncGenerator<string> {
	const { events: _e, context, ...head } = viewJson(model, actors, permalink, citation, []);
	return jsonPieces(`${JSON.stringify(head).slice(0, -1)},"events":[`, `],"context":${JSON.stringify(context)}}`, pages);
}

async function* jsonPieces(opening: string, closing: string, pages: EventPages): AsyncGenerator<string> {
	yield opening;
	let first = true;
	for await (const page of pages) {
		if (!page.length) continue;
		yield `${first ? '' : ','}${page.map((e) => JSON.stringify(toApiEvent(e))).join(',')}`;
		first = false;
	}
	yield closing;
}

/**
 * A response body that pulls one piece of text at a time from `pieces`, UTF-8 encoded. A piece
 * that fails (a page that could not be read) errors the body: the download ends unfinished,
 * never passing for a whole file.
 */
export function textStream(pieces: Iterator<string> | AsyncIterator<string>): ReadableStream<Uint8Array> {
	const encoder = new TextEncoder();
	return new ReadableStream<Uint8Array>({
		async pull(controller) {
			const next = await pieces.next();
			if (next.done) controller.close();
			else controller.enqueue(encoder.encode(next.value));
		},
		async cancel() {
			await pieces.return?.(undefined);
		}
	});
}

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
function contextRows(model: CompareModel) {
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

/** The events in view, then the context events, as CSV: UTF-8 with a BOM, RFC 4180 quoting and CRLF line ends; the citation in leading `# ` lines. */
export function eventsCsv(model: CompareModel, actors: readonly Actor[], issues: readonly Issue[], citation: Citation | null = null): string {
	return [...eventsCsvPages(model, actors, issues, citation)].join('');
}

/** How many events a paged export serialises at a time. */
export const EXPORT_PAGE = 5000;

/**
 * The view's CSV (see `eventsCsv`) in pieces of at most `page` events each, so a response can
 * send it as it goes instead of holding the whole file (and a row array per event) at once.
 */
export function* eventsCsvPages(
	model: CompareModel,
	actors: readonly Actor[],
	issues: readonly Issue[],
	citation: Citation | null = null,
	page = EXPORT_PAGE
): Generator<string> {
	yield `\uFEFF${citationLines(citation)}${stringify([CSV_COLUMNS as unknown as string[]], CSV_OPTIONS)}`;
	const row = rowMaker(actors, issues);
	for (let i = 0; i < model.events.length; i += page) yield stringify(model.events.slice(i, i + page).map(row), CSV_OPTIONS);
	const context = contextRows(model);
	if (context.length) yield stringify(context, CSV_OPTIONS);
}

/** The view's data as JSON: its range, issues, actors, series (points), events and context events. */
export function viewJson(model: CompareModel, actors: readonly Actor[], permalink: string, citation: Citation | null = null) {
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
		events: model.events.map(toApiEvent),
		/** Context events of the issues shown that touch the range: drawn as lines (a day) or bands (a span). */
		context: model.panels.flatMap((p) => p.context.map(({ version: _v, ...c }) => c))
	};
}

/**
 * The same text as `JSON.stringify(viewJson(...))`, in pieces of at most `page` events each:
 * everything but the events is written whole, the events a page at a time.
 */
export function* viewJsonPages(
	model: CompareModel,
	actors: readonly Actor[],
	permalink: string,
	citation: Citation | null = null,
	page = EXPORT_PAGE
): Generator<string> {
	const { events: _e, context, ...head } = viewJson({ ...model, events: [] }, actors, permalink, citation);
	const opening = JSON.stringify(head);
	yield `${opening.slice(0, -1)},"events":[`;
	for (let i = 0; i < model.events.length; i += page) {
		yield `${i ? ',' : ''}${model.events.slice(i, i + page).map((e) => JSON.stringify(toApiEvent(e))).join(',')}`;
	}
	yield `],"context":${JSON.stringify(context)}}`;
}

/** A response body that pulls one piece of text at a time from `pieces`, UTF-8 encoded. */
export function textStream(pieces: Iterator<string>): ReadableStream<Uint8Array> {
	const encoder = new TextEncoder();
	return new ReadableStream<Uint8Array>({
		pull(controller) {
			const next = pieces.next();
			if (next.done) controller.close();
			else controller.enqueue(encoder.encode(next.value));
		},
		cancel() {
			pieces.return?.(undefined);
		}
	});
}

import { ACTOR_PALETTE } from './colors';
import { isIsoDate } from './dates';
import { intervalProblems, isFutureDate, positionProblem } from './rules';
import { formatPosition, labelFor } from './scale';
import { characterProblem } from './text';
import {
	ACTOR_KINDS,
	CONFIDENCES,
	EVENT_KINDS,
	type ActorKind,
	type Confidence,
	type DatePrecision,
	type EventKind,
	type IssueRules,
	type Scale
} from './types';

/**
 * One row of a bulk import, checked: the pure part of the importer. A reader (CSV, JSON, GDELT,
 * ideal points) turns each input row into field values (strings, by our field names); `checkRow`
 * turns them into an event ready to stage, or into every problem the row has, each naming the
 * file line and the column. Actors and issues are resolved through `Refs`, which also invents the
 * ones `--create-missing` allows.
 */

/** Our field names, as CSV headers and mapping-file keys. */
export const IMPORT_FIELDS = [
	'actor',
	'issue',
	'date',
	'position',
	'position_low',
	'position_high',
	'speaker',
	'target',
	'kind',
	'summary',
	'quote',
	'quote_language',
	'confidence',
	'source_url',
	'source_title',
	'source_outlet',
	'source_published',
	'actor_name',
	'actor_kind',
	'actor_country_code'
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];
export type FieldValues = Partial<Record<ImportField, string | undefined>>;

/** A refused row: where (file line, column) and why. */
export interface RowProblem {
	line: number;
	column: string;
	reason: string;
}

/** Limits shared with the dataset schema (schemas/dataset.ts). */
export const TEXT_LIMITS = { name: 200, summary: 300, quote: 5000, outlet: 200, title: 500, url: 2000 } as const;

const DATE_DAY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_MONTH = /^(\d{4})-(\d{2})$/;
const DATE_YEAR = /^\d{4}$/;
const LANGUAGE = /^[a-z]{2,3}(-[A-Za-z0-9]+)*$/;
const COUNTRY = /^[A-Z]{2}$/;

/**
 * A date as written in an import: `YYYY-MM-DD`, `YYYY-MM` or `YYYY`, which also sets its precision.
 * @example parseImportDate('2025-07') -> { date: '2025-07-01', precision: 'month' }
 */
export function parseImportDate(value: string): { date: string; precision: DatePrecision } | null {
	if (DATE_DAY.test(value)) return isIsoDate(value) ? { date: value, precision: 'day' } : null;
	const m = DATE_MONTH.exec(value);
	if (m) return Number(m[2]) >= 1 && Number(m[2]) <= 12 ? { date: `${value}-01`, precision: 'month' } : null;
	if (DATE_YEAR.test(value) && value !== '0000') return { date: `${value}-01-01`, precision: 'year' };
	return null;
}

/** A number as written in a file: `1`, `-0.5`, `+2`, `1e3`; an empty string or words are not. */
export function parseNumber(value: string): number | null {
	if (value === '' || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value)) return null;
	const n = Number(value);
	return Number.isFinite(n) ? n : null;
}

/** A slug from a name: lowercase ASCII letters and digits between single hyphens. */
export function slugOf(name: string): string {
	return name
		.normalize('NFD')
		.replace(/\p{M}/gu, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, 80)
		.replace(/-+$/, '');
}

export interface KnownActor {
	id: number;
	slug: string;
	name: string;
}
export interface KnownIssue {
	id: number;
	slug: string;
	title: string;
	scale: Scale;
}

/** An actor the import will create. */
export interface NewActor {
	slug: string;
	name: string;
	kind: ActorKind;
	countryCode: string | null;
	color: string;
	parent?: string | null;
	role?: string | null;
}
/** An issue the import will create; its scale may be settled only at the end (from the positions seen). */
export interface NewIssue {
	slug: string;
	title: string;
	description?: string;
	scale: Scale | null;
	/** Its smallest change, a share of the scale (per-issue change rules); null: the default. */
	minShare?: number | null;
	/** Its walk-back window and staleness period in days (a dataset's `rules`); null: the default. */
	walkBackDays?: number | null;
	staleAfterDays?: number | null;
	/** Actors its page charts first (a dataset's `featured`), by slug, in order. */
	featured?: string[];
	seenMin: number;
	seenMax: number;
}

/**
 * Actors and issues by slug or exact name. A reference is a positive id for a stored record and
 * -(n+1) for the n-th record this import creates.
 */
export class Refs {
	readonly newActors: NewActor[] = [];
	readonly newIssues: NewIssue[] = [];
	private actorRef = new Map<string, number>();
	private issueRef = new Map<string, number>();
	private actorSeen = new Map<string, number>();
	private issueSeen = new Map<string, number>();
	private issueScale = new Map<number, Scale | null>();
	private usedColors: Set<string>;

	constructor(
		actors: readonly (KnownActor & { color?: string })[],
		issues: readonly KnownIssue[],
		/** Scales for issues the import may create, by slug or title (from the mapping file). */
		private readonly issueScales: ReadonlyMap<string, { title?: string; scale: Scale; minShare?: number }> = new Map(),
		/** `--scale MIN..MAX`: the scale of any issue created without one of its own. */
		private readonly defaultScale: Scale | null = null
	) {
		for (const a of actors) {
			this.actorRef.set(a.slug, a.id);
			if (!this.actorRef.has(`name:${a.name}`)) this.actorRef.set(`name:${a.name}`, a.id);
		}
		for (const i of issues) {
			this.issueRef.set(i.slug, i.id);
			if (!this.issueRef.has(`name:${i.title}`)) this.issueRef.set(`name:${i.title}`, i.id);
			this.issueScale.set(i.id, i.scale);
		}
		this.usedColors = new Set(actors.map((a) => a.color ?? ''));
	}

	actor(value: string): number | undefined {
		// Every row names its actor and issue: what a text resolved to is kept under the text (one
		// lookup, not a miss by slug, a concatenation and a second lookup by name).
		const known = this.actorSeen.get(value);
		if (known !== undefined) return known;
		const ref = this.actorRef.get(value) ?? this.actorRef.get(`name:${value}`);
		if (ref !== undefined) this.actorSeen.set(value, ref);
		return ref;
	}

	/** The parent of an actor this import creates (stored actors' parents are not loaded: undefined). */
	parentOf(slug: string): string | null | undefined {
		const ref = this.actorRef.get(slug);
		if (ref === undefined || ref > 0) return undefined;
		return this.newActors[-ref - 1]?.parent ?? null;
	}

	issue(value: string): number | undefined {
		const known = this.issueSeen.get(value);
		if (known !== undefined) return known;
		const ref = this.issueRef.get(value) ?? this.issueRef.get(`name:${value}`);
		if (ref !== undefined) this.issueSeen.set(value, ref);
		return ref;
	}

	/** The scale of a referenced issue; null while a created issue's scale is still open. */
	scaleOf(ref: number): Scale | null {
		return this.issueScale.get(ref) ?? null;
	}

	/** Creates an actor for an unknown name or slug; null when no slug can be made of it. */
	createActor(
		value: string,
		details: { name?: string; kind?: ActorKind; countryCode?: string | null; color?: string | null; parent?: string | null; role?: string | null; slug?: string }
	): number | null {
		const slug = details.slug ?? slugOf(value);
		if (!slug) return null;
		// A new slug may outrank what a text resolved to by name: resolve afresh.
		this.actorSeen.clear();
		const existing = this.actorRef.get(slug);
		if (existing !== undefined) {
			this.actorRef.set(`name:${value}`, existing);
			return existing;
		}
		const looksLikeSlug = value === slug;
		const color =
			details.color ?? ACTOR_PALETTE.find((c) => !this.usedColors.has(c)) ?? ACTOR_PALETTE[this.newActors.length % ACTOR_PALETTE.length]!;
		this.usedColors.add(color);
		this.newActors.push({
			slug,
			name: details.name || (looksLikeSlug ? value : value.trim()),
			kind: details.kind ?? 'country',
			countryCode: details.countryCode ?? null,
			color,
			parent: details.parent ?? null,
			role: details.role ?? null
		});
		const ref = -this.newActors.length;
		this.actorRef.set(slug, ref);
		this.actorRef.set(`name:${value}`, ref);
		return ref;
	}

	createIssue(value: string, given?: { slug: string; title: string; description: string; scale: Scale; featured?: string[]; rules?: IssueRules }): number | null {
		const slug = given?.slug ?? slugOf(value);
		if (!slug) return null;
		this.issueSeen.clear();
		const existing = this.issueRef.get(slug);
		if (existing !== undefined) {
			this.issueRef.set(`name:${value}`, existing);
			return existing;
		}
		const defined = given ?? this.issueScales.get(value) ?? this.issueScales.get(slug);
		const title = defined?.title ?? (value === slug ? value : value.trim());
		const scale = defined?.scale ?? this.defaultScale;
		const minShare = given ? (given.rules?.minShare ?? null) : ((this.issueScales.get(value) ?? this.issueScales.get(slug))?.minShare ?? null);
		this.newIssues.push({
			slug,
			title,
			description: given?.description ?? '',
			scale,
			minShare,
			walkBackDays: given?.rules?.walkBackDays ?? null,
			staleAfterDays: given?.rules?.staleAfterDays ?? null,
			featured: given?.featured ?? [],
			seenMin: Infinity,
			seenMax: -Infinity
		});
		const ref = -this.newIssues.length;
		this.issueRef.set(slug, ref);
		this.issueRef.set(`name:${value}`, ref);
		this.issueScale.set(ref, scale);
		return ref;
	}

	/** Records a position on an issue this import creates without a scale of its own. */
	see(ref: number, position: number) {
		const i = this.newIssues[-ref - 1];
		if (!i) return;
		if (position < i.seenMin) i.seenMin = position;
		if (position > i.seenMax) i.seenMax = position;
	}

	/** Settles the scales of created issues: their own, else the whole-number range of the positions seen. */
	settleScales() {
		for (const i of this.newIssues) {
			if (i.scale) continue;
			let min = Math.floor(Number.isFinite(i.seenMin) ? i.seenMin : -1);
			let max = Math.ceil(Number.isFinite(i.seenMax) ? i.seenMax : 1);
			if (min === max) {
				min -= 1;
				max += 1;
			}
			i.scale = { min, max, labels: [{ value: min, label: String(min) }, { value: max, label: String(max) }] };
		}
	}
}

export interface RowContext {
	refs: Refs;
	createMissing: boolean;
	/** Today (YYYY-MM-DD): nothing may be dated after it. */
	today: string;
	/** The column each field was read from, for problems ("vote" rather than "position"). */
	columnOf: (field: ImportField) => string;
	/** One source for every row that names none (`--source-outlet`, `--source-title`). */
	defaultSource?: { outlet: string | null; title: string | null; url?: string | null } | null;
}

/** A checked event, as the staging table takes it (positional, to keep a million of them cheap). */
export type StagedEvent = [
	line: number,
	actor: number,
	issue: number,
	date: string,
	precision: DatePrecision,
	position: number,
	positionLow: number | null,
	positionHigh: number | null,
	kind: EventKind,
	summary: string,
	quote: string | null,
	quoteLanguage: string | null,
	speaker: number | null,
	target: number | null,
	confidence: Confidence,
	outlet: string,
	title: string | null,
	url: string | null,
	published: string | null
];

const KINDS = new Set<string>(EVENT_KINDS);
const CONFIDENCE_SET = new Set<string>(CONFIDENCES);
const ACTOR_KIND_SET = new Set<string>(ACTOR_KINDS);

function textProblem(value: string, max: number): string | null {
	if (value.length > max) return `must be at most ${max} characters (has ${value.length})`;
	const bad = characterProblem(value);
	if (bad) return bad;
	if (value.includes('\uFFFD')) return 'bad encoding: the text holds bytes that are not valid in the file\'s encoding (choose one with --encoding)';
	return null;
}

function httpUrl(value: string): boolean {
	if (!/^https?:\/\//i.test(value)) return false;
	try {
		new URL(value);
		return true;
	} catch {
		return false;
	}
}

/**
 * Checks one row and returns the event to stage, or every problem the row has.
 * @example checkRow({ actor: 'colombia', issue: 'x', date: '2025-13-01', ... }, 7, ctx)
 *   -> [{ line: 7, column: 'date', reason: '"2025-13-01" is not a date: write YYYY-MM-DD, YYYY-MM or YYYY' }]
 */
/** One row's check in progress: its values and the problems found so far. */
class RowCheck {
	readonly problems: RowProblem[] = [];
	constructor(
		private readonly v: FieldValues,
		private readonly line: number,
		private readonly ctx: RowContext
	) {}

	bad(field: ImportField, reason: string) {
		this.problems.push({ line: this.line, column: this.ctx.columnOf(field), reason });
	}

	get(field: ImportField): string {
		const s = this.v[field];
		return s === undefined ? '' : s.trim();
	}

	opt(field: ImportField, max: number): string | null {
		const s = this.get(field);
		if (s === '') return null;
		const p = textProblem(s, max);
		if (p) this.bad(field, p);
		return s;
	}

	refActor(field: 'actor' | 'speaker' | 'target', required: boolean): number | null {
		const s = this.get(field);
		if (s === '') {
			if (required) this.bad(field, 'is empty: every row needs an actor');
			return null;
		}
		const found = this.ctx.refs.actor(s);
		if (found !== undefined) return found;
		const p = textProblem(s, TEXT_LIMITS.name);
		if (p) {
			this.bad(field, p);
			return null;
		}
		if (!this.ctx.createMissing) {
			this.bad(field, `unknown actor "${s}" (match an actor's slug or exact name, or import with --create-missing)`);
			return null;
		}
		const kind = this.get('actor_kind');
		const cc = this.get('actor_country_code').toUpperCase();
		const created = this.ctx.refs.createActor(s, {
			name: field === 'actor' ? this.get('actor_name') || undefined : undefined,
			kind: field === 'actor' && ACTOR_KIND_SET.has(kind) ? (kind as ActorKind) : field === 'speaker' ? 'person' : 'country',
			countryCode: field === 'actor' && COUNTRY.test(cc) ? cc : null
		});
		if (created === null) this.bad(field, `"${s}" has no letters or digits to make a slug of`);
		return created;
	}

	num(field: ImportField, required: boolean): number | null {
		const s = this.get(field);
		if (s === '') {
			if (required) this.bad(field, 'is empty: every row needs a position');
			return null;
		}
		const n = parseNumber(s);
		if (n === null) this.bad(field, `"${s}" is not a number`);
		return n;
	}
}

export function checkRow(v: FieldValues, line: number, ctx: RowContext): StagedEvent | RowProblem[] {
	const c = new RowCheck(v, line, ctx);
	const problems = c.problems;
	const actor = c.refActor('actor', true);
	const speaker = c.refActor('speaker', false);
	const target = c.refActor('target', false);
	if (c.get('actor_kind') !== '' && !ACTOR_KIND_SET.has(c.get('actor_kind'))) {
		c.bad('actor_kind', `"${c.get('actor_kind')}" is not one of ${ACTOR_KINDS.join(', ')}`);
	}

	// Issue.
	let issue: number | null = null;
	const issueText = c.get('issue');
	if (issueText === '') c.bad('issue', 'is empty: every row needs an issue');
	else {
		const found = ctx.refs.issue(issueText);
		if (found !== undefined) issue = found;
		else if (!ctx.createMissing) c.bad('issue', `unknown issue "${issueText}" (match an issue's slug or exact title, or import with --create-missing)`);
		else {
			const p = textProblem(issueText, TEXT_LIMITS.name);
			if (p) c.bad('issue', p);
			else {
				issue = ctx.refs.createIssue(issueText);
				if (issue === null) c.bad('issue', `"${issueText}" has no letters or digits to make a slug of`);
			}
		}
	}

	// Date.
	const dateText = c.get('date');
	const parsedDate = dateText === '' ? null : parseImportDate(dateText);
	if (dateText === '') c.bad('date', 'is empty: write YYYY-MM-DD, YYYY-MM or YYYY');
	else if (!parsedDate) c.bad('date', `"${dateText}" is not a date: write YYYY-MM-DD, YYYY-MM or YYYY`);
	else if (isFutureDate(parsedDate.date, parsedDate.precision, ctx.today)) c.bad('date', `${dateText} is in the future`);

	// Position and its interval.
	const position = c.num('position', true);
	const low = c.num('position_low', false);
	const high = c.num('position_high', false);
	const issueScale = issue !== null ? ctx.refs.scaleOf(issue) : undefined;
	if (issueScale && position !== null) {
		const off = positionProblem(issueScale, position, issueText);
		if (off) c.bad('position', off.message);
	}
	if (position !== null && (low !== null || high !== null)) {
		for (const p of intervalProblems(position, low, high, issueScale, { low: 'position_low', high: 'position_high' }, issueText)) c.bad(p.path as ImportField, p.message);
	}

	// The rest of the event.
	const kindText = c.get('kind').toLowerCase();
	if (kindText !== '' && !KINDS.has(kindText)) c.bad('kind', `"${c.get('kind')}" is not one of ${EVENT_KINDS.join(', ')}`);
	const confText = c.get('confidence').toLowerCase();
	if (confText !== '' && !CONFIDENCE_SET.has(confText)) c.bad('confidence', `"${c.get('confidence')}" is not one of ${CONFIDENCES.join(', ')}`);
	const summary = c.opt('summary', TEXT_LIMITS.summary);
	const quote = c.opt('quote', TEXT_LIMITS.quote);
	const language = c.get('quote_language');
	if (language !== '' && !LANGUAGE.test(language)) c.bad('quote_language', `"${language}" is not a language tag such as en or es`);

	// Its source: the row's own, else the one given for the whole import.
	let outlet = c.opt('source_outlet', TEXT_LIMITS.outlet);
	let title = c.opt('source_title', TEXT_LIMITS.title);
	let url = c.opt('source_url', TEXT_LIMITS.url);
	if (url !== null && !httpUrl(url)) c.bad('source_url', `"${url}" is not an http(s) URL`);
	const published = c.get('source_published');
	if (published !== '') {
		if (!isIsoDate(published)) c.bad('source_published', `"${published}" is not a date written YYYY-MM-DD`);
		else if (published > ctx.today) c.bad('source_published', `${published} is in the future`);
	}
	if (outlet === null && title === null && url === null && ctx.defaultSource) {
		outlet = ctx.defaultSource.outlet;
		title = ctx.defaultSource.title;
		url = ctx.defaultSource.url ?? null;
	}
	if (outlet === null && url !== null && httpUrl(url)) outlet = new URL(url).hostname.replace(/^www\./, '');
	if (outlet === null) {
		c.bad('source_outlet', 'no source: give a source_outlet column, a source_url, or one source for all rows (--source-outlet)');
	}

	if (problems.length) return problems;
	if (issue! < 0) ctx.refs.see(issue!, position!);
	const scale = ctx.refs.scaleOf(issue!);
	return [
		line,
		actor!,
		issue!,
		parsedDate!.date,
		parsedDate!.precision,
		position!,
		low,
		high,
		(kindText || 'statement') as EventKind,
		// A row without a summary reads as its position's label ("Yes", "+1").
		summary ?? (scale ? labelFor(scale, position!) : formatPosition(position!)),
		quote,
		language || null,
		speaker,
		target,
		(confText || 'medium') as Confidence,
		outlet!,
		title,
		url,
		published || null
	];
}

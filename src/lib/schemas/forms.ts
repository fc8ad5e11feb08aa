/**
 * The editing forms: what a form posts (strings), what the write path takes (the dataset
 * schemas' inputs), and back from the write path's problems to the field each one belongs to.
 * Pure: no Svelte, no database.
 */
import { slugOf } from '../domain/importRow';
import { contextEventProblems, eventProblems, scaleProblems } from '../domain/rules';
import type { Scale } from '../domain/types';
import {
	actorInputSchema,
	contextEventInputSchema,
	eventInputSchema,
	issueInputSchema,
	toProblems,
	type ActorInput,
	type ContextEventInput,
	type EventInput,
	type IssueInput,
	type Problem
} from './dataset';

/** One message per field key ("position", "sources.1.url", "scale.labels"); "_form" for the rest. */
export type FieldErrors = Record<string, string>;

/** Turns a problem of the write path into the field it belongs to and the message shown there. */
export type ProblemMapper = (p: Problem) => { key: string; message: string };

export const FORM_KEY = '_form';

const text = (fd: FormData, key: string): string => {
	const v = fd.get(key);
	return typeof v === 'string' ? v : '';
};
const orNull = (s: string): string | null => (s.trim() === '' ? null : s);
/** Browsers post textareas with CRLF line ends. */
const lf = (s: string) => s.replace(/\r\n?/g, '\n');

/** A number as people type it: "-1", "0.5", "0,5", "−2" (a real minus sign). NaN when it is not one. */
export function parseNumber(s: string): number {
	const t = s.trim().replace(/^[−–]/, '-');
	if (!/^[-+]?(\d+([.,]\d*)?|[.,]\d+)$/.test(t)) return NaN;
	return Number(t.replace(',', '.'));
}

/**
 * A slug from a name: lowercase ASCII letters and digits between single hyphens; the same rule
 * the importers use for actors and issues they create.
 * @example slugify('Ministerio de Defensa (Perú)') === 'ministerio-de-defensa-peru'
 */
export const slugify = slugOf;

/** Adds the write path's problems to `errors`, skipping keys that already hold a form-level error. */
export function addProblems(errors: FieldErrors, problems: readonly Problem[], map: ProblemMapper, skip: ReadonlySet<string> = new Set()): FieldErrors {
	for (const p of problems) {
		const { key, message } = map(p);
		if (skip.has(key)) continue;
		if (!errors[key]) errors[key] = message;
		else if (!errors[key].split('; ').includes(message)) errors[key] += `; ${message}`;
	}
	return errors;
}

const fieldOr = (fields: readonly string[], p: Problem) => {
	const head = p.path.split(/[.[]/)[0] ?? '';
	return fields.includes(head) ? { key: head, message: p.message } : { key: FORM_KEY, message: p.path ? `${p.path}: ${p.message}` : p.message };
};

// ---------------------------------------------------------------------------------------------
// Events

export const SOURCE_FIELDS = ['outlet', 'title', 'url', 'publishedOn'] as const;
export type SourceRowValues = Record<(typeof SOURCE_FIELDS)[number], string>;

export interface EventFormValues {
	actor: string;
	issue: string;
	date: string;
	datePrecision: string;
	position: string;
	/** An optional uncertainty interval: both bounds or neither. */
	positionLow: string;
	positionHigh: string;
	kind: string;
	confidence: string;
	summary: string;
	quote: string;
	quoteLanguage: string;
	speaker: string;
	target: string;
	/** Every row of the form, empty ones too, in the form's order. */
	sources: SourceRowValues[];
}

const EVENT_FIELDS = ['actor', 'issue', 'date', 'datePrecision', 'position', 'positionLow', 'positionHigh', 'kind', 'confidence', 'summary', 'quote', 'quoteLanguage', 'speaker', 'target'] as const;

/** Source rows a form offers beyond the filled ones, for browsers without JavaScript. */
export const SPARE_SOURCE_ROWS = 2;
const MAX_SOURCE_ROWS = 40;

export const emptySource = (): SourceRowValues => ({ outlet: '', title: '', url: '', publishedOn: '' });
const isEmptyRow = (r: SourceRowValues) => SOURCE_FIELDS.every((f) => r[f].trim() === '');

/** The rows a form shows: the given ones, then spare empty rows. */
export function withSpareRows(rows: readonly SourceRowValues[], spare = SPARE_SOURCE_ROWS): SourceRowValues[] {
	const filled = rows.filter((r) => !isEmptyRow(r));
	return [...filled, ...Array.from({ length: Math.max(spare, filled.length === 0 ? spare + 1 : spare) }, emptySource)];
}

/** The form values of a stored event (or of a new one, with prefills). */
export function eventFormValues(e: Partial<EventInput> = {}): EventFormValues {
	return {
		actor: e.actor ?? '',
		issue: e.issue ?? '',
		date: e.date ?? '',
		datePrecision: e.datePrecision ?? 'day',
		position: e.position === undefined ? '' : String(e.position),
		positionLow: e.positionLow == null ? '' : String(e.positionLow),
		positionHigh: e.positionHigh == null ? '' : String(e.positionHigh),
		kind: e.kind ?? 'statement',
		confidence: e.confidence ?? 'medium',
		summary: e.summary ?? '',
		quote: e.quote ?? '',
		quoteLanguage: e.quoteLanguage ?? '',
		speaker: e.speaker ?? '',
		target: e.target ?? '',
		sources: withSpareRows(
			(e.sources ?? []).map((s) => ({ outlet: s.outlet, title: s.title ?? '', url: s.url ?? '', publishedOn: s.publishedOn ?? '' }))
		)
	};
}

/** What an event form posted. Source rows are named `sources.N.outlet` and so on. */
export function readEventForm(fd: FormData): EventFormValues {
	let rows = 0;
	for (const key of fd.keys()) {
		const m = /^sources\.(\d{1,2})\.(outlet|title|url|publishedOn)$/.exec(key);
		if (m) rows = Math.max(rows, Number(m[1]) + 1);
	}
	rows = Math.min(rows, MAX_SOURCE_ROWS);
	const values = Object.fromEntries(EVENT_FIELDS.map((f) => [f, text(fd, f)])) as Omit<EventFormValues, 'sources'>;
	return {
		...values,
		quote: lf(values.quote),
		sources: Array.from({ length: rows }, (_, i) => Object.fromEntries(SOURCE_FIELDS.map((f) => [f, text(fd, `sources.${i}.${f}`)])) as SourceRowValues)
	};
}

export interface ParsedForm<T> {
	/** The input for the write path (it validates again). */
	input: Record<string, unknown>;
	/** The input as the schema reads it, when the schema accepts it. */
	parsed: T | null;
	errors: FieldErrors;
	/** Maps the write path's problems onto this form's fields. */
	map: ProblemMapper;
}

/**
 * Reads an event form into the write path's input, checking what the schema checks. Empty source
 * rows are dropped; problems with `sources[i]` are put on the form row they came from.
 */
export function parseEventForm(values: EventFormValues): ParsedForm<EventInput> {
	const errors: FieldErrors = {};
	const rows: number[] = [];
	const sources = values.sources.flatMap((r, i) => {
		if (isEmptyRow(r)) return [];
		rows.push(i);
		return [{ outlet: r.outlet, title: orNull(r.title), url: orNull(r.url.trim()), publishedOn: orNull(r.publishedOn.trim()) }];
	});
	const position = parseNumber(values.position);
	if (values.position.trim() === '') errors.position = 'enter a position on the scale';
	else if (!Number.isFinite(position)) errors.position = 'must be a number, such as -1 or 0.5';
	// The interval's bounds are optional: empty is none; the rules check both-or-neither and order.
	const bound = (key: 'positionLow' | 'positionHigh') => {
		if (values[key].trim() === '') return null;
		const n = parseNumber(values[key]);
		if (Number.isFinite(n)) return n;
		errors[key] = 'must be a number, such as -1 or 0.5, or empty';
		return undefined;
	};
	const positionLow = bound('positionLow');
	const positionHigh = bound('positionHigh');
	const input: Record<string, unknown> = {
		actor: values.actor,
		issue: values.issue,
		date: values.date.trim(),
		datePrecision: values.datePrecision,
		position: Number.isFinite(position) ? position : undefined,
		positionLow,
		positionHigh,
		kind: values.kind,
		confidence: values.confidence,
		summary: values.summary,
		quote: orNull(values.quote),
		quoteLanguage: orNull(values.quoteLanguage.trim()),
		speaker: orNull(values.speaker),
		target: orNull(values.target),
		sources
	};
	const map: ProblemMapper = (p) => {
		const m = /^sources\[(\d+)\](?:\.(\w+))?/.exec(p.path);
		if (m) {
			const row = rows[Number(m[1])] ?? 0;
			return { key: `sources.${row}.${m[2] ?? 'outlet'}`, message: p.message };
		}
		if (p.path === 'sources') return { key: 'sources', message: p.message };
		return fieldOr(EVENT_FIELDS, p);
	};
	const r = eventInputSchema.safeParse(input);
	if (!r.success) addProblems(errors, toProblems(r.error), map, new Set(Object.keys(errors)));
	return { input, parsed: r.success && Object.keys(errors).length === 0 ? r.data : null, errors, map };
}

/**
 * The write path's checks against what is stored, early, so a form shows them together with the
 * schema's: the position lies on the chosen issue's scale, and no date is in the future. The
 * write path checks again.
 */
export function eventFormProblems(input: Record<string, unknown>, scale: Scale | null, today: string): Problem[] {
	return eventProblems(input, { scaleOf: scale ? () => scale : undefined }, today, { nameIssue: false });
}

// ---------------------------------------------------------------------------------------------
// Actors

export interface ActorFormValues {
	slug: string;
	name: string;
	kind: string;
	parent: string;
	role: string;
	countryCode: string;
	color: string;
	/** No colour of one's own: the palette picks one from the slug. */
	autoColor: boolean;
}

const ACTOR_FIELDS = ['slug', 'name', 'kind', 'parent', 'role', 'countryCode', 'color'] as const;

export function actorFormValues(a?: Partial<ActorInput>): ActorFormValues {
	return {
		slug: a?.slug ?? '',
		name: a?.name ?? '',
		kind: a?.kind ?? 'country',
		parent: a?.parent ?? '',
		role: a?.role ?? '',
		countryCode: a?.countryCode ?? '',
		color: a?.color ?? '#7f7f7f',
		autoColor: !a?.color
	};
}

export function readActorForm(fd: FormData): ActorFormValues {
	const values = Object.fromEntries(ACTOR_FIELDS.map((f) => [f, text(fd, f)])) as Omit<ActorFormValues, 'autoColor'>;
	return { ...values, autoColor: fd.get('autoColor') !== null };
}

/** Reads an actor form; a new actor without a slug gets one made from its name. */
export function parseActorForm(values: ActorFormValues): ParsedForm<ActorInput> {
	const errors: FieldErrors = {};
	const input: Record<string, unknown> = {
		slug: values.slug.trim() || slugify(values.name),
		name: values.name,
		kind: values.kind,
		parent: orNull(values.parent),
		role: orNull(values.role),
		countryCode: orNull(values.countryCode.trim().toUpperCase()),
		color: values.autoColor ? null : values.color.trim().toLowerCase()
	};
	const map: ProblemMapper = (p) => fieldOr(ACTOR_FIELDS, p);
	// With neither a slug nor a name, the name's error says it all.
	const skip = new Set(input.slug === '' && values.slug.trim() === '' ? ['slug'] : []);
	const r = actorInputSchema.safeParse(input);
	if (!r.success) addProblems(errors, toProblems(r.error), map, skip);
	return { input, parsed: r.success ? r.data : null, errors, map };
}

// ---------------------------------------------------------------------------------------------
// Issues

export interface IssueFormValues {
	slug: string;
	title: string;
	description: string;
	min: string;
	max: string;
	/** One labelled value per line: "-2 Halt". */
	labels: string;
	/** Featured actors' slugs, in order; undefined where the form has no such control (a new issue). */
	featured?: string[];
	/** The change rules as typed: the minimum move in percent of the scale, the others in days; empty: the default. */
	minMovePercent: string;
	walkBackDays: string;
	staleAfterDays: string;
}

/** The form's keys of the change rules, as the write path names them. */
export const RULE_KEYS = { minShare: 'rules.minShare', walkBackDays: 'rules.walkBackDays', staleAfterDays: 'rules.staleAfterDays' } as const;

const numberText = (n: number | null | undefined) => (n === null || n === undefined ? '' : String(n));

export function issueFormValues(s?: Partial<IssueInput>): IssueFormValues {
	return {
		slug: s?.slug ?? '',
		title: s?.title ?? '',
		description: s?.description ?? '',
		min: s?.scale ? String(s.scale.min) : '-2',
		max: s?.scale ? String(s.scale.max) : '2',
		labels: (s?.scale?.labels ?? []).map((l) => `${l.value} ${l.label}`).join('\n'),
		featured: s?.featured,
		// A share of the scale shown as a percentage, without float noise (0.15 -> "15", not "15.000000000000002").
		minMovePercent: s?.rules?.minShare == null ? '' : String(Math.round(s.rules.minShare * 1e6) / 1e4),
		walkBackDays: numberText(s?.rules?.walkBackDays),
		staleAfterDays: numberText(s?.rules?.staleAfterDays)
	};
}

export function readIssueForm(fd: FormData): IssueFormValues {
	return {
		slug: text(fd, 'slug'),
		title: text(fd, 'title'),
		description: lf(text(fd, 'description')),
		min: text(fd, 'scale.min'),
		max: text(fd, 'scale.max'),
		labels: lf(text(fd, 'scale.labels')),
		// The checkboxes send nothing when none is ticked: a hidden field says the control was there.
		featured: fd.has('featured.shown') ? fd.getAll('featured').filter((v): v is string => typeof v === 'string') : undefined,
		minMovePercent: text(fd, RULE_KEYS.minShare),
		walkBackDays: text(fd, RULE_KEYS.walkBackDays),
		staleAfterDays: text(fd, RULE_KEYS.staleAfterDays)
	};
}

/**
 * The change rules as the form has them: null for an empty field (the default); problems by field.
 * The minimum move is typed in percent of the scale and stored as a share.
 */
function readRules(values: IssueFormValues, errors: FieldErrors): { minShare: number | null; walkBackDays: number | null; staleAfterDays: number | null } {
	let minShare: number | null = null;
	if (values.minMovePercent.trim() !== '') {
		const pct = parseNumber(values.minMovePercent.replace(/%\s*$/, ''));
		if (!Number.isFinite(pct) || pct < 0 || pct > 100) errors[RULE_KEYS.minShare] = 'must be a percentage from 0 to 100, or empty for the default';
		else minShare = pct / 100;
	}
	const days = (key: 'walkBackDays' | 'staleAfterDays', min: number): number | null => {
		const t = values[key].trim();
		if (t === '') return null;
		if (!/^\d+$/.test(t)) {
			errors[RULE_KEYS[key]] = 'must be a whole number of days, or empty for the default';
			return null;
		}
		const n = Number(t);
		if (n < min) errors[RULE_KEYS[key]] = `must be at least ${min} day${min === 1 ? '' : 's'}`;
		return n;
	};
	return { minShare, walkBackDays: days('walkBackDays', 0), staleAfterDays: days('staleAfterDays', 1) };
}

const LABEL_LINE = /^\s*([-+−–]?(?:\d+(?:[.,]\d*)?|[.,]\d+))\s*[:=]?\s+(.*\S)\s*$/;

/**
 * Reads an issue form. Problems with the scale's labels name the line of the textarea they are on
 * ("line 3: …"); problems with min and max go beside those fields.
 */
export function parseIssueForm(values: IssueFormValues): ParsedForm<IssueInput> {
	const errors: FieldErrors = {};
	const lineOf: number[] = [];
	const lineErrors: string[] = [];
	const labels: { value: number; label: string }[] = [];
	values.labels.split('\n').forEach((line, i) => {
		if (line.trim() === '') return;
		const m = LABEL_LINE.exec(line);
		if (!m) {
			lineErrors.push(`line ${i + 1}: write the value, then its label, such as "-2 Halt"`);
			return;
		}
		lineOf.push(i + 1);
		labels.push({ value: parseNumber(m[1]!), label: m[2]! });
	});
	const min = parseNumber(values.min);
	const max = parseNumber(values.max);
	if (!Number.isFinite(min)) errors['scale.min'] = 'must be a number';
	if (!Number.isFinite(max)) errors['scale.max'] = 'must be a number';
	if (lineErrors.length) errors['scale.labels'] = lineErrors.join('; ');
	const input: Record<string, unknown> = {
		slug: values.slug.trim() || slugify(values.title),
		title: values.title,
		description: values.description,
		scale: { min: Number.isFinite(min) ? min : undefined, max: Number.isFinite(max) ? max : undefined, labels },
		...(values.featured ? { featured: values.featured } : {}),
		rules: readRules(values, errors)
	};
	const map: ProblemMapper = (p) => {
		const m = /^scale\.labels(?:\[(\d+)\]|\.(\d+))(?:\.(value|label))?/.exec(p.path);
		if (m) {
			const line = lineOf[Number(m[1] ?? m[2])];
			const what = m[3] === 'value' ? 'the value ' : m[3] === 'label' ? 'the label ' : '';
			return { key: 'scale.labels', message: `line ${line}: ${what}${p.message}` };
		}
		if (p.path === 'scale.labels' || p.path === 'scale.min' || p.path === 'scale.max') return { key: p.path, message: p.message };
		if (p.path === 'scale') return { key: 'scale.labels', message: p.message };
		if (p.path.startsWith('featured')) return { key: 'featured', message: p.message };
		// The form shows the minimum move in percent: the share's limits read as 0 to 100 there.
		if (p.path === RULE_KEYS.minShare) return { key: p.path, message: 'must be a percentage from 0 to 100' };
		if (p.path === RULE_KEYS.walkBackDays || p.path === RULE_KEYS.staleAfterDays) return { key: p.path, message: p.message };
		return fieldOr(['slug', 'title', 'description'], p);
	};
	const skip = new Set(Object.keys(errors));
	if (input.slug === '' && values.slug.trim() === '') skip.add('slug');
	const r = issueInputSchema.safeParse(input);
	if (!r.success) addProblems(errors, toProblems(r.error), map, skip);
	if (Number.isFinite(min) && Number.isFinite(max)) {
		// The scale's own rules (min below max, labels within it, no value twice), as the write path applies them.
		addProblems(errors, scaleProblems({ min, max, labels }), map, skip);
	}
	return { input, parsed: r.success && Object.keys(errors).length === 0 ? r.data : null, errors, map };
}

// ---------------------------------------------------------------------------------------------
// Context events

export const CONTEXT_FIELDS = ['date', 'datePrecision', 'endDate', 'label', 'source.outlet', 'source.title', 'source.url', 'source.publishedOn'] as const;
export type ContextFormValues = Record<(typeof CONTEXT_FIELDS)[number], string>;

export function contextFormValues(c?: Partial<ContextEventInput>): ContextFormValues {
	return {
		date: c?.date ?? '',
		datePrecision: c?.datePrecision ?? 'day',
		endDate: c?.endDate ?? '',
		label: c?.label ?? '',
		'source.outlet': c?.source?.outlet ?? '',
		'source.title': c?.source?.title ?? '',
		'source.url': c?.source?.url ?? '',
		'source.publishedOn': c?.source?.publishedOn ?? ''
	};
}

export function readContextForm(fd: FormData): ContextFormValues {
	return Object.fromEntries(CONTEXT_FIELDS.map((k) => [k, text(fd, k)])) as ContextFormValues;
}

const blankToNull = (s: string) => (s.trim() === '' ? null : s);

/** A context event's form, through the one schema and the rules: the input, or errors by field. */
export function parseContextForm(values: ContextFormValues, issue: string, today: string): ParsedForm<ContextEventInput> {
	const input: Record<string, unknown> = {
		issue,
		date: values.date.trim(),
		datePrecision: values.datePrecision,
		endDate: blankToNull(values.endDate.trim()),
		label: values.label,
		source: {
			outlet: values['source.outlet'],
			title: blankToNull(values['source.title']),
			url: blankToNull(values['source.url'].trim()),
			publishedOn: blankToNull(values['source.publishedOn'].trim())
		}
	};
	const map: ProblemMapper = (p) =>
		(CONTEXT_FIELDS as readonly string[]).includes(p.path) ? { key: p.path, message: p.message } : p.path === 'source' ? { key: 'source.outlet', message: p.message } : fieldOr([], p);
	const r = contextEventInputSchema.safeParse(input);
	const problems = [...(r.success ? [] : toProblems(r.error)), ...contextEventProblems(r.success ? r.data : input, {}, today)];
	return { input, parsed: r.success ? r.data : null, errors: addProblems({}, problems, map), map };
}

import { formatDate } from './dates';
import { formatPosition, labelFor } from './scale';
import type { Entity, IssueRules, Scale } from './types';

/** The fields people read in a record of each kind, in form order, with their labels. */
export const RECORD_FIELDS: Record<Entity, readonly (readonly [key: string, label: string])[]> = {
	event: [
		['actor', 'Actor'],
		['issue', 'Issue'],
		['date', 'Date'],
		['datePrecision', 'Date precision'],
		['position', 'Position'],
		['kind', 'Kind'],
		['confidence', 'Confidence'],
		['summary', 'Summary'],
		['quote', 'Quote'],
		['quoteLanguage', 'Quote language'],
		['speaker', 'Speaker'],
		['target', 'Target'],
		['sources', 'Sources']
	],
	actor: [
		['slug', 'Slug'],
		['name', 'Name'],
		['kind', 'Kind'],
		['parent', 'Speaks for'],
		['role', 'Role'],
		['countryCode', 'Country code'],
		['color', 'Colour']
	],
	issue: [
		['slug', 'Slug'],
		['title', 'Title'],
		['description', 'Description'],
		['scale', 'Scale'],
		['rules', 'Change rules']
	],
	import: [
		['file', 'File'],
		['format', 'Format'],
		['rows', 'Rows read'],
		['new', 'New events'],
		['present', 'Already present'],
		['rejected', 'Rejected rows']
	],
	confirmation: [
		['class', 'Class'],
		['reason', 'Reason']
	],
	context: [
		['issue', 'Issue'],
		['date', 'Date'],
		['datePrecision', 'Date precision'],
		['endDate', 'End date'],
		['label', 'Label'],
		['source', 'Source']
	]
};

/** Names to show instead of slugs; anything not found is shown as its slug. */
export interface RecordNames {
	actors?: ReadonlyMap<string, string>;
	issues?: ReadonlyMap<string, { title: string; scale: Scale }>;
}

type Rec = Record<string, unknown> | null | undefined;

const isEmpty = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

/** Compares two field values as stored: null, undefined and '' are the same "nothing". */
export function sameValue(a: unknown, b: unknown): boolean {
	if (isEmpty(a) && isEmpty(b)) return true;
	return JSON.stringify(a) === JSON.stringify(b);
}

function formatSources(value: unknown): string {
	if (!Array.isArray(value)) return String(value);
	return value
		.map((s: Record<string, unknown>, i) => {
			const parts = [s.outlet, s.title, s.url, s.publishedOn].filter((p) => !isEmpty(p)).map(String);
			return `${i + 1}. ${parts.join(' · ')}`;
		})
		.join('\n');
}

function formatScale(value: unknown): string {
	const s = value as Partial<Scale> | null;
	if (!s || typeof s !== 'object') return String(value);
	const labels = (s.labels ?? []).map((l) => `${formatPosition(l.value)} ${l.label}`).join(', ');
	return `${s.min} to ${s.max}${labels ? `: ${labels}` : ''}`;
}

function formatRules(value: unknown): string {
	const r = value as Partial<IssueRules> | null;
	if (!r || typeof r !== 'object') return String(value);
	const part = (v: number | null | undefined, text: (n: number) => string) => (v === null || v === undefined ? 'default' : text(v));
	return [
		`smallest change ${part(r.minShare, (n) => `${Math.round(n * 1e6) / 1e4}% of the scale`)}`,
		`walk-back window ${part(r.walkBackDays, (n) => `${n} days`)}`,
		`staleness period ${part(r.staleAfterDays, (n) => `${n} days`)}`
	].join('; ');
}

/**
 * One field of a record as a person reads it: names for slugs, labels beside positions, dates
 * no more exact than their precision, "—" for nothing.
 * @example formatField('position', 1, { issue: 'intel', … }, names) === '1 (Maintain)'
 */
export function formatField(key: string, value: unknown, record: Rec, names: RecordNames = {}): string {
	if (isEmpty(value)) return '—';
	switch (key) {
		case 'actor':
		case 'speaker':
		case 'target':
		case 'parent':
			return names.actors?.get(String(value)) ?? String(value);
		case 'issue':
			return names.issues?.get(String(value))?.title ?? String(value);
		case 'date': {
			const precision = record?.datePrecision;
			return formatDate(String(value), precision === 'month' || precision === 'year' ? precision : 'day');
		}
		case 'position': {
			const n = Number(value);
			const scale = names.issues?.get(String(record?.issue ?? ''))?.scale;
			return scale && Number.isFinite(n) ? `${formatPosition(n)} (${labelFor(scale, n)})` : String(value);
		}
		case 'endDate': {
			const precision = record?.datePrecision;
			return formatDate(String(value), precision === 'month' || precision === 'year' ? precision : 'day');
		}
		case 'sources':
			return formatSources(value);
		case 'source':
			return formatSources([value]).replace(/^1\. /, '');
		case 'scale':
			return formatScale(value);
		case 'rules':
			return formatRules(value);
		default:
			return typeof value === 'object' ? JSON.stringify(value) : String(value);
	}
}

export interface FieldComparison {
	key: string;
	label: string;
	before: string;
	after: string;
	differs: boolean;
}

/**
 * Two versions of a record, field by field, for a conflict (yours and the stored one) or a
 * history entry (before and after). Fields outside the entity's list are left out.
 */
export function compareRecords(entity: Entity, before: Rec, after: Rec, names: RecordNames = {}): FieldComparison[] {
	return RECORD_FIELDS[entity].map(([key, label]) => ({
		key,
		label,
		before: before ? formatField(key, before[key], before, names) : '—',
		after: after ? formatField(key, after[key], after, names) : '—',
		differs: !sameValue(before?.[key], after?.[key])
	}));
}

/** Only the fields that changed. */
export function changedFields(entity: Entity, before: Rec, after: Rec, names: RecordNames = {}): FieldComparison[] {
	return compareRecords(entity, before, after, names).filter((f) => f.differs);
}

/**
 * A recorded time as people read it, in UTC so that the server and the browser agree.
 * @example formatStamp('2025-11-20T14:03:09.123Z') === '20 November 2025, 14:03 UTC'
 */
export function formatStamp(at: string): string {
	const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})/.exec(at);
	return m ? `${formatDate(m[1]!)}, ${m[2]} UTC` : at;
}

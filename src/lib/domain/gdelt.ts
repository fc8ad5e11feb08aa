import { cameoLabel } from './cameo';
import type { FieldValues, RowProblem } from './importRow';
import type { Scale } from './types';

/**
 * GDELT 1.0 and 2.0 event exports (tab-separated, no header) as stance events:
 * Actor1 -> actor, Actor2 -> target, SQLDATE -> date (not DATEADDED), CAMEO EventCode -> summary
 * (with its label) and QuadClass -> kind (verbal: statement, material: action), GoldsteinScale ->
 * position on a -10..+10 issue, SOURCEURL -> source (its host as the outlet), DATEADDED -> the
 * source's published date. Actor names are GDELT's upper-case names, title-cased.
 */

/** Column positions (0-based) that differ between the layouts; the first 35 are shared. */
const LAYOUTS: Record<number, { dateAdded: number; url: number | null; version: string }> = {
	57: { dateAdded: 56, url: null, version: 'GDELT 1.0 (historical)' },
	58: { dateAdded: 56, url: 57, version: 'GDELT 1.0' },
	61: { dateAdded: 59, url: 60, version: 'GDELT 2.0' }
};
const SQLDATE = 1;
const ACTOR1_NAME = 6;
const ACTOR2_NAME = 16;
const EVENT_CODE = 26;
const QUAD_CLASS = 29;
const GOLDSTEIN = 30;

export const GDELT_ISSUE = 'Cooperation and conflict';
export const GOLDSTEIN_SCALE: Scale = {
	min: -10,
	max: 10,
	labels: [
		{ value: -10, label: 'Conflict' },
		{ value: 0, label: 'Neutral' },
		{ value: 10, label: 'Cooperation' }
	]
};

/** The column names GDELT's codebook uses, for problems. */
export const GDELT_COLUMNS: Record<string, string> = {
	actor: 'Actor1Name (column 7)',
	target: 'Actor2Name (column 17)',
	date: 'SQLDATE (column 2)',
	position: 'GoldsteinScale (column 31)',
	kind: 'QuadClass (column 30)',
	summary: 'EventCode (column 27)',
	source_url: 'SOURCEURL',
	source_published: 'DATEADDED',
	issue: 'issue'
};

const titleCase = (s: string) => s.toLowerCase().replace(/(^|[\s\-'(])(\p{L})/gu, (_m, a: string, b: string) => a + b.toUpperCase());
const ymd = (s: string) => (/^\d{8}/.test(s) ? `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}` : s);

/**
 * One GDELT row as our field values; a wrong column count is the row's only problem.
 * @param issuePerTarget file each event under "Cooperation and conflict with <target>" instead of one issue
 */
export function gdeltRow(cells: readonly string[], line: number, issuePerTarget = false): { values: FieldValues; problems: RowProblem[] } {
	const layout = LAYOUTS[cells.length];
	if (!layout) {
		return {
			values: {},
			problems: [{ line, column: '(row)', reason: `has ${cells.length} columns; GDELT exports have 57 or 58 (1.0) or 61 (2.0)` }]
		};
	}
	const code = cells[EVENT_CODE]!.trim();
	const label = cameoLabel(code);
	const quad = cells[QUAD_CLASS]!.trim();
	const actor = titleCase(cells[ACTOR1_NAME]!.trim());
	const target = titleCase(cells[ACTOR2_NAME]!.trim());
	const summary = code ? `${label ?? 'Event'} (CAMEO ${code})${target ? ` toward ${target}` : ''}` : '';
	return {
		values: {
			actor,
			target,
			issue: issuePerTarget && target ? `${GDELT_ISSUE} with ${target}` : GDELT_ISSUE,
			date: ymd(cells[SQLDATE]!.trim()),
			position: cells[GOLDSTEIN]!.trim(),
			kind: quad === '1' || quad === '3' ? 'statement' : quad === '2' || quad === '4' ? 'action' : '',
			summary: summary.slice(0, 300),
			confidence: 'low',
			source_url: layout.url === null ? '' : cells[layout.url]!.trim(),
			source_outlet: layout.url === null ? 'GDELT' : '',
			source_published: ymd(cells[layout.dateAdded]!.trim()).slice(0, 10)
		},
		problems: []
	};
}

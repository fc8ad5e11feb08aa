import type { FieldValues, RowProblem } from './importRow';
import type { Scale } from './types';

/**
 * UN General Assembly ideal points (Bailey, Strezhnev and Voeten) as stance events: one issue,
 * the country (by its ISO 3166-1 alpha-3 code `iso3c`, named by `Countryname`) as the actor,
 * session s dated as the year 1945 + s, `IdealPoint` as the position and `Q5%`..`Q95%` as its
 * uncertainty interval.
 */
export const IDEAL_POINTS_ISSUE = 'Alignment in UNGA votes';
export const IDEAL_POINTS_SCALE: Scale = {
	min: -5,
	max: 5,
	labels: [
		{ value: -5, label: 'Far from the Western position' },
		{ value: 0, label: 'Centre' },
		{ value: 5, label: 'Close to the Western position' }
	]
};
/**
 * The smallest change (share of the scale) of the issue an ideal-points import creates: 5 %, half a
 * point on -5..+5. An ideal point is an estimate: in the 2020 file the median width of its 90 %
 * interval (Q5%..Q95%) is 0.50 and the median move from one session to the next 0.11, so with the
 * default (any move) nearly every year of every country showed as a shift; from half a point on a
 * stance has moved by about a whole interval's width (5 % of the session-to-session moves are as
 * large). Editors change it on the issue's form.
 */
export const IDEAL_POINTS_MIN_SHARE = 0.05;
export const IDEAL_POINTS_SOURCE = {
	outlet: 'Bailey, Strezhnev and Voeten',
	title: 'United Nations General Assembly ideal points (2020)',
	url: 'https://dataverse.harvard.edu/dataset.xhtml?persistentId=hdl:1902.1/12379'
};
const NEEDED = ['session', 'IdealPoint', 'Q5%', 'Q95%', 'iso3c', 'Countryname'] as const;

/** Column positions from the header; the missing columns are named when there are any. */
export function idealPointsColumns(header: readonly string[]): { ok: true; at: Record<(typeof NEEDED)[number], number> } | { ok: false; missing: string[] } {
	const index = new Map(header.map((h, i) => [h.trim().toLowerCase(), i]));
	const missing = NEEDED.filter((n) => !index.has(n.toLowerCase()));
	if (missing.length) return { ok: false, missing };
	return { ok: true, at: Object.fromEntries(NEEDED.map((n) => [n, index.get(n.toLowerCase())!])) as Record<(typeof NEEDED)[number], number> };
}

export function idealPointsRow(cells: readonly string[], line: number, at: Record<(typeof NEEDED)[number], number>): { values: FieldValues; problems: RowProblem[] } {
	const session = Number(cells[at.session]);
	if (!Number.isInteger(session) || session < 1) {
		return { values: {}, problems: [{ line, column: 'session', reason: `"${cells[at.session] ?? ''}" is not a session number` }] };
	}
	return {
		values: {
			actor: (cells[at.iso3c] ?? '').trim().toLowerCase(),
			actor_name: (cells[at.Countryname] ?? '').trim(),
			issue: IDEAL_POINTS_ISSUE,
			date: String(1945 + session),
			position: cells[at.IdealPoint] ?? '',
			position_low: cells[at['Q5%']] ?? '',
			position_high: cells[at['Q95%']] ?? '',
			kind: 'report',
			summary: `Ideal point in UNGA session ${session}`,
			confidence: 'high'
		},
		problems: []
	};
}

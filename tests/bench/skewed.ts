/**
 * Deterministic synthetic data with a realistic skew for the read-path benchmark: a few busy
 * actors and issues and a long tail of quiet ones (weights fall as a power of rank), activity in
 * bursts with long quiet stretches, stances that mostly hold and move a level at a time.
 * Events come out one (actor, issue) series at a time, so millions never sit in memory at once.
 */
import type { Dataset } from '../../src/lib/schemas/dataset';
import { prng } from './synthetic';

export type EventRow = Dataset['events'][number];

export interface SkewedOptions {
	events: number;
	actors: number;
	issues: number;
	seed?: number;
}

export interface SkewedPlan {
	actors: Dataset['actors'];
	issues: Dataset['issues'];
	/** Country slugs by activity, busiest first. */
	countries: string[];
	/** Issue slugs by activity, busiest first. */
	issueSlugs: string[];
	/** Events per (country index, issue index) pair that has any. */
	pairs: { actor: number; issue: number; events: number }[];
	total: number;
}

const SCALE = {
	min: -2,
	max: 2,
	labels: [
		{ value: -2, label: 'Halt' },
		{ value: -1, label: 'Restrict' },
		{ value: 0, label: 'Unclear' },
		{ value: 1, label: 'Maintain' },
		{ value: 2, label: 'Expand' }
	]
};

const FIRST = Date.UTC(1990, 0, 1);
const DAYS = Math.round((Date.UTC(2025, 11, 31) - FIRST) / 86_400_000);
const pad = (n: number, w = 3) => String(n).padStart(w, '0');

/** Who exists and how many events each pair gets (about `events` in all). */
export function planSkewed({ events, actors, issues, seed = 20251201 }: SkewedOptions): SkewedPlan {
	const rand = prng(seed);
	// A fifth of the actors are people speaking for the busiest countries (two each).
	const people = Math.floor(actors / 5 / 2) * 2;
	const countries = actors - people;
	const actorRows: Dataset['actors'] = [];
	const countrySlugs: string[] = [];
	for (let i = 0; i < countries; i++) {
		const slug = `sk-country-${pad(i)}`;
		countrySlugs.push(slug);
		const hue = Math.round((i * 137.508) % 360);
		actorRows.push({ slug, name: `Country ${pad(i)}`, kind: 'country', parent: null, role: null, countryCode: null, color: hslHex(hue, i % 2 ? 0.38 : 0.5) });
	}
	for (let i = 0; i < people; i++) {
		const parent = countrySlugs[Math.floor(i / 2)]!;
		actorRows.push({ slug: `sk-person-${pad(i)}`, name: `Person ${pad(i)}`, kind: 'person', parent, role: i % 2 ? 'Minister' : 'President', countryCode: null, color: null });
	}
	const issueRows: Dataset['issues'] = Array.from({ length: issues }, (_, i) => ({
		slug: `sk-issue-${pad(i, 2)}`,
		title: `Skewed issue ${pad(i, 2)}`,
		description: 'Synthetic issue for the benchmark.',
		scale: SCALE
	}));
	const aw = Array.from({ length: countries }, (_, i) => 1 / Math.pow(i + 1, 0.9));
	const iw = Array.from({ length: issues }, (_, i) => 1 / Math.pow(i + 1, 1.0));
	// Not every actor speaks on every issue: about a third of the pairs stay empty.
	const pairs: SkewedPlan['pairs'] = [];
	let weightSum = 0;
	const raw: { actor: number; issue: number; w: number }[] = [];
	for (let a = 0; a < countries; a++) {
		for (let i = 0; i < issues; i++) {
			if (a > 5 && rand() < 0.35) continue;
			const w = aw[a]! * iw[i]! * (0.5 + rand());
			raw.push({ actor: a, issue: i, w });
			weightSum += w;
		}
	}
	let total = 0;
	for (const p of raw) {
		const n = Math.round((p.w / weightSum) * events);
		if (n > 0) {
			pairs.push({ actor: p.actor, issue: p.issue, events: n });
			total += n;
		}
	}
	return { actors: actorRows, issues: issueRows, countries: countrySlugs, issueSlugs: issueRows.map((i) => i.slug), pairs, total };
}

function hslHex(h: number, l: number): string {
	const s = 0.65;
	const f = (k: number) => {
		const kk = (k + h / 30) % 12;
		const c = l - s * Math.min(l, 1 - l) * Math.max(-1, Math.min(kk - 3, 9 - kk, 1));
		return Math.round(c * 255)
			.toString(16)
			.padStart(2, '0');
	};
	return `#${f(0)}${f(8)}${f(4)}`;
}

const KINDS = ['statement', 'statement', 'statement', 'action', 'clarification', 'report'] as const;
const OUTLETS = ['Reuters', 'AP', 'AFP', 'BBC', 'Le Monde', 'DW', 'El País'];

/** The events of one pair, in date order: bursts of activity separated by quiet years. */
export function pairEvents(plan: SkewedPlan, pairIndex: number, seed = 7): EventRow[] {
	const pair = plan.pairs[pairIndex]!;
	const rand = prng(seed * 1_000_003 + pairIndex);
	const actor = plan.countries[pair.actor]!;
	const issue = plan.issueSlugs[pair.issue]!;
	const bursts = 1 + Math.floor(rand() * 4);
	const centres = Array.from({ length: bursts }, () => Math.floor(rand() * DAYS));
	const widths = centres.map(() => 30 + Math.floor(rand() * 700));
	const days: number[] = [];
	for (let k = 0; k < pair.events; k++) {
		const b = Math.floor(rand() * bursts);
		const d = centres[b]! + Math.floor((rand() - 0.5) * widths[b]!);
		days.push(Math.min(DAYS, Math.max(0, d)));
	}
	days.sort((x, y) => x - y);
	const speakers = pair.actor * 2 + 1 < plan.actors.length - plan.countries.length ? [`sk-person-${pad(pair.actor * 2)}`, `sk-person-${pad(pair.actor * 2 + 1)}`] : [];
	let position = Math.round(rand() * 4) - 2;
	const out: EventRow[] = [];
	for (const day of days) {
		const r = rand();
		if (r < 0.02) position = Math.round(rand() * 4) - 2;
		else if (r < 0.12) position = Math.min(2, position + 1);
		else if (r < 0.22) position = Math.max(-2, position - 1);
		const date = new Date(FIRST + day * 86_400_000).toISOString().slice(0, 10);
		const p = rand();
		const datePrecision = p < 0.003 ? 'year' : p < 0.02 ? 'month' : 'day';
		const speaker = speakers.length && rand() < 0.4 ? speakers[Math.floor(rand() * speakers.length)]! : null;
		const quoted = rand() < 0.2;
		out.push({
			actor,
			issue,
			date,
			datePrecision,
			position,
			kind: KINDS[Math.floor(rand() * KINDS.length)]!,
			summary: `${actor} on ${issue}: ${SCALE.labels[position + 2]!.label.toLowerCase()}.`,
			quote: quoted ? `"We hold to position ${position} on this for now."` : null,
			quoteLanguage: quoted ? 'en' : null,
			speaker,
			target: null,
			confidence: rand() < 0.7 ? 'high' : 'medium',
			sources: [{ outlet: OUTLETS[Math.floor(rand() * OUTLETS.length)]!, title: null, url: `https://example.org/${pairIndex}/${out.length}`, publishedOn: null }]
		});
	}
	return out;
}

/** Every event, pair after pair (a generator: the caller writes them in chunks). */
export function* skewedEvents(plan: SkewedPlan): Generator<EventRow> {
	for (let i = 0; i < plan.pairs.length; i++) yield* pairEvents(plan, i);
}

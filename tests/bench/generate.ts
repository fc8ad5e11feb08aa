/**
 * The benchmarks' one data generator: deterministic synthetic actors, issues and events.
 *
 * A plan says who exists and how many events each (country, issue) pair gets; events then come
 * out one pair at a time, in date order (as an importer would send them), so millions never sit
 * in memory at once. Two shapes of pair, mixed freely in one plan:
 * - skewed (`npm run bench`): a few busy countries and issues and a long tail of quiet ones
 *   (weights fall as a power of rank; about a third of the pairs stay empty), activity in bursts
 *   with long quiet stretches;
 * - uniform (`fixed` issues): the first n countries each get the same number of events spread
 *   evenly over the years, e.g. the chart figure's 20 countries x 5,000 events.
 * Stances mostly hold and move a level at a time, now and then jump.
 */
import type { Dataset } from '../../src/lib/schemas/dataset';

export type EventRow = Dataset['events'][number];

/** mulberry32: a small, fast, seedable PRNG (same seed, same data, every run). */
export function prng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** An issue every one of the first `actors` countries speaks on `eventsPerActor` times, evenly spread. */
export interface FixedIssue {
	slug: string;
	title: string;
	actors: number;
	eventsPerActor: number;
}

export interface PlanOptions {
	/** Events spread with the skew over `issues` skewed issues (0 for none). */
	events: number;
	/** Actors in all: countries, plus people speaking for the busiest countries (two each). */
	actors: number;
	/** Skewed issues. */
	issues: number;
	/** Issues with a uniform layout, after the skewed ones. */
	fixed?: FixedIssue[];
	/** Share of the actors that are people (two per country, for the busiest countries). Default 1/5. */
	peopleShare?: number;
	/** First and last day of the events. Default 1990-01-01 .. 2025-12-31. */
	from?: string;
	to?: string;
	seed?: number;
}

export interface Pair {
	actor: number;
	issue: number;
	events: number;
	/** Bursts of activity (skewed) or spread evenly over the whole span (uniform). */
	spread: 'bursts' | 'even';
}

export interface Plan {
	actors: Dataset['actors'];
	issues: Dataset['issues'];
	/** Country slugs by planned activity, busiest first. */
	countries: string[];
	/** Issue slugs: the skewed ones busiest first, then the fixed ones. */
	issueSlugs: string[];
	/** Events per (country index, issue index) pair that has any. */
	pairs: Pair[];
	total: number;
	firstDay: number;
	days: number;
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

const DAY = 86_400_000;
const pad = (n: number, w = 3) => String(n).padStart(w, '0');
const utc = (iso: string) => Date.parse(`${iso}T00:00:00Z`);

/** Who exists and how many events each pair gets (about `events` skewed, plus the fixed issues exactly). */
export function plan({ events, actors, issues, fixed = [], peopleShare = 0.2, from = '1990-01-01', to = '2025-12-31', seed = 20251201 }: PlanOptions): Plan {
	const rand = prng(seed);
	const people = Math.floor((actors * peopleShare) / 2) * 2;
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
	const issueRows: Dataset['issues'] = [
		...Array.from({ length: issues }, (_, i) => ({
			slug: `sk-issue-${pad(i, 2)}`,
			title: `Skewed issue ${pad(i, 2)}`,
			description: 'Synthetic issue for the benchmark.',
			scale: SCALE
		})),
		...fixed.map((f) => ({ slug: f.slug, title: f.title, description: `Synthetic issue for the benchmark: ${f.actors} countries, ${f.eventsPerActor.toLocaleString('en')} events each.`, scale: SCALE }))
	];
	const pairs: Pair[] = [];
	let total = 0;
	if (events > 0 && issues > 0) {
		const aw = Array.from({ length: countries }, (_, i) => 1 / Math.pow(i + 1, 0.9));
		const iw = Array.from({ length: issues }, (_, i) => 1 / Math.pow(i + 1, 1.0));
		let weightSum = 0;
		const raw: { actor: number; issue: number; w: number }[] = [];
		for (let a = 0; a < countries; a++) {
			for (let i = 0; i < issues; i++) {
				// Not every actor speaks on every issue: about a third of the pairs stay empty.
				if (a > 5 && rand() < 0.35) continue;
				const w = aw[a]! * iw[i]! * (0.5 + rand());
				raw.push({ actor: a, issue: i, w });
				weightSum += w;
			}
		}
		for (const p of raw) {
			const n = Math.round((p.w / weightSum) * events);
			if (n > 0) {
				pairs.push({ actor: p.actor, issue: p.issue, events: n, spread: 'bursts' });
				total += n;
			}
		}
	}
	fixed.forEach((f, k) => {
		for (let a = 0; a < Math.min(f.actors, countries); a++) {
			pairs.push({ actor: a, issue: issues + k, events: f.eventsPerActor, spread: 'even' });
			total += f.eventsPerActor;
		}
	});
	const firstDay = utc(from);
	return {
		actors: actorRows,
		issues: issueRows,
		countries: countrySlugs,
		issueSlugs: issueRows.map((i) => i.slug),
		pairs,
		total,
		firstDay,
		days: Math.round((utc(to) - firstDay) / DAY)
	};
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

/** The days (offsets from the plan's first day) of one pair's events, sorted. */
function pairDays(p: Plan, pair: Pair, rand: () => number): number[] {
	const days: number[] = [];
	if (pair.spread === 'even') {
		for (let k = 0; k < pair.events; k++) days.push(Math.floor(rand() * (p.days + 1)));
	} else {
		const bursts = 1 + Math.floor(rand() * 4);
		const centres = Array.from({ length: bursts }, () => Math.floor(rand() * p.days));
		const widths = centres.map(() => 30 + Math.floor(rand() * 700));
		for (let k = 0; k < pair.events; k++) {
			const b = Math.floor(rand() * bursts);
			const d = centres[b]! + Math.floor((rand() - 0.5) * widths[b]!);
			days.push(Math.min(p.days, Math.max(0, d)));
		}
	}
	return days.sort((x, y) => x - y);
}

/** The events of one pair, in date order. */
export function pairEvents(p: Plan, pairIndex: number, seed = 7): EventRow[] {
	const pair = p.pairs[pairIndex]!;
	const rand = prng(seed * 1_000_003 + pairIndex);
	const actor = p.countries[pair.actor]!;
	const issue = p.issueSlugs[pair.issue]!;
	const days = pairDays(p, pair, rand);
	const people = p.actors.length - p.countries.length;
	const speakers = pair.actor * 2 + 1 < people ? [`sk-person-${pad(pair.actor * 2)}`, `sk-person-${pad(pair.actor * 2 + 1)}`] : [];
	let position = Math.round(rand() * 4) - 2;
	const out: EventRow[] = [];
	for (const day of days) {
		const r = rand();
		if (r < 0.02) position = Math.round(rand() * 4) - 2;
		else if (r < 0.12) position = Math.min(2, position + 1);
		else if (r < 0.22) position = Math.max(-2, position - 1);
		const date = new Date(p.firstDay + day * DAY).toISOString().slice(0, 10);
		const d = rand();
		const datePrecision = d < 0.003 ? 'year' : d < 0.02 ? 'month' : 'day';
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
export function* events(p: Plan): Generator<EventRow> {
	for (let i = 0; i < p.pairs.length; i++) yield* pairEvents(p, i);
}

/** A whole plan as one dataset in memory (small plans only). */
export function dataset(p: Plan): Dataset & { events: EventRow[] } {
	return { format: 'stance-tracker/v1', actors: p.actors, issues: p.issues, events: [...events(p)], context: [] };
}

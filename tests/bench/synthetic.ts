/**
 * Deterministic synthetic data for the benchmark: countries with two spokespeople each, stances
 * on a -2..2 scale that wander like real ones (mostly holding, moving a level at a time, now and
 * then jumping), spread over about fifteen years.
 */
import type { Dataset } from '../../src/lib/schemas/dataset';

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

export const FIRST_DAY = '2011-01-01';
export const LAST_DAY = '2025-12-31';
const MS_PER_DAY = 86_400_000;
const firstTime = Date.UTC(2011, 0, 1);
const spanDays = Math.round((Date.UTC(2025, 11, 31) - firstTime) / MS_PER_DAY);

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

export interface IssuePlan {
	slug: string;
	title: string;
	/** How many of the countries take stances on it (the first n). */
	actors: number;
	eventsPerActor: number;
}

export interface SyntheticOptions {
	seed?: number;
	countries?: number;
	issues: IssuePlan[];
}

export type EventRow = Dataset['events'][number];
export type ActorRow = Dataset['actors'][number];
export type IssueRow = Dataset['issues'][number];

export interface Synthetic {
	actors: ActorRow[];
	issues: IssueRow[];
	events: EventRow[];
	/** Slugs of the countries, in order (the actors a comparison shows). */
	countries: string[];
}

const pad = (n: number) => String(n).padStart(2, '0');

function color(i: number, n: number): string {
	// Evenly spaced hues, alternating lightness so neighbours differ.
	const h = (i * 360) / n;
	const l = i % 2 ? 0.38 : 0.5;
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
const OUTLETS = ['Reuters', 'AP', 'AFP', 'El Tiempo', 'BBC', 'Le Monde', 'DW'];
const WORDS = ['cooperation', 'sharing', 'agencies', 'strikes', 'protest', 'review', 'talks', 'suspend', 'continue', 'allies'];

/** Builds the dataset; events come per issue, per country, in date order (as an importer would send them). */
export function synthesize({ seed = 20251111, countries = 20, issues }: SyntheticOptions): Synthetic {
	const rand = prng(seed);
	const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
	const actors: ActorRow[] = [];
	const countrySlugs: string[] = [];
	for (let i = 1; i <= countries; i++) {
		const slug = `bench-country-${pad(i)}`;
		countrySlugs.push(slug);
		actors.push({ slug, name: `Country ${pad(i)}`, kind: 'country', parent: null, role: null, countryCode: null, color: color(i - 1, countries) });
	}
	for (let i = 1; i <= countries; i++) {
		for (const who of ['leader', 'minister'] as const) {
			actors.push({
				slug: `bench-${who}-${pad(i)}`,
				name: `${who === 'leader' ? 'Leader' : 'Minister'} of Country ${pad(i)}`,
				kind: 'person',
				parent: `bench-country-${pad(i)}`,
				role: who === 'leader' ? 'President' : 'Minister of Defence',
				countryCode: null,
				color: null
			});
		}
	}
	const issueRows: IssueRow[] = issues.map((p) => ({ slug: p.slug, title: p.title, description: `Synthetic issue: ${p.title}.`, scale: SCALE }));
	const events: EventRow[] = [];
	for (const plan of issues) {
		for (let a = 0; a < Math.min(plan.actors, countries); a++) {
			const actor = countrySlugs[a]!;
			const days = Array.from({ length: plan.eventsPerActor }, () => Math.floor(rand() * (spanDays + 1))).sort((x, y) => x - y);
			let position = Math.round(rand() * 4) - 2;
			for (const day of days) {
				const r = rand();
				if (r < 0.03) position = Math.round(rand() * 4) - 2;
				else if (r < 0.28) position = Math.min(2, position + 1);
				else if (r < 0.53) position = Math.max(-2, position - 1);
				const date = new Date(firstTime + day * MS_PER_DAY).toISOString().slice(0, 10);
				const p = rand();
				const datePrecision = p < 0.005 ? 'year' : p < 0.025 ? 'month' : 'day';
				const s = rand();
				const speaker = s < 0.6 ? null : s < 0.85 ? `bench-leader-${actor.slice(-2)}` : `bench-minister-${actor.slice(-2)}`;
				const hasQuote = rand() < 0.3;
				events.push({
					actor,
					issue: plan.slug,
					date,
					datePrecision,
					position,
					kind: pick(KINDS),
					summary: `Country ${actor.slice(-2)} on ${pick(WORDS)} and ${pick(WORDS)}: ${SCALE.labels[position + 2]!.label.toLowerCase()}.`,
					quote: hasQuote ? `"We will ${pick(WORDS)} the ${pick(WORDS)} as long as the ${pick(WORDS)} ${pick(WORDS)} allow it."` : null,
					quoteLanguage: hasQuote ? 'en' : null,
					speaker,
					target: null,
					confidence: rand() < 0.7 ? 'high' : 'medium',
					sources: [
						{
							outlet: pick(OUTLETS),
							title: `Report ${events.length + 1}`,
							url: `https://example.org/news/${events.length + 1}`,
							publishedOn: date
						}
					]
				});
			}
		}
	}
	return { actors, issues: issueRows, events, countries: countrySlugs };
}

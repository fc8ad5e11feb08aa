/**
 * The rules a record must follow beyond its schema: references to known actors and issues, the
 * scale of an issue, positions on it, dates not in the future, who speaks for whom without
 * cycles. Each rule lives here once; forms, the API and importers all call it.
 *
 * Pure: no database. What is known comes in as lookups, so an importer can check a stream row
 * by row against maps it keeps, and collect every problem instead of stopping at the first.
 */
import { periodStart } from './dates';
import { isOnScale, validateScale } from './scale';
import type { DatePrecision, Scale } from './types';

export interface Problem {
	/** Where the problem is, e.g. "events[3].position" or, for one record, "position". */
	path: string;
	message: string;
}

/**
 * What is known, as questions. Leave a question out to skip the checks that need it (a form that
 * knows only the chosen issue's scale gives `scaleOf` alone).
 */
export interface Lookups {
	/** Is there a live (not deleted) actor with this slug? */
	hasActor?: (slug: string) => boolean;
	/** The scale of the live issue with this slug; undefined when there is none. */
	scaleOf?: (issue: string) => Scale | undefined;
	/** The actor this one speaks for (deleted actors too); undefined when the actor is unknown. */
	parentOf?: (slug: string) => string | null | undefined;
}

/** Lookups over plain maps: live actors' parents by slug, live issues' scales by slug. */
export function lookupsFrom(known: {
	actors?: ReadonlyMap<string, { parent: string | null; deleted?: boolean }>;
	scales?: ReadonlyMap<string, Scale>;
}): Lookups {
	const { actors, scales } = known;
	return {
		hasActor: actors && ((slug) => actors.has(slug) && !actors.get(slug)!.deleted),
		scaleOf: scales && ((slug) => scales.get(slug)),
		parentOf: actors && ((slug) => actors.get(slug)?.parent)
	};
}

const ISO_SHAPE = /^\d{4}-\d{2}-\d{2}$/;
const isDateString = (v: unknown): v is string => typeof v === 'string' && ISO_SHAPE.test(v);
const precisionOf = (v: unknown): DatePrecision => (v === 'month' || v === 'year' ? v : 'day');

/** A position that lies off its issue's scale; `issue` names the issue in the message when given. */
export function positionProblem(scale: Scale, position: number, issue?: string): Problem | null {
	if (isOnScale(scale, position)) return null;
	const where = issue === undefined ? "this issue's scale" : `the scale of "${issue}"`;
	return { path: 'position', message: `${position} is off ${where} (${scale.min} to ${scale.max})` };
}

/**
 * What an uncertainty interval around a position may not be: only one of its bounds, a lower
 * bound above the position, an upper bound below it, or a bound off the issue's scale (when the
 * scale is given). Paths name the bound: `names` maps them (an importer's columns, say).
 */
export function intervalProblems(
	position: number | null,
	low: number | null,
	high: number | null,
	scale?: Scale | null,
	names: { low: string; high: string } = { low: 'positionLow', high: 'positionHigh' },
	issue?: string
): Problem[] {
	const problems: Problem[] = [];
	if (scale) {
		for (const [path, n] of [[names.low, low], [names.high, high]] as const) {
			const off = n === null ? null : positionProblem(scale, n, issue);
			if (off) problems.push({ path, message: off.message });
		}
	}
	if (position !== null && low !== null && low > position) problems.push({ path: names.low, message: `${low} is above the position ${position}` });
	if (position !== null && high !== null && high < position) problems.push({ path: names.high, message: `${high} is below the position ${position}` });
	if ((low === null) !== (high === null)) {
		problems.push({ path: low === null ? names.low : names.high, message: `an interval needs both ${names.low} and ${names.high}` });
	}
	return problems;
}

/** A date that is after `today`; an approximate date counts from the start of its period. */
export function isFutureDate(date: string, precision: DatePrecision, today: string): boolean {
	return periodStart(date, precision) > today;
}

/**
 * What an event (parsed or as posted) may not be, given what is known: an unknown actor, speaker,
 * target or issue, a position off the issue's scale, a date or a source's publication in the
 * future. Fields that are missing or not yet of the right type are left to the schema.
 * Paths are relative to the event ("position", "sources[0].publishedOn").
 */
export function eventProblems(
	e: {
		actor?: unknown;
		issue?: unknown;
		speaker?: unknown;
		target?: unknown;
		position?: unknown;
		positionLow?: unknown;
		positionHigh?: unknown;
		date?: unknown;
		datePrecision?: unknown;
		sources?: unknown;
	},
	known: Lookups,
	today: string,
	options: { nameIssue?: boolean } = {}
): Problem[] {
	const problems: Problem[] = [];
	const { hasActor, scaleOf } = known;
	if (hasActor) {
		if (typeof e.actor === 'string' && !hasActor(e.actor)) problems.push({ path: 'actor', message: `unknown actor "${e.actor}"` });
		for (const field of ['speaker', 'target'] as const) {
			const slug = e[field];
			if (typeof slug === 'string' && !hasActor(slug)) problems.push({ path: field, message: `unknown actor "${slug}"` });
		}
	}
	if (scaleOf && typeof e.issue === 'string') {
		const scale = scaleOf(e.issue);
		if (!scale) problems.push({ path: 'issue', message: `unknown issue "${e.issue}"` });
		else if (typeof e.position === 'number') {
			const p = positionProblem(scale, e.position, options.nameIssue === false ? undefined : e.issue);
			if (p) problems.push(p);
		}
	}
	const bound = (v: unknown) => (typeof v === 'number' ? v : null);
	if (typeof e.position === 'number') {
		const scale = scaleOf && typeof e.issue === 'string' ? scaleOf(e.issue) : undefined;
		const issue = options.nameIssue === false || typeof e.issue !== 'string' ? undefined : e.issue;
		problems.push(...intervalProblems(e.position, bound(e.positionLow), bound(e.positionHigh), scale, undefined, issue));
	}
	if (isDateString(e.date) && isFutureDate(e.date, precisionOf(e.datePrecision), today)) {
		problems.push({ path: 'date', message: 'must not be in the future' });
	}
	if (Array.isArray(e.sources)) {
		e.sources.forEach((s: { publishedOn?: unknown } | null, j) => {
			const published = s?.publishedOn;
			if (isDateString(published) && published > today) {
				problems.push({ path: `sources[${j}].publishedOn`, message: 'must not be in the future' });
			}
		});
	}
	return problems;
}

/**
 * What a context event (parsed or as posted) may not be, given what is known: on an unknown issue,
 * starting in the future, ending before it starts (compared by period, so a span of months may
 * end in its first month), or with a source published in the future. Paths are relative to it.
 */
export function contextEventProblems(
	c: { issue?: unknown; date?: unknown; datePrecision?: unknown; endDate?: unknown; source?: unknown },
	known: Lookups,
	today: string
): Problem[] {
	const problems: Problem[] = [];
	if (known.scaleOf && typeof c.issue === 'string' && !known.scaleOf(c.issue)) problems.push({ path: 'issue', message: `unknown issue "${c.issue}"` });
	const precision = precisionOf(c.datePrecision);
	if (isDateString(c.date) && isFutureDate(c.date, precision, today)) problems.push({ path: 'date', message: 'must not be in the future' });
	if (isDateString(c.endDate)) {
		if (isDateString(c.date) && periodStart(c.endDate, precision) < periodStart(c.date, precision)) {
			problems.push({ path: 'endDate', message: 'must not be before the start date' });
		} else if (isFutureDate(c.endDate, precision, today)) problems.push({ path: 'endDate', message: 'must not be in the future' });
	}
	const published = typeof c.source === 'object' && c.source !== null ? (c.source as { publishedOn?: unknown }).publishedOn : undefined;
	if (isDateString(published) && published > today) problems.push({ path: 'source.publishedOn', message: 'must not be in the future' });
	return problems;
}

/** What a scale may not be (min not below max, labels off it or repeated), with paths under "scale". */
export function scaleProblems(scale: Scale): Problem[] {
	return validateScale(scale).map((p) => ({ path: `scale.${p.field}`, message: p.message }));
}

/** A new scale that some of the issue's live events would fall off. */
export function strandedEventsProblem(stranded: number): Problem | null {
	return stranded > 0 ? { path: 'scale.min', message: `${stranded} event(s) on this issue would fall off the new scale` } : null;
}

/**
 * What an actor's parent may not be: itself, an unknown actor, or one that already speaks for
 * this actor (a cycle). Paths are relative to the actor.
 */
export function parentProblems(a: { slug: string; parent: string | null }, known: Lookups): Problem[] {
	if (a.parent === null) return [];
	if (a.parent === a.slug) return [{ path: 'parent', message: 'an actor cannot speak for itself' }];
	if (known.hasActor && !known.hasActor(a.parent)) {
		return [{ path: 'parent', message: `unknown actor "${a.parent}" (a parent must exist or come earlier in the file)` }];
	}
	if (known.parentOf) {
		// Walk up from the parent: reaching this actor again would make a cycle.
		let up: string | null | undefined = a.parent;
		for (let steps = 0; up != null && steps < 1000; steps++) {
			if (up === a.slug) return [{ path: 'parent', message: `"${a.parent}" already speaks for "${a.slug}"` }];
			up = known.parentOf(up);
		}
	}
	return [];
}

/**
 * Checks the records of one input (a file, a stream, a single form) in order, against what was
 * known before it and what it has added so far: an actor or an issue defined earlier in the input
 * can be referred to later, and a slug defined twice is refused. Each call returns the record's
 * problems with paths relative to it; the caller adds the row, line or index.
 *
 * @example
 * const check = createChecker(lookupsFrom({ actors, scales }), '2025-12-01');
 * for (const [line, e] of rows) for (const p of check.event(e)) report(line, p);
 */
export function createChecker(known: Lookups, today: string) {
	const actorsAdded = new Map<string, string | null>();
	const scalesAdded = new Map<string, Scale>();
	const seenActors = new Set<string>();
	const seenIssues = new Set<string>();
	const lookups: Lookups = {
		hasActor: (slug) => actorsAdded.has(slug) || (known.hasActor?.(slug) ?? true),
		scaleOf: (slug) => scalesAdded.get(slug) ?? known.scaleOf?.(slug),
		parentOf: (slug) => (actorsAdded.has(slug) ? actorsAdded.get(slug) : known.parentOf?.(slug))
	};
	const withScales: Lookups = known.scaleOf ? lookups : { hasActor: lookups.hasActor, parentOf: lookups.parentOf };
	return {
		/** An actor to add or update; later records may refer to it. */
		actor(a: { slug: string; parent: string | null }): Problem[] {
			const problems: Problem[] = [];
			if (seenActors.has(a.slug)) problems.push({ path: 'slug', message: `"${a.slug}" appears twice` });
			seenActors.add(a.slug);
			problems.push(...parentProblems(a, lookups));
			actorsAdded.set(a.slug, a.parent);
			return problems;
		},
		/** An issue to add or update; later events are checked against its scale. */
		issue(s: { slug: string; scale: Scale; featured?: readonly string[] }): Problem[] {
			const problems: Problem[] = [];
			if (seenIssues.has(s.slug)) problems.push({ path: 'slug', message: `"${s.slug}" appears twice` });
			seenIssues.add(s.slug);
			problems.push(...scaleProblems(s.scale));
			(s.featured ?? []).forEach((slug, i) => {
				if (lookups.hasActor?.(slug) === false) problems.push({ path: `featured.${i}`, message: `unknown actor "${slug}"` });
				else if (s.featured!.indexOf(slug) !== i) problems.push({ path: `featured.${i}`, message: `"${slug}" is featured twice` });
			});
			scalesAdded.set(s.slug, s.scale);
			return problems;
		},
		/** An event to add or change. */
		event(e: Parameters<typeof eventProblems>[0]): Problem[] {
			return eventProblems(e, withScales, today);
		},
		/** A context event to add or change. */
		context(c: Parameters<typeof contextEventProblems>[0]): Problem[] {
			return contextEventProblems(c, withScales, today);
		}
	};
}

export type Checker = ReturnType<typeof createChecker>;

/** Problems of one record placed under a prefix: ("events[3]", {path: "position"}) -> "events[3].position". */
export function under(prefix: string, problems: readonly Problem[]): Problem[] {
	return problems.map((p) => ({ ...p, path: p.path ? `${prefix}.${p.path}` : prefix }));
}

import { z } from 'zod';
import { isIsoDate } from '../domain/dates';
import { characterProblem } from '../domain/text';
import type { Problem } from '../domain/rules';
import { ACTOR_KINDS, CONFIDENCES, DATE_PRECISIONS, EVENT_KINDS } from '../domain/types';

/** The stance-tracker/v1 dataset format: see data/README.md. */

export const slugSchema = z
	.string()
	.min(1, 'must not be empty')
	.max(80, 'must be at most 80 characters')
	.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lowercase letters, digits and single hyphens');

export const isoDateSchema = z
	.string()
	.refine(isIsoDate, { message: 'must be a real date written YYYY-MM-DD' });

const cleanCharacters = <T extends z.ZodType<string>>(schema: T) =>
	schema.superRefine((s, ctx) => {
		const problem = characterProblem(s);
		if (problem) ctx.addIssue({ code: 'custom', message: problem, abort: true });
	});

/** Free text: trimmed, at most `max` characters, no control characters but tab and newline. */
export const text = (max: number) => cleanCharacters(z.string().trim().max(max, `must be at most ${max} characters`));
const requiredText = (max: number) => text(max).pipe(z.string().min(1, 'must not be empty'));
const optionalText = (max: number) => text(max).nullable().default(null);

export const actorInputSchema = z.object({
	slug: slugSchema,
	name: requiredText(200),
	kind: z.enum(ACTOR_KINDS),
	parent: slugSchema.nullable().default(null),
	role: optionalText(200),
	countryCode: z
		.string()
		.regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as CO')
		.nullable()
		.default(null),
	color: z
		.string()
		.regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour written #rrggbb')
		.nullable()
		.default(null)
});

export const scaleSchema = z.object({
	min: z.number().finite(),
	max: z.number().finite(),
	labels: z
		.array(z.object({ value: z.number().finite(), label: requiredText(40) }))
		.min(1, 'needs at least one labelled value')
});

/** An issue's change rules (domain/changes.ts); null or left out: the default. */
export const issueRulesSchema = z.object({
	/** Smallest move that counts as a change, as a share of the scale. */
	minShare: z.number('must be a number').min(0, 'must be 0 or more').max(1, 'must be at most 1 (the whole scale)').nullable().default(null),
	/** Days within which a move back toward the earlier stance is a walk-back (a clarification). */
	walkBackDays: z.number('must be a number').int('must be a whole number of days').min(0, 'must be 0 or more').max(3650, 'must be at most 3650 days').nullable().default(null),
	/** Days after which a stance not restated is marked "no recent statement". */
	staleAfterDays: z.number('must be a number').int('must be a whole number of days').min(1, 'must be at least 1 day').max(36500, 'must be at most 36500 days').nullable().default(null)
});

export const issueInputSchema = z.object({
	slug: slugSchema,
	title: requiredText(200),
	description: text(2000).default(''),
	scale: scaleSchema,
	/** Actors the issue page charts first (in this order) when its link names none; absent: left as they are. */
	featured: z.array(slugSchema).max(20, 'feature at most 20 actors').optional(),
	/** The issue's change rules; absent: left as they are (the defaults for a new issue). */
	rules: issueRulesSchema.optional()
});

export const sourceInputSchema = z.object({
	outlet: requiredText(200),
	title: optionalText(500),
	// Characters first: a URL with NUL or U+202E must be refused for that, whatever else it is.
	url: cleanCharacters(z.string().max(2000, 'must be at most 2000 characters'))
		.pipe(z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }))
		.nullable()
		.default(null),
	publishedOn: isoDateSchema.nullable().default(null)
});

export const eventInputSchema = z.object({
	actor: slugSchema,
	issue: slugSchema,
	date: isoDateSchema,
	datePrecision: z.enum(DATE_PRECISIONS).default('day'),
	position: z.number().finite(),
	/** An uncertainty interval around the position: both or neither (the rules check the rest). */
	positionLow: z.number().finite().nullish(),
	positionHigh: z.number().finite().nullish(),
	kind: z.enum(EVENT_KINDS),
	summary: requiredText(300),
	quote: optionalText(5000),
	quoteLanguage: z
		.string()
		.regex(/^[a-z]{2,3}(-[A-Za-z0-9]+)*$/, 'must be a language tag such as en or es')
		.nullable()
		.default(null),
	speaker: slugSchema.nullable().default(null),
	target: slugSchema.nullable().default(null),
	confidence: z.enum(CONFIDENCES).default('medium'),
	sources: z.array(sourceInputSchema).min(1, 'needs at least one source').max(20)
});

/** The longest label of a context event: it is written on the chart, so it must stay short. */
export const CONTEXT_LABEL_MAX = 80;

/**
 * A context event: dated context on an issue's timeline that is not a stance ("2 Sep 2025: first
 * US strike on a boat"). A day (or month, or year), or a span to `endDate`, with one source.
 */
export const contextEventInputSchema = z.object({
	issue: slugSchema,
	date: isoDateSchema,
	datePrecision: z.enum(DATE_PRECISIONS).default('day'),
	/** The last day (or period) of a span; null for a single day (or period). */
	endDate: isoDateSchema.nullable().default(null),
	label: requiredText(CONTEXT_LABEL_MAX),
	source: sourceInputSchema
});

export const datasetSchema = z.object({
	format: z.literal('stance-tracker/v1'),
	actors: z.array(actorInputSchema).default([]),
	issues: z.array(issueInputSchema).default([]),
	events: z.array(eventInputSchema).default([]),
	context: z.array(contextEventInputSchema).default([])
});

export type ActorInput = z.infer<typeof actorInputSchema>;
export type IssueInput = z.infer<typeof issueInputSchema>;
export type EventInput = z.infer<typeof eventInputSchema>;
export type ContextEventInput = z.infer<typeof contextEventInputSchema>;
export type SourceInput = z.infer<typeof sourceInputSchema>;
export type Dataset = z.infer<typeof datasetSchema>;

/** A problem's path names the field, row or item; the type lives with the rules. */
export type { Problem };

/** Turns zod issues into problems whose paths name the field, row or item. */
export function toProblems(error: z.ZodError): Problem[] {
	return error.issues.map((i) => ({
		path: i.path
			.map((p, n) => (typeof p === 'number' ? `[${p}]` : n === 0 ? String(p) : `.${String(p)}`))
			.join(''),
		message: i.message
	}));
}

import { z } from 'zod';
import { isoDateSchema, slugSchema } from './dataset';
import { parseAsOf } from '../domain/asof';

/** ?asof=2025-11-12 or ?asof=2025-11-12T08:30:00Z (UTC): the record as it stood then, as an ISO date-time. */
export const asofSchema = z.string().transform((v, ctx) => {
	const r = parseAsOf(v);
	if ('error' in r) {
		ctx.addIssue({ code: 'custom', message: `${r.error}, e.g. 2025-11-12 or 2025-11-12T08:30:00Z` });
		return z.NEVER;
	}
	return r.at;
});

/** A comma-separated list of slugs in one query parameter: ?actors=colombia,united-states */
export const slugListSchema = z
	.string()
	.transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
	.pipe(z.array(slugSchema).max(100, 'at most 100 slugs'));

const intParam = (min: number, max: number) =>
	z
		.string()
		.regex(/^\d+$/, 'must be a whole number')
		.transform(Number)
		// The digits already make it whole; zod's int() would add a second problem ("expected int to be
		// <= 9007199254740991") for a huge number beside the one that names the limit.
		.pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

/** A listing's page number (1..1,000,000): ?page=2. */
export const pageQuerySchema = z.object({ page: intParam(1, 1_000_000).default(1) });

export const eventsQuerySchema = z
	.object({
		actor: slugSchema.optional(),
		issue: slugSchema.optional(),
		from: isoDateSchema.optional(),
		to: isoDateSchema.optional(),
		limit: intParam(1, 1000).default(100),
		offset: intParam(0, 10_000_000).default(0),
		asof: asofSchema.optional()
	})
	.refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'must not be before from', path: ['to'] });

export const seriesQuerySchema = z.object({
	issue: slugSchema,
	actors: slugListSchema.optional(),
	/** Aggregate per period: { date, mean, min, max, count } points instead of events. */
	bucket: z.enum(['month', 'year'], { message: 'must be month or year' }).optional(),
	asof: asofSchema.optional()
});

/** The parameters a query schema accepts, read from a URL (a repeated key keeps its last value). */
export function searchParamsObject(url: URL): Record<string, string> {
	return Object.fromEntries(url.searchParams.entries());
}

const CLASS_VALUES = ['shift', 'reversal', 'clarification'] as const;

/** ?classes=reversal,clarification */
const classListSchema = z
	.string()
	.transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
	.pipe(z.array(z.enum(CLASS_VALUES, { message: 'must be shift, reversal or clarification' })));

/** The /changes page and the changes feed: filters in the URL. */
export const changesQuerySchema = z
	.object({
		actors: slugListSchema.optional(),
		issues: slugListSchema.optional(),
		classes: classListSchema.optional(),
		from: isoDateSchema.optional(),
		to: isoDateSchema.optional(),
		page: intParam(1, 1_000_000).default(1)
	})
	.refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'must not be before from', path: ['to'] });

/** "Who moved between two dates": both dates required. */
export const movedQuerySchema = z
	.object({
		from: isoDateSchema,
		to: isoDateSchema,
		actors: slugListSchema.optional(),
		issues: slugListSchema.optional(),
		page: intParam(1, 1_000_000).default(1),
		/** Movers a page shows. */
		per: intParam(10, 200).default(50)
	})
	.refine((q) => q.from < q.to, { message: 'must be after from', path: ['to'] });

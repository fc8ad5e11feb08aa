import { z } from 'zod';
import { IMPORT_FIELDS } from '../domain/importRow';
import { issueInputSchema, toProblems, type Problem } from './dataset';

/**
 * The column mapping file (stance-tracker/mapping-v1): how someone else's CSV becomes stance
 * events without editing it. Documented in data/README.md; data/unvotes.mapping.json is a full example.
 *
 * - `fields`: for each of our fields, a template over the input's columns: "{country}" copies the
 *   column `country` (header names are matched case-insensitively), "Vote on {roll.unres}" mixes
 *   text and columns, and a template without braces is a constant for every row.
 * - `values`: per field, input values to replace (matched case-insensitively after trimming), e.g.
 *   `{"position": {"yes": 1, "abstain": 0, "no": -1}}`. A value not in the list is refused.
 * - `join`: lookup files, each read whole and keyed by one column, whose columns the templates
 *   reach as "{as.column}". `file` is resolved beside the imported file, then beside the mapping.
 * - `issues`: the issues `--create-missing` may create, with their scales.
 */
const fieldName = z.enum(IMPORT_FIELDS);

export const mappingSchema = z
	.object({
		format: z.literal('stance-tracker/mapping-v1'),
		description: z.string().optional(),
		delimiter: z.enum([',', ';', '\t', '|']).optional(),
		encoding: z.string().min(1).optional(),
		fields: z.partialRecord(fieldName, z.string().max(1000)).default({}),
		values: z
			.partialRecord(fieldName, z.record(z.string(), z.union([z.string(), z.number()])))
			.default({}),
		join: z
			.array(
				z.object({
					as: z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be a short lowercase name such as roll'),
					file: z.string().min(1),
					/** The lookup file's key column. */
					key: z.string().min(1),
					/** The imported file's column holding that key. */
					on: z.string().min(1)
				})
			)
			.max(5)
			.default([]),
		issues: z.array(issueInputSchema).default([])
	})
	.strict();

export type Mapping = z.infer<typeof mappingSchema>;

/** Reads a mapping from parsed JSON; the problems name each bad key ("fields.actorr", "join[0].key"). */
export function parseMapping(input: unknown): { ok: true; mapping: Mapping } | { ok: false; problems: Problem[] } {
	const r = mappingSchema.safeParse(input);
	if (!r.success) return { ok: false, problems: toProblems(r.error) };
	return { ok: true, mapping: r.data };
}

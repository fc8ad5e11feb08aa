/** The dataset writer: actors, issues and events of a stance-tracker/v1 file, all or nothing. */
import type { Db } from '../db/client';
import { enqueueWrite } from '../db/queue';
import { today } from '../../domain/dates';
import { z } from 'zod';
import { createChecker, under, type Problem } from '../../domain/rules';
import { actorInputSchema, contextEventInputSchema, eventInputSchema, issueInputSchema, scaleSchema, toProblems, type Dataset } from '../../schemas/dataset';
import { ValidationError, type Author } from './errors';
import { asInput, loadKnown, lookupsOf, type Known } from './known';
import { actorRecord, historyRow, idOf, insertContext, insertEvent, labelStatements, runBatch, upsertActor, upsertIssue, type Statement, featuredStatements } from './statements';

export interface WriteSummary {
	actors: number;
	issues: number;
	events: number;
	context: number;
}

/** The file's outline; each record is then read on its own, so one bad record hides no other's problems. */
const outlineSchema = z.object({
	format: z.literal('stance-tracker/v1'),
	actors: z.array(z.unknown()).default([]),
	issues: z.array(z.unknown()).default([]),
	events: z.array(z.unknown()).default([]),
	context: z.array(z.unknown()).default([])
});

const field = (raw: unknown, key: string): unknown => (typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>)[key] : undefined);

/** An issue whose scale could not be read: known by its slug, so events on it raise no second problem. */
const ANY_SCALE = { min: -Infinity, max: Infinity, labels: [] };

/**
 * Reads a dataset and checks it against what is known, reporting every problem of every record
 * in one pass: a record that fails its schema is still checked as far as it can be (its
 * references, its position on the scale, its dates), and the actors and issues it defines still
 * count for the records after it. Paths are such as "events[3].position".
 * @returns the dataset when there is no problem, and the problems.
 */
export function readDataset(input: unknown, known: Known, now: string): { data: Dataset | null; problems: Problem[] } {
	const outline = outlineSchema.safeParse(input);
	if (!outline.success) return { data: null, problems: toProblems(outline.error) };
	const check = createChecker(lookupsOf(known), now);
	const problems: Problem[] = [];
	const data: Dataset = { format: 'stance-tracker/v1', actors: [], issues: [], events: [], context: [] };
	outline.data.actors.forEach((raw, i) => {
		const r = actorInputSchema.safeParse(raw);
		if (r.success) data.actors.push(r.data);
		else problems.push(...under(`actors[${i}]`, toProblems(r.error)));
		const slug = r.success ? r.data.slug : field(raw, 'slug');
		const parent = r.success ? r.data.parent : field(raw, 'parent');
		if (typeof slug === 'string') problems.push(...under(`actors[${i}]`, check.actor({ slug, parent: typeof parent === 'string' ? parent : null })));
	});
	outline.data.issues.forEach((raw, i) => {
		const r = issueInputSchema.safeParse(raw);
		if (r.success) data.issues.push(r.data);
		else problems.push(...under(`issues[${i}]`, toProblems(r.error)));
		const slug = field(raw, 'slug');
		if (typeof slug !== 'string') return;
		const scale = r.success ? r.data.scale : scaleSchema.safeParse(field(raw, 'scale')).data;
		const found = check.issue({ slug, scale: scale ?? ANY_SCALE });
		problems.push(...under(`issues[${i}]`, scale ? found : found.filter((p) => !p.path.startsWith('scale'))));
	});
	outline.data.events.forEach((raw, i) => {
		const r = eventInputSchema.safeParse(raw);
		if (r.success) data.events.push(r.data);
		else problems.push(...under(`events[${i}]`, toProblems(r.error)));
		problems.push(...under(`events[${i}]`, check.event(r.success ? r.data : typeof raw === 'object' && raw !== null ? raw : {})));
	});
	outline.data.context.forEach((raw, i) => {
		const r = contextEventInputSchema.safeParse(raw);
		if (r.success) data.context.push(r.data);
		else problems.push(...under(`context[${i}]`, toProblems(r.error)));
		problems.push(...under(`context[${i}]`, check.context(r.success ? r.data : typeof raw === 'object' && raw !== null ? raw : {})));
	});
	return { data: problems.length ? null : data, problems };
}

/** The statements that write a checked dataset, with a history row for every record. */
export function datasetStatements(db: Db, data: Dataset, known: Known, by: Author): Statement[] {
	const out: Statement[] = [];
	for (const a of data.actors) {
		const before = known.actors.get(a.slug);
		out.push(upsertActor(db, a));
		out.push(historyRow(db, by, 'actor', idOf('actor', a.slug)!, before ? 'update' : 'create', before ? asInput(before) : null, actorRecord(a)));
	}
	for (const s of data.issues) {
		const before = known.issues.get(s.slug);
		out.push(upsertIssue(db, s), ...labelStatements(db, s), ...featuredStatements(db, s));
		out.push(historyRow(db, by, 'issue', idOf('issue', s.slug)!, before ? 'update' : 'create', before ? asInput(before) : null, s));
	}
	for (const e of data.events) out.push(...insertEvent(db, e, by));
	for (const c of data.context) out.push(...insertContext(db, c, by));
	return out;
}

/**
 * The write path for a whole dataset: validates it (actors, issues, events and context events, any of them
 * empty) against its schema and what the database holds, then writes it all in one batch, or
 * nothing at all. Actors and issues are matched by slug (updated when they exist); events are
 * added. Every record written is recorded in the history.
 * @throws ValidationError naming every problem, before anything is written.
 */
export async function writeDataset(
	db: Db,
	input: unknown,
	options: { now?: string; by?: Author } | string = {}
): Promise<WriteSummary> {
	const { now = today(), by = { userId: null, via: 'import' } } = typeof options === 'string' ? { now: options } : options;
	return enqueueWrite(db.$client, async () => {
		const known = await loadKnown(db);
		const { data, problems } = readDataset(input, known, now);
		if (!data) throw new ValidationError(problems);
		await runBatch(db, datasetStatements(db, data, known, by));
		return { actors: data.actors.length, issues: data.issues.length, events: data.events.length, context: data.context.length };
	});
}

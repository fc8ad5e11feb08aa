/** The dataset writer: actors, issues and events of a stance-tracker/v1 file, all or nothing. */
import type { Db } from '../db/client';
import { enqueueWrite } from '../db/queue';
import { today } from '../../domain/dates';
import { createChecker, under, type Problem } from '../../domain/rules';
import { datasetSchema, toProblems, type Dataset } from '../../schemas/dataset';
import { ValidationError, type Author } from './errors';
import { asInput, loadKnown, lookupsOf, type Known } from './known';
import { actorRecord, historyRow, idOf, insertEvent, labelStatements, runBatch, upsertActor, upsertIssue, type Statement, featuredStatements } from './statements';

export interface WriteSummary {
	actors: number;
	issues: number;
	events: number;
}

/** Every problem of a dataset against what is known, with paths such as "events[3].position". */
export function datasetProblems(data: Dataset, known: Known, now: string): Problem[] {
	const check = createChecker(lookupsOf(known), now);
	return [
		...data.actors.flatMap((a, i) => under(`actors[${i}]`, check.actor(a))),
		...data.issues.flatMap((s, i) => under(`issues[${i}]`, check.issue(s))),
		...data.events.flatMap((e, i) => under(`events[${i}]`, check.event(e)))
	];
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
	return out;
}

/**
 * The write path for a whole dataset: validates it (actors, issues and events, any of them
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
	const parsed = datasetSchema.safeParse(input);
	if (!parsed.success) throw new ValidationError(toProblems(parsed.error));
	const data = parsed.data;
	return enqueueWrite(db.$client, async () => {
		const known = await loadKnown(db);
		const problems = datasetProblems(data, known, now);
		if (problems.length) throw new ValidationError(problems);
		await runBatch(db, datasetStatements(db, data, known, by));
		return { actors: data.actors.length, issues: data.issues.length, events: data.events.length };
	});
}

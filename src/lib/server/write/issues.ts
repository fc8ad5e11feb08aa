/** The issue writer: create and update. Deleting and restoring are in `deleted.ts`. */
import type { Db } from '../db/client';
import { enqueueWrite } from '../db/queue';
import { issue } from '../db/schema';
import { today } from '../../domain/dates';
import { createChecker, strandedEventsProblem } from '../../domain/rules';
import { issueInputSchema } from '../../schemas/dataset';
import { NotFoundError, ValidationError, type Author } from './errors';
import { checkVersion, parseOne, refuseIf } from './input';
import { asInput, eventsOffScale, loadKnown, lookupsOf, rowOf } from './known';
import { currentRecord, recordAtVersion, runGuarded } from './guarded';
import { GuardError, featuredStatements, historyRow, idOf, issueValues, labelStatements, noneOffScaleOrAbort, runBatch, upsertIssue } from './statements';

type Written = { slug: string; version: number };

/** Adds an issue (slug must be new). */
export async function createIssue(db: Db, input: unknown, by: Author): Promise<Written> {
	const s = parseOne(issueInputSchema, input);
	return enqueueWrite(db.$client, async () => {
		const known = await loadKnown(db);
		if (known.issues.has(s.slug)) throw new ValidationError([{ path: 'slug', message: `"${s.slug}" is taken` }]);
		refuseIf(createChecker(lookupsOf(known), today()).issue(s));
		await runBatch(db, [upsertIssue(db, s), ...labelStatements(db, s), ...featuredStatements(db, s), historyRow(db, by, 'issue', idOf('issue', s.slug)!, 'create', null, s)]);
		return { slug: s.slug, version: 1 };
	});
}

/** Changes an issue; `patch.version` must be current. A new scale must still hold every event's position. */
export async function updateIssue(db: Db, slug: string, patch: Record<string, unknown>, by: Author): Promise<Written> {
	return enqueueWrite(db.$client, async () => {
		const known = await loadKnown(db);
		const cur = known.issues.get(slug);
		const row = await rowOf(db, issue, slug);
		if (!cur || cur.deleted || !row) throw new NotFoundError(`issue "${slug}"`);
		const before = asInput(cur);
		const { version, ...fields } = patch;
		checkVersion(version as number | undefined, row.version, before);
		// Rules are merged one by one: a patch that sets one rule leaves the others as they are.
		const rules = fields.rules && typeof fields.rules === 'object' ? { ...before.rules, ...fields.rules } : before.rules;
		const s = parseOne(issueInputSchema, { ...before, ...fields, rules, slug });
		const problems = createChecker(lookupsOf(known), today()).issue(s);
		const stranded = strandedEventsProblem(await eventsOffScale(db, row.id, s.scale));
		if (stranded) problems.push(stranded);
		refuseIf(problems);
		try {
			await runGuarded(db, {
				what: `issue "${slug}"`,
				reread: () => currentRecord(db, 'issue', slug),
				versionGiven: true,
				batch: [
					...recordAtVersion(db, issue, row.id, row.version, issueValues(s)),
					// Checked again in the batch: another process may have added an event since.
					noneOffScaleOrAbort(db, row.id, s.scale),
					...labelStatements(db, s),
					...featuredStatements(db, s),
					historyRow(db, by, 'issue', row.id, 'update', before, s)
				]
			});
		} catch (e) {
			if (e instanceof GuardError && e.reason === 'stranded_events') {
				throw new ValidationError([strandedEventsProblem(await eventsOffScale(db, row.id, s.scale)) ?? { path: 'scale.min', message: 'events on this issue would fall off the new scale' }]);
			}
			throw e;
		}
		return { slug, version: row.version + 1 };
	});
}

import { rulesOf } from '../../domain/changes';
import { evidenceOfRun, type NoKnownPosition, type StanceEvidence } from '../../domain/evidence';
import type { Issue } from '../../domain/types';
import type { Db } from '../db/client';
import { readerFor } from '../db/reader';
import { currentRun } from '../queries/evidence';

/**
 * The evidence behind an actor's current stance on each of the given issues (by issue slug): a
 * few index seeks per issue, whatever the size of the actor's record. An issue the actor has no
 * live event on is "no known position".
 */
export async function actorEvidence(db: Db, actorSlug: string, issues: readonly Issue[], today: string): Promise<Record<string, StanceEvidence | NoKnownPosition>> {
	const r = readerFor(db);
	const actor = (await r.get('select id from actor where slug = ? and deleted_at is null', [actorSlug])) as [number] | undefined;
	const out: Record<string, StanceEvidence | NoKnownPosition> = {};
	for (const issue of issues) {
		const row = actor ? ((await r.get('select id from issue where slug = ? and deleted_at is null', [issue.slug])) as [number] | undefined) : undefined;
		const minMove = (issue.rules?.minShare ?? 0) * (issue.scale.max - issue.scale.min);
		const run = actor && row ? await currentRun(db, actor[0], row[0], minMove) : null;
		out[issue.slug] = evidenceOfRun({ run, scale: issue.scale, today, rules: rulesOf(issue.rules) });
	}
	return out;
}

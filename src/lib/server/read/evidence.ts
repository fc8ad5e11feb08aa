import { rulesOf } from '../../domain/changes';
import { evidenceOfRun, type NoKnownPosition, type StanceEvidence } from '../../domain/evidence';
import type { Issue } from '../../domain/types';
import type { Db } from '../db/client';
import { readerFor } from '../db/reader';
import { currentRun } from '../queries/evidence';

/** Evidence by issue slug, then actor slug. */
export type EvidenceTable = Record<string, Record<string, StanceEvidence | NoKnownPosition>>;

/**
 * The evidence behind the current stance of each actor (by slug) on each issue: a few index seeks
 * per pair, whatever the size of the record. A pair with no live event (or an unknown actor) is
 * "no known position".
 */
export async function evidenceFor(db: Db, { actors, issues }: { actors: readonly string[]; issues: readonly Issue[] }, today: string): Promise<EvidenceTable> {
	const r = readerFor(db);
	const idOf = async (table: 'actor' | 'issue', slug: string) => ((await r.get(`select id from ${table} where slug = ? and deleted_at is null`, [slug])) as [number] | undefined)?.[0];
	const actorIds = await Promise.all(actors.map((slug) => idOf('actor', slug)));
	const out: EvidenceTable = {};
	for (const issue of issues) {
		const issueId = await idOf('issue', issue.slug);
		const minMove = (issue.rules?.minShare ?? 0) * (issue.scale.max - issue.scale.min);
		const row: Record<string, StanceEvidence | NoKnownPosition> = {};
		for (const [i, slug] of actors.entries()) {
			const actorId = actorIds[i];
			const run = actorId !== undefined && issueId !== undefined ? await currentRun(db, actorId, issueId, minMove) : null;
			row[slug] = evidenceOfRun({ run, scale: issue.scale, today, rules: rulesOf(issue.rules) });
		}
		out[issue.slug] = row;
	}
	return out;
}

/** The evidence behind an actor's current stance on each of the given issues, by issue slug. */
export async function actorEvidence(db: Db, actorSlug: string, issues: readonly Issue[], today: string): Promise<Record<string, StanceEvidence | NoKnownPosition>> {
	const table = await evidenceFor(db, { actors: [actorSlug], issues }, today);
	return Object.fromEntries(issues.map((i) => [i.slug, table[i.slug]![actorSlug]!]));
}

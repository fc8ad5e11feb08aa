import { eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { classConfirmation, issue, stanceEvent } from '../db/schema';
import type { ChangeRules, ClassConfirmation } from '../../domain/changes';
import type { MarkContext } from '../../charts/markers';

import * as corrections from './corrections';

export type { MarkContext };

/** Past this many events in a view, corrected events are not looked up (no rings). */
export const MARK_MAX_CORRECTED = 20_000;


/**
 * The confirmations, rules and corrections of the events a view has loaded (and nothing else):
 * lookups by id, in chunks. With `asof`, what was recorded by then.
 */
export async function markContext(db: Db, { eventIds, issues, asof = null }: { eventIds: readonly number[]; issues: readonly string[]; asof?: string | null }): Promise<MarkContext> {
	const ids = [...new Set(eventIds)];
	const wanted = new Set(ids);
	const confirmations: ClassConfirmation[] = [];
	// Confirmations are few (one per change an editor looked at): read those of the issues, keep the events'.
	if (issues.length && ids.length) {
		const rows = await db
			.select({ eventId: classConfirmation.eventId, class: classConfirmation.class, reason: classConfirmation.reason, at: classConfirmation.at })
			.from(classConfirmation)
			.innerJoin(stanceEvent, eq(stanceEvent.id, classConfirmation.eventId))
			.innerJoin(issue, eq(issue.id, stanceEvent.issueId))
			.where(inArray(issue.slug, [...issues]));
		for (const c of rows) if (wanted.has(c.eventId) && (!asof || c.at <= asof)) confirmations.push(c);
	}
	const rules: [string, Partial<ChangeRules>][] = [];
	if (issues.length) {
		const rows = await db
			.select({ slug: issue.slug, minShare: issue.changeMinShare, walkBackDays: issue.walkBackDays, staleAfterDays: issue.staleAfterDays })
			.from(issue)
			.where(inArray(issue.slug, [...issues]));
		for (const r of rows) {
			const own: Partial<ChangeRules> = {};
			if (r.minShare !== null) own.minShare = r.minShare;
			if (r.walkBackDays !== null) own.walkBackDays = r.walkBackDays;
			if (r.staleAfterDays !== null) own.staleAfterDays = r.staleAfterDays;
			if (Object.keys(own).length) rules.push([r.slug, own]);
		}
	}
	// Rings need one lookup per event: past MARK_MAX_CORRECTED events a view goes without them.
	const corrected = ids.length <= MARK_MAX_CORRECTED ? await corrections.correctedAmong(db, ids, asof) : [];
	return { confirmations, rules, corrected };
}

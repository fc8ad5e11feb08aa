import { inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { classConfirmation, issue, stanceEvent } from '../db/schema';
import { rulesOf, type ChangeRules, type ClassConfirmation } from '../../domain/changes';
import { deltaAt, type AsOfDelta } from './asofDelta';
import type { MarkContext } from '../../charts/markers';

import * as corrections from './corrections';

export type { MarkContext };

/** Past this many events in a view, corrected events are not looked up (no rings). */
export const MARK_MAX_CORRECTED = 20_000;


/**
 * The confirmations, rules and corrections of the events a view has loaded (and nothing else):
 * lookups by id, in chunks. With `asof`, as the record stood then: the confirmations given by
 * then as they were (an override since set back to the class confirmed then, one given since left
 * out), the issues' rules then (from their history) and the corrections made by then.
 */
export async function markContext(db: Db, { eventIds, issues, asof = null }: { eventIds: readonly number[]; issues: readonly string[]; asof?: string | AsOfDelta | null }): Promise<MarkContext> {
	const delta = typeof asof === 'string' ? await deltaAt(db, asof) : asof;
	const ids = [...new Set(eventIds)];
	const wanted = new Set(ids);
	const confirmations: ClassConfirmation[] = [];
	// Confirmations are few (one per change an editor looked at): read those of the issues, keep the events'.
	if (issues.length && ids.length) {
		// CROSS JOIN keeps SQLite walking the confirmations and looking their events up by id: joined
		// the other way it walked every event of the issue (100 ms on the UN votes' 870,000).
		const rows = await db.all<{ eventId: number; class: ClassConfirmation['class']; reason: string | null; at: string }>(
			sql`select c.event_id as eventId, c.class as class, c.reason as reason, c.at as at
				from ${classConfirmation} c cross join ${stanceEvent} e on e.id = c.event_id cross join ${issue} i on i.id = e.issue_id
				where i.slug in (${sql.join([...issues].map((s) => sql`${s}`), sql`, `)})`
		);
		for (const c of rows) {
			const id = Number(c.eventId);
			// Pinned: one changed since stands as it was then (none, when given since).
			if (!wanted.has(id) || delta?.confirmations.has(id)) continue;
			confirmations.push({ eventId: id, class: c.class, reason: c.reason, at: c.at });
		}
		if (delta) for (const [id, then] of delta.confirmations) if (then && wanted.has(id)) confirmations.push(then);
	}
	const rules: [string, Partial<ChangeRules>][] = [];
	if (issues.length) {
		const rows = await db
			.select({ slug: issue.slug, minShare: issue.changeMinShare, walkBackDays: issue.walkBackDays, staleAfterDays: issue.staleAfterDays })
			.from(issue)
			.where(inArray(issue.slug, [...issues]));
		for (const r of rows) {
			// Pinned: the rules the issue's history recorded then, where it changed since.
			const own = rulesOf(delta?.issues.get(r.slug)?.rules ?? r);
			if (Object.keys(own).length) rules.push([r.slug, own]);
		}
	}
	// Rings need one lookup per event: past MARK_MAX_CORRECTED events a view goes without them.
	const corrected = ids.length <= MARK_MAX_CORRECTED ? await corrections.correctedAmong(db, ids, delta?.asof ?? null) : [];
	return { confirmations, rules, corrected };
}

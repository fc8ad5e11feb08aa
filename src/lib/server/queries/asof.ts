import { and, asc, eq, gt } from 'drizzle-orm';
import type { Db } from '../db/client';
import { change } from '../db/schema';
import { eventFromRecord, statesAt, type HistoryRecord } from '../../domain/asof';
import type { StanceEvent } from '../../domain/types';
import * as events from './events';

/**
 * The events of some actors and issues as the record stood at `asof` (an ISO date-time from
 * `parseAsOf`): today's rows (deleted ones too) recorded by then, with every record changed since
 * set back to its state at `asof` from the history. Cost: the events in view plus the history
 * written after `asof`, however long the history before it.
 */
export async function eventsAsOf(db: Db, filter: { actors?: readonly string[]; issues?: readonly string[] }, asof: string): Promise<StanceEvent[]> {
	const [{ events: rows }, { events: deletedNow }, later] = await Promise.all([
		events.list(db, { ...filter, anyState: true }),
		events.list(db, { ...filter, deleted: true }),
		db
			.select({ id: change.id, entity: change.entity, entityId: change.entityId, action: change.action, at: change.at, before: change.before, after: change.after })
			.from(change)
			.where(and(eq(change.entity, 'event'), gt(change.at, asof)))
			.orderBy(asc(change.id))
	]);
	const states = statesAt({
		later: later.map(
			(h): HistoryRecord => ({
				...h,
				before: h.before ? (JSON.parse(h.before) as Record<string, unknown>) : null,
				after: h.after ? (JSON.parse(h.after) as Record<string, unknown>) : null
			})
		),
		entity: 'event'
	});
	const deleted = new Set(deletedNow.map((e) => e.id));
	const out: StanceEvent[] = [];
	const wanted = (e: StanceEvent) => (!filter.actors?.length || filter.actors.includes(e.actor)) && (!filter.issues?.length || filter.issues.includes(e.issue));
	for (const e of rows) {
		if (e.createdAt > asof && !states.has(e.id)) continue;
		if (states.has(e.id)) {
			const state = states.get(e.id);
			if (!state) continue;
			const then = eventFromRecord({ entityId: e.id, record: state, createdAt: e.createdAt, updatedAt: e.createdAt });
			if (wanted(then)) out.push(then);
			continue;
		}
		if (!deleted.has(e.id)) out.push(e);
	}
	return out;
}

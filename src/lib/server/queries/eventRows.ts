/**
 * Events read with plain SQL, rows as arrays (no ORM mapping: it costs about 40 us an event on
 * wide rows): one column list, one join and one row mapping for every such reader (the events
 * table of the issue page, an actor's series for markers and narratives, the streamed dataset export).
 */
import type { Db } from '../db/client';
import type { Confidence, DatePrecision, EventKind, Source, StanceEvent } from '../../domain/types';

/** The columns `eventOfRow` reads, in its order; `e` is the event, `a`, `i`, `sp`, `tg` its actor, issue, speaker and target. */
export const EVENT_COLUMNS = `e.id, a.slug, i.slug, sp.slug, tg.slug, e.date, e.date_precision, e.position, e.kind, e.summary, e.quote,
	e.quote_language, e.confidence, e.created_at, e.version, e.position_low, e.position_high`;

/** The joins EVENT_COLUMNS reads from. */
export const EVENT_FROM = `from stance_event e join actor a on a.id = e.actor_id join issue i on i.id = e.issue_id
	left join actor sp on sp.id = e.speaker_id left join actor tg on tg.id = e.target_id`;

/** A row of EVENT_COLUMNS as an event, with its sources. */
export function eventOfRow(r: readonly unknown[], sources: ReadonlyMap<number, Source[]>): StanceEvent {
	return {
		id: Number(r[0]),
		actor: String(r[1]),
		issue: String(r[2]),
		speaker: r[3] as string | null,
		target: r[4] as string | null,
		date: String(r[5]),
		datePrecision: r[6] as DatePrecision,
		position: Number(r[7]),
		kind: r[8] as EventKind,
		summary: String(r[9]),
		quote: r[10] as string | null,
		quoteLanguage: r[11] as string | null,
		confidence: r[12] as Confidence,
		createdAt: String(r[13]),
		version: Number(r[14]),
		positionLow: r[15] == null ? null : Number(r[15]),
		positionHigh: r[16] == null ? null : Number(r[16]),
		sources: sources.get(Number(r[0])) ?? []
	};
}

/** Sources from rows [event_id, outlet, title, url, published_on] in event and ordinal order, by event id. */
export function groupSources(rows: readonly (readonly unknown[])[]): Map<number, Source[]> {
	const sources = new Map<number, Source[]>();
	for (const r of rows) {
		const id = Number(r[0]);
		let list = sources.get(id);
		if (!list) sources.set(id, (list = []));
		list.push({ outlet: String(r[1]), title: r[2] as string | null, url: r[3] as string | null, publishedOn: r[4] as string | null });
	}
	return sources;
}

/** The sources of the given events, in their order, by event id (one query, the ids as one JSON argument). */
export async function sourcesOfEvents(db: Db, ids: readonly number[]): Promise<Map<number, Source[]>> {
	if (!ids.length) return new Map();
	const rs = await db.$client.execute({
		sql: 'select event_id, outlet, title, url, published_on from source where event_id in (select value from json_each(?)) order by event_id, ordinal',
		args: [JSON.stringify(ids)]
	});
	return groupSources(rs.rows.map((r) => r as unknown as unknown[]));
}

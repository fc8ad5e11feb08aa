import { sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { readerFor } from '../db/reader';
import { CORRECTION_GRACE_HOURS } from '../../domain/corrections';
import { changedFields } from '../../domain/records';
import type { ChangeAction } from '../../domain/types';

/** A correction as the public sees it: what changed, when and why; never who. */
export interface Correction {
	id: number;
	eventId: number;
	action: ChangeAction;
	at: string;
	reason: string | null;
	/** Labels of the fields an update changed. */
	fields: string[];
	/** The event's actor and issue (slugs), and its summary, as they stood after (or before a delete). */
	actor: string;
	issue: string;
	summary: string;
}

// A correction: any later change to an event that carries a reason, or that came after the grace
// period (those need a reason, but older history rows may lack one).
const WHERE = sql`c.entity = 'event' and c.action <> 'create'
	and (c.reason is not null or julianday(c.at) - julianday(e.created_at) > ${CORRECTION_GRACE_HOURS / 24})`;

type Row = { id: number; eventId: number; action: ChangeAction; at: string; reason: string | null; before: string | null; after: string | null };

function toCorrection(r: Row): Correction {
	const before = r.before ? (JSON.parse(r.before) as Record<string, unknown>) : null;
	const after = r.after ? (JSON.parse(r.after) as Record<string, unknown>) : null;
	const rec = after ?? before ?? {};
	return {
		id: r.id,
		eventId: r.eventId,
		action: r.action,
		at: r.at,
		reason: r.reason,
		fields: r.action === 'update' ? changedFields('event', before, after).map((f) => f.label) : [],
		actor: String(rec.actor ?? ''),
		issue: String(rec.issue ?? ''),
		summary: String(rec.summary ?? '')
	};
}

const SELECT = sql`select c.id as id, c.entity_id as eventId, c.action as action, c.at as at, c.reason as reason, c.before as before, c.after as after
	from change c join stance_event e on e.id = c.entity_id`;

/** The corrections of one event, oldest first. */
export async function forEvent(db: Db, eventId: number): Promise<Correction[]> {
	const rows = await db.all<Row>(sql`${SELECT} where ${WHERE} and c.entity_id = ${eventId} order by c.id`);
	return rows.map(toCorrection);
}

/** All corrections, newest first, a page at a time, with the total. */
export async function list(db: Db, { limit, offset }: { limit: number; offset: number }): Promise<{ total: number; corrections: Correction[] }> {
	const [rows, [count]] = await Promise.all([
		db.all<Row>(sql`${SELECT} where ${WHERE} order by c.id desc limit ${limit} offset ${offset}`),
		db.all<{ n: number }>(sql`select count(*) as n from change c join stance_event e on e.id = c.entity_id where ${WHERE}`)
	]);
	return { total: Number(count?.n ?? 0), corrections: rows.map(toCorrection) };
}

const CHUNK = 500;
// WHERE above as plain SQL text, for statements prepared once (a chart's thousands of ids, in chunks).
const amongSql = (n: number, asof: boolean) =>
	`select distinct c.entity_id from change c join stance_event e on e.id = c.entity_id
	where c.entity = 'event' and c.action <> 'create' and (c.reason is not null or julianday(c.at) - julianday(e.created_at) > ${CORRECTION_GRACE_HOURS / 24})
	and c.entity_id in (${Array(n).fill('?').join(',')})${asof ? ' and c.at <= ?' : ''}`;

/** Which of these events were corrected (by `asof`, when given): lookups by id, in chunks. */
export async function correctedAmong(db: Db, eventIds: readonly number[], asof: string | null = null): Promise<number[]> {
	const out: number[] = [];
	const reader = readerFor(db);
	for (let i = 0; i < eventIds.length; i += CHUNK) {
		const chunk = eventIds.slice(i, i + CHUNK);
		const rows = await reader.all(amongSql(chunk.length, asof !== null), asof ? [...chunk, asof] : chunk);
		for (const r of rows) out.push(Number(r[0]));
	}
	return out;
}

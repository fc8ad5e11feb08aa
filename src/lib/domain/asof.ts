import type { ContextEvent } from './context';
import { isIsoDate, periodStart } from './dates';
import {
	CONFIDENCES,
	DATE_PRECISIONS,
	EVENT_KINDS,
	type Actor,
	type ChangeAction,
	type Confidence,
	type DatePrecision,
	type Entity,
	type EventKind,
	type Issue,
	type Source,
	type StanceEvent
} from './types';

/** One entry of the history, as the store keeps it (before/after parsed from JSON). */
export interface HistoryRecord {
	/** Recording order: ties on `at` are broken by it. */
	id: number;
	entity: Entity;
	entityId: number;
	action: ChangeAction;
	/** ISO date-time in UTC. */
	at: string;
	before: Record<string, unknown> | null;
	after: Record<string, unknown> | null;
}

/** A record as it stood at a moment, with when it was created and last changed up to then. */
export interface RecordState {
	entityId: number;
	record: Record<string, unknown>;
	createdAt: string;
	updatedAt: string;
}

const DATE_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]00:?00)$/;

/**
 * Reads an `asof` parameter: an ISO 8601 date (`2025-11-12`, meaning the end of that day in UTC,
 * so everything recorded that day is included) or a UTC date-time (`2025-11-12T08:30:00Z`).
 * A moment after `now` is refused: the record of a moment still to come can change before it, so a
 * link pinned to it would not keep saying the same (a date is refused until its day has ended).
 * @returns the moment as an ISO date-time with milliseconds, or an error message naming the problem.
 * @example parseAsOf('2025-11-12') // { at: '2025-11-12T23:59:59.999Z' }
 */
export function parseAsOf(value: string, now: Date = new Date()): { at: string } | { error: string } {
	const at = readMoment(value.trim());
	if (at === null) return { error: 'must be a date (YYYY-MM-DD) or a UTC date-time (YYYY-MM-DDTHH:MM:SSZ)' };
	const current = now.toISOString();
	if (at > current) return { error: `is after now (${current}): the record of a moment to come is not fixed yet; give a moment up to now, or leave asof out for the current record` };
	return { at };
}

function readMoment(v: string): string | null {
	if (isIsoDate(v)) return `${v}T23:59:59.999Z`;
	const m = DATE_TIME.exec(v);
	if (m && isIsoDate(m[1]!)) {
		const [h, mi, s] = [Number(m[2]), Number(m[3]), Number(m[4] ?? 0)];
		if (h < 24 && mi < 60 && s < 60) {
			const ms = (m[5] ?? '.000').slice(1).padEnd(3, '0').slice(0, 3);
			return `${m[1]}T${m[2]}:${m[3]}:${String(s).padStart(2, '0')}.${ms}Z`;
		}
	}
	return null;
}

/** Normalises a stored time ("2025-11-12 08:30:00" or with T and Z) for comparison; a bare date is the end of that day. */
function norm(at: string): string {
	if (isIsoDate(at)) return `${at}T23:59:59.999Z`;
	const s = at.replace(' ', 'T');
	const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(?::(\d{2}))?(\.\d+)?Z?$/.exec(s);
	if (!m) return s;
	return `${m[1]}:${m[2] ?? '00'}.${(m[3] ?? '.000').slice(1).padEnd(3, '0').slice(0, 3)}Z`;
}

/**
 * The records of one kind as they stood at `asof`, from the history: the latest create, update or
 * restore on or before it gives the record; a delete removes it until a later restore. Records
 * created after `asof` do not exist yet.
 * @example recordsAsOf({ history, entity: 'event', asof: '2025-11-12T23:59:59.999Z' })
 */
export function recordsAsOf({
	history,
	entity,
	asof
}: {
	history: readonly HistoryRecord[];
	entity: Entity;
	asof: string;
}): Map<number, RecordState> {
	const at = norm(asof);
	const entries = history.filter((h) => h.entity === entity && norm(h.at) <= at).sort((a, b) => a.id - b.id);
	const out = new Map<number, RecordState>();
	const created = new Map<number, string>();
	for (const h of entries) {
		if (!created.has(h.entityId)) created.set(h.entityId, h.at);
		if (h.action === 'delete') {
			out.delete(h.entityId);
			continue;
		}
		const record = h.after ?? out.get(h.entityId)?.record ?? h.before;
		if (!record) continue;
		out.set(h.entityId, { entityId: h.entityId, record, createdAt: created.get(h.entityId)!, updatedAt: h.at });
	}
	return out;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const oneOf = <T extends string>(v: unknown, list: readonly T[], fallback: T): T => (list.includes(v as T) ? (v as T) : fallback);

function toSources(v: unknown): Source[] {
	if (!Array.isArray(v)) return [];
	return v.map((s: Record<string, unknown>) => ({
		outlet: str(s.outlet) ?? '',
		title: str(s.title),
		url: str(s.url),
		publishedOn: str(s.publishedOn)
	}));
}

/** A recorded event (the history's JSON of an event) as a stance event with its id and recording time. */
export function eventFromRecord(state: RecordState): StanceEvent {
	const r = state.record;
	const datePrecision = oneOf<DatePrecision>(r.datePrecision, DATE_PRECISIONS, 'day');
	return {
		id: state.entityId,
		actor: String(r.actor),
		issue: String(r.issue),
		speaker: str(r.speaker),
		target: str(r.target),
		date: periodStart(String(r.date), datePrecision),
		datePrecision,
		position: Number(r.position),
		...(typeof r.positionLow === 'number' && typeof r.positionHigh === 'number' ? { positionLow: r.positionLow, positionHigh: r.positionHigh } : {}),
		kind: oneOf<EventKind>(r.kind, EVENT_KINDS, 'statement'),
		summary: String(r.summary ?? ''),
		quote: str(r.quote),
		quoteLanguage: str(r.quoteLanguage),
		confidence: oneOf<Confidence>(r.confidence, CONFIDENCES, 'medium'),
		sources: toSources(r.sources),
		createdAt: norm(state.createdAt)
	};
}

/**
 * The record as it stood at `asof`: the events then live, on actors and issues then live, in series
 * order is left to `buildSeries`. Issues come with their scale as it then was.
 */
export function recordAsOf({ history, asof }: { history: readonly HistoryRecord[]; asof: string }): {
	actors: Map<string, Pick<Actor, 'slug' | 'name' | 'kind' | 'parent' | 'role'>>;
	issues: Map<string, Issue>;
	events: StanceEvent[];
} {
	const actors = new Map<string, Pick<Actor, 'slug' | 'name' | 'kind' | 'parent' | 'role'>>();
	for (const { record: r } of recordsAsOf({ history, entity: 'actor', asof }).values()) {
		const slug = String(r.slug);
		actors.set(slug, { slug, name: String(r.name ?? slug), kind: oneOf(r.kind, ['country', 'organisation', 'person', 'group'] as const, 'country'), parent: str(r.parent), role: str(r.role) });
	}
	const issues = new Map<string, Issue>();
	for (const { record: r } of recordsAsOf({ history, entity: 'issue', asof }).values()) issues.set(String(r.slug), issueFromRecord(r));
	// Events of actors or issues deleted at the time are hidden, as now; a history given without
	// actors or issues (events only) leaves that check out.
	const checkActors = history.some((h) => h.entity === 'actor');
	const checkIssues = history.some((h) => h.entity === 'issue');
	const events = [...recordsAsOf({ history, entity: 'event', asof }).values()]
		.map(eventFromRecord)
		.filter((e) => (!checkActors || actors.has(e.actor)) && (!checkIssues || issues.has(e.issue)));
	return { actors, issues, events };
}

/** True when a history entry was made after the moment (both ISO date-times). */
export function isAfter(h: Pick<HistoryRecord, 'at'>, asof: string): boolean {
	return norm(h.at) > norm(asof);
}

/** What a view shows, to tell which history entries change it: empty lists mean "all". */
export interface ViewScope {
	actors?: readonly string[];
	issues?: readonly string[];
	/** An actor page: events where this actor is the actor or the speaker. */
	involving?: string;
}

/**
 * Whether a history entry changes what a view of this scope shows: an event on its issues (of its
 * actors, or involving its actor, before or after the change), a context event on its issues, one
 * of its issues or actors, a bulk import (whose events have no entries of their own), or an
 * editor's class confirmation (its record names no issue).
 * @example touchesView({ entity: 'event', before: null, after: { actor: 'colombia', issue: 'intel' } }, { issues: ['intel'] }) // true
 */
export function touchesView(h: Pick<HistoryRecord, 'entity' | 'before' | 'after'>, scope: ViewScope): boolean {
	const any = (list: readonly string[] | undefined, v: unknown) => !list?.length || list.includes(String(v));
	const sides = [h.before, h.after].filter((r): r is Record<string, unknown> => r !== null);
	switch (h.entity) {
		case 'import':
			return true;
		case 'issue':
			return sides.some((r) => any(scope.issues, r.slug));
		case 'actor':
			return sides.some((r) => (scope.involving ? r.slug === scope.involving || !scope.actors?.length : any(scope.actors, r.slug)));
		case 'event':
			return sides.some(
				(r) => any(scope.issues, r.issue) && (scope.involving ? r.actor === scope.involving || r.speaker === scope.involving : any(scope.actors, r.actor))
			);
		case 'context':
			// Drawn on every chart of its issue.
			return sides.some((r) => any(scope.issues, r.issue));
		case 'confirmation':
			// A class confirmed or overridden changes a marker; its record names no actor or issue,
			// so it counts for every view (a pin at it is still the record the view shows).
			return true;
		default:
			return false;
	}
}

/**
 * The moment a citation pins a view to: the time of the newest history entry (newest first in
 * `recent`) that changes what the view shows. When none of `recent` does, the view has not changed
 * since the oldest of them: its time serves (nothing after it touches the view). Null when there is
 * no history at all.
 * @example pinOf({ recent: [{ at: '…T10', entity: 'event', … other issue }, { at: '…T09', … this issue }], scope }) // '…T09'
 */
export function pinOf({ recent, scope }: { recent: readonly Pick<HistoryRecord, 'entity' | 'before' | 'after' | 'at'>[]; scope: ViewScope }): string | null {
	for (const h of recent) if (touchesView(h, scope)) return norm(h.at);
	const oldest = recent[recent.length - 1];
	return oldest ? norm(oldest.at) : null;
}

/**
 * The day (UTC) of a moment: what "today" was for a view pinned to it (staleness, narratives).
 * @example dayOf('2025-11-12T23:59:59.999Z') // '2025-11-12'
 */
export const dayOf = (asof: string): string => normalAt(asof).slice(0, 10);

/** The normalised form of a stored time (ISO, milliseconds, Z), as `asof` values are compared. */
export const normalAt = norm;

/**
 * The one `asof` value of a URL, or null when there is none. Given twice with different values it is
 * refused: pages read a parameter's first value and the API its last, so one link would otherwise
 * pin its page and its data to different moments.
 */
export function asofParam(params: URLSearchParams): { value: string | null } | { error: string } {
	const values = params.getAll('asof');
	if (new Set(values).size > 1) return { error: `is given ${values.length} times with different values: give one moment` };
	return { value: values[0] ?? null };
}

/**
 * Reads the `asof` parameter of a URL: absent is the current record (null); a bad value is a
 * problem naming the parameter.
 */
export function readAsOf(params: URLSearchParams): { ok: true; asof: string | null; raw: string | null } | { ok: false; message: string } {
	const one = asofParam(params);
	if ('error' in one) return { ok: false, message: `parameter "asof" ${one.error}` };
	const raw = one.value;
	if (raw === null) return { ok: true, asof: null, raw: null };
	const parsed = parseAsOf(raw);
	if ('error' in parsed) return { ok: false, message: `parameter "asof" ${parsed.error}, e.g. 2025-11-12 or 2025-11-12T08:30:00Z` };
	return { ok: true, asof: parsed.at, raw };
}

/** An actor as its history records it (the dataset's shape) as the domain's actor. */
export function actorFromRecord(r: Record<string, unknown>): Actor {
	const slug = String(r.slug);
	return {
		slug,
		name: String(r.name ?? slug),
		kind: oneOf(r.kind, ['country', 'organisation', 'person', 'group'] as const, 'country'),
		parent: str(r.parent),
		role: str(r.role),
		countryCode: str(r.countryCode),
		color: str(r.color) ?? '#888888'
	};
}

/** An issue as its history records it (the dataset's shape), with its scale and labels as they were. */
export function issueFromRecord(r: Record<string, unknown>): Issue {
	const slug = String(r.slug);
	const scale = (r.scale ?? {}) as Partial<Issue['scale']>;
	const rules = r.rules && typeof r.rules === 'object' ? (r.rules as Record<string, unknown>) : null;
	const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
	return {
		slug,
		title: String(r.title ?? slug),
		description: String(r.description ?? ''),
		scale: { min: Number(scale.min ?? -2), max: Number(scale.max ?? 2), labels: Array.isArray(scale.labels) ? scale.labels : [] },
		// Its change rules when the record holds them (records written before rules existed do not).
		...(rules ? { rules: { minShare: num(rules.minShare), walkBackDays: num(rules.walkBackDays), staleAfterDays: num(rules.staleAfterDays) } } : {})
	};
}

/** A context event as its history records it. */
export function contextFromRecord(id: number, r: Record<string, unknown>): ContextEvent {
	const datePrecision = oneOf<DatePrecision>(r.datePrecision, DATE_PRECISIONS, 'day');
	const s = (r.source ?? {}) as Record<string, unknown>;
	return {
		id,
		issue: String(r.issue),
		date: periodStart(String(r.date), datePrecision),
		datePrecision,
		endDate: str(r.endDate) === null ? null : periodStart(String(r.endDate), datePrecision),
		label: String(r.label ?? ''),
		source: { outlet: str(s.outlet) ?? '', title: str(s.title), url: str(s.url), publishedOn: str(s.publishedOn) }
	};
}

/** The key of a series in `RecordDelta.series`: an actor's own stance (`by` actor) or what a person said (`by` speaker). */
export const seriesKey = (by: 'actor' | 'speaker', slug: string, issue: string): string => `${by === 'speaker' ? 's' : 'a'}:${slug}|${issue}`;

/** What the history written after a moment says was different at that moment (see `deltaSince`). */
export interface RecordDelta {
	/** Events changed since, by id: the record then, or null when it was not recorded then or was deleted then. */
	events: Map<number, Record<string, unknown> | null>;
	/** The same events as they are now (the last entry's record; null when deleted now). */
	eventsNow: Map<number, Record<string, unknown> | null>;
	/** Actors changed since, by slug (null: not there then). */
	actors: Map<string, Record<string, unknown> | null>;
	/** Issues changed since, by slug (null: not there then). */
	issues: Map<string, Record<string, unknown> | null>;
	/** Context events changed since, by id (null: not recorded then, or deleted then). */
	context: Map<number, Record<string, unknown> | null>;
	/** Series (`seriesKey`) an event change touches, on either side of it (an event moved between actors touches both). */
	series: Set<string>;
	/** Bulk imports recorded since (by import run id): their events and actors carry no history of their own. */
	imports: number[];
	/**
	 * Editors' class confirmations changed since, by the event they are tied to: as they stood then
	 * (`class`, `reason`), or null when none had been given then.
	 */
	confirmations: Map<number, Record<string, unknown> | null>;
}

/**
 * The other way round from `recordsAsOf`, for a large record and a recent moment: from the history
 * entries written after the moment only (in any order), what differed then. Anything not named
 * is as it is now (events: today's row, if it was recorded by then). Each record's state then is
 * the `before` of its first entry after the moment (null after a create or restore); actors and
 * issues a later import created did not exist then.
 * @example deltaSince({ later: [{ entity: 'event', entityId: 7, action: 'update', before: { position: 1, … } }] }).events.get(7) // { position: 1, … }
 */
export function deltaSince({ later }: { later: readonly HistoryRecord[] }): RecordDelta {
	const out: RecordDelta = { events: new Map(), eventsNow: new Map(), actors: new Map(), issues: new Map(), context: new Map(), series: new Set(), imports: [], confirmations: new Map() };
	const stateOf = (h: HistoryRecord) => (h.action === 'create' || h.action === 'restore' ? null : h.before);
	for (const h of [...later].sort((a, b) => a.id - b.id)) {
		const sides = [h.before, h.after].filter((r): r is Record<string, unknown> => r !== null);
		switch (h.entity) {
			case 'event':
				if (!out.events.has(h.entityId)) out.events.set(h.entityId, stateOf(h));
				out.eventsNow.set(h.entityId, h.action === 'delete' ? null : (h.after ?? h.before));
				for (const r of sides) {
					out.series.add(seriesKey('actor', String(r.actor), String(r.issue)));
					if (typeof r.speaker === 'string' && r.speaker) out.series.add(seriesKey('speaker', r.speaker, String(r.issue)));
				}
				break;
			case 'context':
				if (!out.context.has(h.entityId)) out.context.set(h.entityId, stateOf(h));
				break;
			case 'confirmation':
				if (!out.confirmations.has(h.entityId)) out.confirmations.set(h.entityId, stateOf(h));
				break;
			case 'actor':
			case 'issue': {
				const map = h.entity === 'actor' ? out.actors : out.issues;
				const slug = sides[0]?.slug;
				if (typeof slug === 'string' && !map.has(slug)) map.set(slug, stateOf(h));
				break;
			}
			case 'import': {
				out.imports.push(h.entityId);
				const after = h.after ?? {};
				for (const [key, map] of [['actorsCreated', out.actors], ['issuesCreated', out.issues]] as const) {
					const slugs = after[key];
					if (Array.isArray(slugs)) for (const s of slugs) if (typeof s === 'string' && !map.has(s)) map.set(s, null);
				}
				break;
			}
		}
	}
	return out;
}

/**
 * The actors (or issues) not in the record at a moment, by slug, from those deleted now and those
 * the history since names (`changed`: as they stood then, null when not there then; see
 * `deltaSince`): one deleted now is absent unless it was there then (deleted since), and one the
 * history since says was not there then (created since, or deleted before and restored since) is
 * absent whatever it is now. Every other slug was there then as it is now.
 * @example absentAt({ deletedNow: ['peru'], changed: new Map([['peru', { slug: 'peru' }], ['chile', null]]) }) // Set { 'chile' }
 */
export function absentAt({ deletedNow, changed }: { deletedNow: Iterable<string>; changed: ReadonlyMap<string, unknown> }): Set<string> {
	const out = new Set<string>();
	for (const slug of deletedNow) if (!changed.get(slug)) out.add(slug);
	for (const [slug, then] of changed) if (!then) out.add(slug);
	return out;
}

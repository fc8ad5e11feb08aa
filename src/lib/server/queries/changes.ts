import type { Db } from '../db/client';
import { classConfirmation, issue } from '../db/schema';
import { allChanges, type Change, type ChangeRules, type ClassConfirmation } from '../../domain/changes';
import { buildSeries, type Series } from '../../domain/series';
import type { Actor, Issue, StanceEvent } from '../../domain/types';
import { seriesEvents } from './eventPage';
import * as actors from './actors';
import * as events from './events';
import * as issues from './issues';
import { dataVersion } from './meta';
import { countViewEvents, viewMaxEvents } from './view';

/** Which actors and issues a record covers; none named is everything. */
export interface ChangeScope {
	actors?: string[];
	issues?: string[];
}

/** Everything the changes pages, feeds and "who moved" read, derived from the live record. */
export interface ChangeRecord {
	version: string;
	actors: Map<string, Actor>;
	issues: Map<string, Issue>;
	seriesList: Series[];
	rules: Map<string, Partial<ChangeRules>>;
	confirmations: Map<number, ClassConfirmation>;
	/** Every change of the record's scope, newest first. */
	changes: Change[];
	/** Slugs of the actors with live events (on any issue), for pickers. */
	activeActors: Set<string>;
	/**
	 * Set when the scope holds more events than VIEW_MAX_EVENTS: nothing was derived and `message`
	 * names the limit and what to ask for instead.
	 */
	tooLarge: { count: number; limit: number; message: string } | null;
}

// Deriving changes reads every event of its scope: keep the result until the data version moves
// (one lookup per request), so paging and filtering cost no more reads. Everything is one record
// while the whole record is under VIEW_MAX_EVENTS; past it, a request that names actors or issues
// gets a record of just those (changes are per actor and issue, so they are the same), a few kept.
const cache = new Map<string, Promise<ChangeRecord>>();
const SCOPED_KEPT = 16;
let cachedVersion = '';
let cachedDb: Db | null = null;

async function activeActors(db: Db): Promise<Set<string>> {
	const rs = await db.$client.execute(
		'select distinct a.slug from issue_actor_activity c join actor a on a.id = c.actor_id and a.deleted_at is null'
	);
	return new Set(rs.rows.map((r) => String(r[0])));
}

/**
 * The live events a record derives its changes from. A scope (some actors or issues) is read per
 * (actor, issue) pair with live events, each on the series index through the prepared raw reader
 * (`seriesEvents`: the same events and fields as `events.list`), which is several times cheaper
 * than mapping every row through Drizzle: the first /changes of five UN countries (about 30,000
 * votes) was 2 s. The whole record is one `events.list`.
 */
async function scopeEvents(db: Db, filter: { actors?: string[]; issues?: string[] }): Promise<StanceEvent[]> {
	if (!filter.actors && !filter.issues) return (await events.list(db, {})).events;
	const where: string[] = [];
	const args: string[] = [];
	if (filter.actors) {
		where.push(`a.slug in (${filter.actors.map(() => '?').join(',')})`);
		args.push(...filter.actors);
	}
	if (filter.issues) {
		where.push(`i.slug in (${filter.issues.map(() => '?').join(',')})`);
		args.push(...filter.issues);
	}
	const pairs = await db.$client.execute({
		sql: `select a.slug, i.slug from issue_actor_activity c
			join actor a on a.id = c.actor_id and a.deleted_at is null
			join issue i on i.id = c.issue_id and i.deleted_at is null
			where c.events > 0 and ${where.join(' and ')}`,
		args
	});
	const lists = await Promise.all(pairs.rows.map((r) => seriesEvents(db, { actor: String(r[0]), issue: String(r[1]) })));
	return lists.flat();
}

async function derive(db: Db, version: string, scope: ChangeScope, tooLarge: ChangeRecord['tooLarge']): Promise<ChangeRecord> {
	const filter = { actors: scope.actors?.length ? scope.actors : undefined, issues: scope.issues?.length ? scope.issues : undefined };
	const [actorList, issueList, all, ruleRows, confirmationRows, active] = await Promise.all([
		actors.list(db),
		issues.list(db),
		tooLarge ? Promise.resolve([] as StanceEvent[]) : scopeEvents(db, filter),
		db
			.select({ slug: issue.slug, minShare: issue.changeMinShare, walkBackDays: issue.walkBackDays, staleAfterDays: issue.staleAfterDays })
			.from(issue),
		db.select().from(classConfirmation),
		activeActors(db)
	]);
	const seriesList = buildSeries({ events: all });
	const scales = new Map(issueList.map((i) => [i.slug, i.scale]));
	const rules = new Map<string, Partial<ChangeRules>>();
	for (const r of ruleRows) {
		const own: Partial<ChangeRules> = {};
		if (r.minShare !== null) own.minShare = r.minShare;
		if (r.walkBackDays !== null) own.walkBackDays = r.walkBackDays;
		if (r.staleAfterDays !== null) own.staleAfterDays = r.staleAfterDays;
		if (Object.keys(own).length) rules.set(r.slug, own);
	}
	const confirmations = new Map<number, ClassConfirmation>(
		confirmationRows.map((c) => [c.eventId, { eventId: c.eventId, class: c.class, reason: c.reason, at: c.at }])
	);
	return {
		version,
		actors: new Map(actorList.map((a) => [a.slug, a])),
		issues: new Map(issueList.map((i) => [i.slug, i])),
		seriesList,
		rules,
		confirmations,
		changes: allChanges({ seriesList, scales, rules, confirmations }),
		activeActors: active,
		tooLarge
	};
}

function tooLargeMessage(count: number, limit: number): string {
	return (
		`these changes come from ${count.toLocaleString('en')} events, more than the ${limit.toLocaleString('en')} one request may read ` +
		`(VIEW_MAX_EVENTS): choose a few actors or issues`
	);
}

/**
 * The change records of the live data, cached by data version. With a scope (the actors and
 * issues a request filters on) it covers at least that scope: the whole record while that is
 * under VIEW_MAX_EVENTS, else only the scope's, or, past the limit even so, none (`tooLarge`).
 */
export async function record(db: Db, scope: ChangeScope = {}, opts: { maxEvents?: number } = {}): Promise<ChangeRecord> {
	const maxEvents = opts.maxEvents ?? viewMaxEvents();
	const version = await dataVersion(db);
	if (version !== cachedVersion || db !== cachedDb) {
		cache.clear();
		cachedVersion = version;
		cachedDb = db;
	}
	const whole = cache.get('*');
	if (whole) return whole;
	const total = await countViewEvents(db, {});
	let key = '*';
	let used: ChangeScope = {};
	let tooLarge: ChangeRecord['tooLarge'] = null;
	if (total > maxEvents) {
		const scoped = scope.actors?.length || scope.issues?.length;
		const count = scoped ? await countViewEvents(db, scope) : total;
		if (count > maxEvents) tooLarge = { count, limit: maxEvents, message: tooLargeMessage(count, maxEvents) };
		used = scoped ? { actors: [...(scope.actors ?? [])].sort(), issues: [...(scope.issues ?? [])].sort() } : {};
		key = JSON.stringify(used);
	}
	if (tooLarge) return derive(db, version, used, tooLarge);
	const hit = cache.get(key);
	if (hit) return hit;
	const made = derive(db, version, used, null);
	if (cache.size >= SCOPED_KEPT) cache.delete(cache.keys().next().value!);
	cache.set(key, made);
	made.catch(() => cache.delete(key));
	return made;
}

/** The change an event starts, if any (read from its actor's series on its issue alone when the record is large). */
export async function startedBy(db: Db, eventId: number): Promise<{ change: Change; record: ChangeRecord } | null> {
	const [ev] = (await events.list(db, { ids: [eventId] })).events;
	if (!ev) return null;
	const rec = await record(db, { actors: [ev.actor], issues: [ev.issue] });
	const change = rec.changes.find((c) => c.to.eventId === eventId);
	return change ? { change, record: rec } : null;
}

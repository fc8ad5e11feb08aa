import type { Db } from '../db/client';
import { classConfirmation, issue } from '../db/schema';
import { allChanges, type Change, type ChangeRules, type ClassConfirmation } from '../../domain/changes';
import { buildSeries, type Series } from '../../domain/series';
import type { Actor, Issue } from '../../domain/types';
import * as actors from './actors';
import * as events from './events';
import * as issues from './issues';
import { dataVersion } from './meta';

/** Everything the changes pages, feeds and "who moved" read, derived from the live record. */
export interface ChangeRecord {
	version: string;
	actors: Map<string, Actor>;
	issues: Map<string, Issue>;
	seriesList: Series[];
	rules: Map<string, Partial<ChangeRules>>;
	confirmations: Map<number, ClassConfirmation>;
	/** Every change, newest first. */
	changes: Change[];
}

// Deriving changes reads every live event: keep the result until the data version moves (one
// lookup per request), so paging and filtering cost no more reads.
let cached: Promise<ChangeRecord> | null = null;
let cachedVersion = '';
let cachedDb: Db | null = null;

async function derive(db: Db, version: string): Promise<ChangeRecord> {
	const [actorList, issueList, { events: all }, ruleRows, confirmationRows] = await Promise.all([
		actors.list(db),
		issues.list(db),
		events.list(db),
		db
			.select({ slug: issue.slug, minShare: issue.changeMinShare, walkBackDays: issue.walkBackDays, staleAfterDays: issue.staleAfterDays })
			.from(issue),
		db.select().from(classConfirmation)
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
		changes: allChanges({ seriesList, scales, rules, confirmations })
	};
}

/** The change records of the live data, cached by data version. */
export async function record(db: Db): Promise<ChangeRecord> {
	const version = await dataVersion(db);
	if (!cached || version !== cachedVersion || db !== cachedDb) {
		cachedVersion = version;
		cachedDb = db;
		cached = derive(db, version);
		cached.catch(() => (cached = null));
	}
	return cached;
}

/** The change an event starts, if any. */
export async function startedBy(db: Db, eventId: number): Promise<{ change: Change; record: ChangeRecord } | null> {
	const rec = await record(db);
	const change = rec.changes.find((c) => c.to.eventId === eventId);
	return change ? { change, record: rec } : null;
}

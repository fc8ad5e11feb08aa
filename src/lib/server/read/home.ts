import { detectChanges, newestFirst, rulesOf, type Change } from '../../domain/changes';
import { today as todayUtc } from '../../domain/dates';
import { evidenceOfRun } from '../../domain/evidence';
import { buildSeries } from '../../domain/series';
import type { Db } from '../db/client';
import { readerFor } from '../db/reader';
import * as actorsQ from '../queries/actors';
import * as events from '../queries/events';
import { currentRuns } from '../queries/evidence';
import { latestStances, recentChanges } from '../queries/home';
import * as issuesQ from '../queries/issues';
import { dataVersion } from '../queries/meta';

/** Stances shown per issue on the home page; the issue page has the rest. */
export const STANCES_PER_ISSUE = 8;
export const CHANGES_SHOWN = 12;

async function load(db: Db, today: string) {
	const r = readerFor(db);
	const [issues, actors, ids, stances, found] = await Promise.all([
		issuesQ.list(db),
		actorsQ.list(db),
		r.all("select 'a', id, slug from actor where deleted_at is null union all select 'i', id, slug from issue where deleted_at is null"),
		latestStances(db, { perIssue: STANCES_PER_ISSUE }),
		recentChanges(db, { limit: CHANGES_SHOWN })
	]);
	const idOf = new Map(ids.map(([kind, id, slug]) => [`${kind}:${slug}`, id as number]));
	const actorById = new Map(actors.map((a) => [idOf.get(`a:${a.slug}`), a]));
	const issueList = issues.map((issue) => ({ id: idOf.get(`i:${issue.slug}`)!, issue }));
	// Derive and class the changes from each series' newest events, as the full series would.
	const tails = await events.list(db, { ids: [...new Set(found.flatMap((c) => c.tail))] });
	const byId = new Map(tails.events.map((e) => [e.id, e]));
	const issueBySlug = new Map(issueList.map((i) => [i.issue.slug, i.issue]));
	let changes: Change[] = [];
	for (const c of found) {
		const [series] = buildSeries({ events: c.tail.flatMap((id) => byId.get(id) ?? []) });
		const issue = series ? issueBySlug.get(series.issue) : undefined;
		if (series && issue) changes.push(...detectChanges({ series, scale: issue.scale, rules: rulesOf(issue.rules) }));
	}
	changes = changes.sort(newestFirst).slice(0, CHANGES_SHOWN);
	// The evidence behind each stance shown: a few index seeks per (actor, issue) pair.
	const runs = await currentRuns(
		db,
		issueList.flatMap(({ id, issue }) =>
			(stances.get(id)?.latest ?? []).map((l) => ({ actorId: l.actorId, issueId: id, minMove: (issue.rules?.minShare ?? 0) * (issue.scale.max - issue.scale.min) }))
		)
	);
	const shown = new Set(changes.map((c) => c.actor));
	for (const s of stances.values()) for (const l of s.latest) shown.add(actorById.get(l.actorId)?.slug ?? '');
	return {
		issues: issueList.map(({ id, issue }) => {
			const s = stances.get(id);
			return {
				...issue,
				actorCount: s?.actors ?? 0,
				stances: (s?.latest ?? []).flatMap((l) => {
					const actor = actorById.get(l.actorId);
					if (!actor) return [];
					const run = runs.get(`${l.actorId}:${id}`) ?? null;
					const evidence = evidenceOfRun({ run, scale: issue.scale, today, rules: rulesOf(issue.rules) });
					return [{ actor: actor.slug, point: { date: l.date, datePrecision: l.datePrecision, position: l.position, eventId: l.eventId }, evidence }];
				})
			};
		}),
		// Only the actors the page names: a few hundred at most, whatever the database holds.
		actors: actors.filter((a) => shown.has(a.slug)),
		changes: changes.map((c) => ({
			actor: c.actor,
			issue: c.issue,
			class: c.class,
			direction: c.direction,
			delta: c.delta,
			from: { date: c.from.date, datePrecision: c.from.datePrecision, position: c.from.position },
			to: { date: c.to.date, datePrecision: c.to.datePrecision, position: c.to.position, eventId: c.to.eventId, event: { summary: c.to.event.summary } }
		}))
	};
}

export type HomeData = Awaited<ReturnType<typeof load>>;

// The home page's data changes only with the data, and its staleness marks with the day: keep it
// until either moves.
let cached: { db: Db; version: string; data: Promise<HomeData> } | null = null;

/** The home page's data: current stances per issue and the latest changes, cached by data version. */
export async function homeData(db: Db): Promise<HomeData> {
	const today = todayUtc();
	const version = `${await dataVersion(db)}@${today}`;
	if (!cached || cached.db !== db || cached.version !== version) {
		const data = load(db, today);
		cached = { db, version, data };
		data.catch(() => {
			if (cached?.data === data) cached = null;
		});
	}
	return cached.data;
}

/**
 * The benchmark database (tests/bench/generate.ts): a skewed synthetic dataset (a few busy actors
 * and issues, bursts and quiet years) plus the chart issue (20 countries x 5,000 events, the
 * chart figure's), written with multi-row INSERTs through the same triggers as every write.
 */
import { statSync } from 'node:fs';
import { createDb } from '../../../src/lib/server/db/client';
import { migrateDb } from '../../../src/lib/server/db/migrate';
import { events, plan as layout } from '../generate';
import { loadPlan } from '../load';
import { log } from '../measure';
import type { Context, Section } from './types';

/** The issue `chart_render_ms` draws: 20 countries x 5,000 events, evenly spread. */
export const CHART_ISSUE = { slug: 'chart-20x5000', title: 'Chart benchmark: 20 countries x 5,000 events', actors: 20, eventsPerActor: 5000 };

/**
 * Full: 1,000,000 events, 500 actors, 50 issues (900,000 skewed over 49 issues plus the chart
 * issue's 100,000). Quick: 100,000 skewed events, 200 actors, 19 skewed issues, plus the chart
 * issue (so the chart figure is the same in both modes): 200,000 events in all.
 */
export function plan(quick: boolean) {
	return quick
		? layout({ events: 100_000, actors: 200, issues: 19, fixed: [CHART_ISSUE] })
		: layout({ events: 900_000, actors: 500, issues: 49, fixed: [CHART_ISSUE] });
}

export const data: Section = {
	name: 'data',
	async run(ctx: Context) {
		const p = plan(ctx.quick);
		ctx.db = createDb({ url: `file:${ctx.dbFile}` });
		if (ctx.reuse) {
			// --use-db: a database an earlier run kept; busiest first, from the per-pair totals.
			await migrateDb(ctx.db, `${ctx.root}/drizzle`);
			const busiest = async (col: 'actor' | 'issue') =>
				(await ctx.db.$client.execute(`select t.slug from issue_actor_activity c join ${col} t on t.id = c.${col}_id group by t.slug order by sum(c.events) desc`)).rows.map((r) => String(r[0]));
			ctx.actors = await busiest('actor');
			ctx.issues = await busiest('issue');
			const rows = (await ctx.db.$client.execute('select i.slug, a.slug, c.events from issue_actor_activity c join issue i on i.id = c.issue_id join actor a on a.id = c.actor_id order by c.events desc')).rows;
			ctx.issueEvents = new Map();
			ctx.actorsByIssue = new Map();
			for (const [i, a, n] of rows.map((r) => [String(r[0]), String(r[1]), Number(r[2])] as const)) {
				ctx.issueEvents.set(i, (ctx.issueEvents.get(i) ?? 0) + n);
				ctx.actorsByIssue.set(i, [...(ctx.actorsByIssue.get(i) ?? []), a]);
			}
			ctx.chartIssue = CHART_ISSUE.slug;
			ctx.chartActors = ctx.actorsByIssue.get(CHART_ISSUE.slug) ?? [];
			return { figures: { db_file_mb: round(statSync(ctx.dbFile).size / 1024 / 1024, 1) }, notes: [{ what: 'database reused', value: ctx.dbFile }] };
		}
		await migrateDb(ctx.db, `${ctx.root}/drizzle`);
		log(`data: ${p.total.toLocaleString('en')} events over ${p.pairs.length.toLocaleString('en')} (actor, issue) series, ${p.actors.length} actors, ${p.issues.length} issues`);
		const r = await loadPlan(ctx.db, p, events(p), (done) => log(`  ${done.toLocaleString('en')} events`));
		// Busiest first: by events written.
		const tally = (key: 'actor' | 'issue', n: number) => {
			const t = new Array(n).fill(0);
			for (const pair of p.pairs) t[pair[key]] += pair.events;
			return t.map((c, i) => ({ c, i })).sort((a, b) => b.c - a.c);
		};
		ctx.actors = tally('actor', p.countries.length).map((x) => p.countries[x.i]!);
		ctx.issues = tally('issue', p.issueSlugs.length).map((x) => p.issueSlugs[x.i]!);
		ctx.issueEvents = new Map();
		const byIssue = new Map<string, { a: string; n: number }[]>();
		for (const pair of p.pairs) {
			const slug = p.issueSlugs[pair.issue]!;
			ctx.issueEvents.set(slug, (ctx.issueEvents.get(slug) ?? 0) + pair.events);
			byIssue.set(slug, [...(byIssue.get(slug) ?? []), { a: p.countries[pair.actor]!, n: pair.events }]);
		}
		ctx.actorsByIssue = new Map([...byIssue].map(([slug, list]) => [slug, list.sort((x, y) => y.n - x.n).map((x) => x.a)]));
		ctx.chartIssue = CHART_ISSUE.slug;
		ctx.chartActors = p.countries.slice(0, CHART_ISSUE.actors);
		const mb = statSync(ctx.dbFile).size / 1024 / 1024;
		return {
			figures: { db_file_mb: round(mb, 1) },
			notes: [
				{ what: 'events written (raw multi-row INSERTs, triggers on)', value: `${r.events.toLocaleString('en')}`, note: `${Math.round(r.events / (r.ms / 1000)).toLocaleString('en')} rows/s with one source row each` },
				{ what: 'busiest series', value: `${Math.max(...p.pairs.map((x) => x.events)).toLocaleString('en')} events`, note: `median series ${median(p.pairs.map((x) => x.events))} events` }
			]
		};
	}
};

export const round = (v: number, digits = 2) => Number(v.toFixed(digits));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

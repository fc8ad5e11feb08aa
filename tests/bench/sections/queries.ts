/** In-process query figures on the benchmark database: one series, and the latest stances on an issue. */
import { latestOnIssue } from '../../../src/lib/server/queries/home';
import { actorRefs, compactSeries, issueRef } from '../../../src/lib/server/queries/series';
import { percentile } from '../measure';
import { prng } from '../generate';
import { round } from './data';
import type { Context, Section } from './types';

export const queries: Section = {
	name: 'queries',
	async run(ctx: Context) {
		const rand = prng(42);
		// 200 varied (actor, issue) pairs, busy and quiet alike, with events or without.
		const pairs = Array.from({ length: 200 }, () => ({
			actor: ctx.actors[Math.floor(Math.pow(rand(), 2) * ctx.actors.length)]!,
			issue: ctx.issues[Math.floor(Math.pow(rand(), 2) * ctx.issues.length)]!
		}));
		const one = async (p: { actor: string; issue: string }) => {
			const issue = (await issueRef(ctx.db, p.issue))!;
			const { found } = await actorRefs(ctx.db, [p.actor]);
			return (await compactSeries(ctx.db, issue, found))[0]?.points.length ?? 0;
		};
		for (const p of pairs.slice(0, 20)) await one(p);
		const times: number[] = [];
		let points = 0;
		for (const p of pairs) {
			const t0 = performance.now();
			points += await one(p);
			times.push(performance.now() - t0);
		}
		const issueIds = await Promise.all(ctx.issues.slice(0, 20).map(async (s) => (await issueRef(ctx.db, s))!.id));
		for (const id of issueIds.slice(0, 3)) await latestOnIssue(ctx.db, id);
		const latest: number[] = [];
		for (let k = 0; k < 3; k++) {
			for (const id of issueIds) {
				const t0 = performance.now();
				await latestOnIssue(ctx.db, id);
				latest.push(performance.now() - t0);
			}
		}
		return {
			figures: {
				series_query_p50_ms: round(percentile(times, 50), 3),
				series_query_p99_ms: round(percentile(times, 99), 3),
				latest_by_issue_p50_ms: round(percentile(latest, 50), 3)
			},
			notes: [
				{ what: 'series query (issue + actor by slug, compact points)', value: `p50 ${percentile(times, 50).toFixed(2)} ms, p99 ${percentile(times, 99).toFixed(2)} ms`, note: `200 pairs, ${Math.round(points / 200)} points on average, max ${Math.max(...times).toFixed(1)} ms` },
				{ what: 'latest stance of every actor on one issue', value: `p50 ${percentile(latest, 50).toFixed(2)} ms`, note: `${latest.length} runs over ${issueIds.length} issues, max ${Math.max(...latest).toFixed(1)} ms` }
			]
		};
	}
};

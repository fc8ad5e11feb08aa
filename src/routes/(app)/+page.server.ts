import { db } from '$lib/server/db';
import * as actors from '$lib/server/queries/actors';
import * as events from '$lib/server/queries/events';
import * as issues from '$lib/server/queries/issues';
import { latestChanges } from '$lib/domain/changes';
import { buildSeries, latest } from '$lib/domain/series';
import type { PageServerLoad } from './$types';

export const load = (async () => {
	const [issueList, actorList, { events: all }] = await Promise.all([
		issues.list(db),
		actors.list(db),
		events.list(db)
	]);
	const seriesList = buildSeries({ events: all });
	const scales = new Map(issueList.map((i) => [i.slug, i.scale]));
	const changes = latestChanges({ seriesList, scales, limit: 12 });
	return {
		issues: issueList.map((issue) => ({
			...issue,
			stances: seriesList
				.filter((s) => s.issue === issue.slug)
				.map((s) => ({ actor: s.actor, point: latest(s)! }))
				.sort((a, b) => b.point.date.localeCompare(a.point.date)),
			events: all.filter((e) => e.issue === issue.slug).length
		})),
		actors: actorList,
		changes: changes.map((c) => ({
			actor: c.actor,
			issue: c.issue,
			class: c.class,
			direction: c.direction,
			delta: c.delta,
			from: { date: c.from.date, datePrecision: c.from.datePrecision, position: c.from.position },
			to: c.to
		}))
	};
}) satisfies PageServerLoad;

import { json } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { jsonError, parseQuery } from '$lib/server/http';
import * as series from '$lib/server/queries/series';
import { seriesQuerySchema } from '$lib/schemas/query';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ url }) => {
	const q = parseQuery(seriesQuerySchema, url);
	if (!q.ok) return q.response;
	const r = await series.forIssue(db, q.data);
	if (!r.ok) return jsonError(404, r.error);
	return json({
		issue: r.issue,
		series: r.series.map((s) => ({
			actor: s.actor,
			points: s.points.map((p) => ({
				date: p.date,
				datePrecision: p.datePrecision,
				position: p.position,
				eventId: p.eventId
			}))
		}))
	});
};

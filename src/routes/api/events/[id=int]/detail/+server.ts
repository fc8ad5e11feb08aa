import { json } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { jsonError } from '$lib/server/http';
import { eventDetail } from '$lib/server/queries/eventPage';
import type { RequestHandler } from './$types';

/** What a chart's tooltip shows of one event (quote, speaker, sources, names resolved): fetched on hover. */
export const GET: RequestHandler = async ({ params }) => {
	const d = await eventDetail(db, Number(params.id));
	return d ? json(d, { headers: { 'cache-control': 'no-cache' } }) : jsonError(404, `event ${params.id} not found`);
};

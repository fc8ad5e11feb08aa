import { json } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { jsonError } from '$lib/server/http';
import { eventDetail } from '$lib/server/queries/eventPage';
import { eventDetailAt } from '$lib/server/pages/asof';
import { readAsOf } from '$lib/domain/asof';
import type { RequestHandler } from './$types';

/**
 * What a chart's tooltip shows of one event (quote, speaker, sources, names resolved): fetched on
 * hover. With ?asof=, as the event stood then (a page pinned to a moment asks this way).
 */
export const GET: RequestHandler = async ({ params, url }) => {
	const at = readAsOf(url.searchParams);
	if (!at.ok) return jsonError(400, at.message, [{ parameter: 'asof', message: at.message }]);
	const d = at.asof ? await eventDetailAt(db, Number(params.id), at.asof) : await eventDetail(db, Number(params.id));
	if (d) return json(d, { headers: { 'cache-control': 'no-cache' } });
	return jsonError(404, at.asof ? `event ${params.id} was not in the record on ${at.asof} (parameter "asof")` : `event ${params.id} not found`);
};

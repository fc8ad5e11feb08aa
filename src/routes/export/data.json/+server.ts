import { env } from '$env/dynamic/private';
import { db } from '$lib/server/db';
import { exportCacheHeaders, exportContext } from '$lib/server/export';
import { textStream, viewJsonPages } from '$lib/server/exportData';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ url }) => {
	const r = await exportContext(db, url);
	if (!r.ok) return r.response;
	const { ctx } = r;
	// The same bytes as json(viewJson(...)), sent a page of events at a time.
	return new Response(textStream(viewJsonPages(ctx.model, ctx.loaded.actors, ctx.permalink, ctx.citation, ctx.eventPages())), {
		headers: {
			'Content-Type': 'application/json',
			...exportCacheHeaders({ requireLogin: env.REQUIRE_LOGIN === 'true', validator: false }),
			'Content-Disposition': `attachment; filename="${ctx.filename('json')}"`
		}
	});
};

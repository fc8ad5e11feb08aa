import { env } from '$env/dynamic/private';
import { db } from '$lib/server/db';
import { exportCacheHeaders, exportContext } from '$lib/server/export';
import { eventsCsvPages, textStream } from '$lib/server/exportData';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ url }) => {
	const r = await exportContext(db, url);
	if (!r.ok) return r.response;
	const { ctx } = r;
	// Sent a page of events at a time: the whole file is never held as one string.
	return new Response(textStream(eventsCsvPages(ctx.model, ctx.loaded.actors, ctx.loaded.issues, ctx.citation, ctx.eventPages())), {
		headers: {
			...exportCacheHeaders({ requireLogin: env.REQUIRE_LOGIN === 'true', validator: false }),
			'Content-Type': 'text/csv; charset=utf-8',
			'Content-Disposition': `attachment; filename="${ctx.filename('csv')}"`
		}
	});
};

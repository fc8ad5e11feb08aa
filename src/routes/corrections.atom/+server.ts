import { db } from '$lib/server/db';
import * as corrections from '$lib/server/queries/corrections';
import { atomResponse, correctionsAtom, feedAsOfRefusal } from '$lib/server/feeds';
import type { RequestHandler } from './$types';

/** Atom feed of the 50 newest corrections. */
export const GET: RequestHandler = async ({ url }) => {
	const pinned = feedAsOfRefusal(url);
	if (pinned) return pinned;
	const { corrections: list } = await corrections.list(db, { limit: 50, offset: 0 });
	return atomResponse(correctionsAtom({ origin: url.origin, corrections: list }));
};

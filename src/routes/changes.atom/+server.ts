import { db } from '$lib/server/db';
import * as changeQ from '$lib/server/queries/changes';
import { changesQuerySchema } from '$lib/schemas/query';
import { changeView } from '$lib/domain/changeView';
import { atomResponse, changesAtom, feedAsOfRefusal } from '$lib/server/feeds';
import { jsonError, parseQuery } from '$lib/server/http';
import type { RequestHandler } from './$types';

const ENTRIES = 50;

/** Atom feed of changes, newest first; `?actors=`, `?issues=` and `?classes=` narrow it as on /changes. */
export const GET: RequestHandler = async ({ url }) => {
	const pinned = feedAsOfRefusal(url);
	if (pinned) return pinned;
	const q = parseQuery(changesQuerySchema, url);
	if (!q.ok) return q.response;
	const names = await changeQ.changeNames(db);
	// A feed of an actor or issue that does not exist is a 404, not an empty feed a reader would keep polling.
	const unknown = [
		...(q.data.actors ?? []).filter((s) => !names.actors.has(s)).map((s) => ({ parameter: 'actors', message: `unknown actor "${s}"` })),
		...(q.data.issues ?? []).filter((s) => !names.issues.has(s)).map((s) => ({ parameter: 'issues', message: `unknown issue "${s}"` }))
	];
	if (unknown.length) return jsonError(404, unknown.map((u) => `parameter "${u.parameter}": ${u.message}`).join('; '), unknown);
	const pending = await changeQ.ensureFresh(db, q.data);
	const changes = (await changeQ.changesPage(db, q.data, { per: ENTRIES })).changes.map((c) => changeView(c, names));
	const about = [
		...(q.data.actors ?? []).map((s) => names.actors.get(s)?.name ?? s),
		...(q.data.issues ?? []).map((s) => names.issues.get(s)?.title ?? s)
	];
	const search = url.searchParams.toString();
	const response = atomResponse(
		changesAtom({
			origin: url.origin,
			self: `${url.origin}/changes.atom${search ? `?${search}` : ''}`,
			alternate: `${url.origin}/changes${search ? `?${search}` : ''}`,
			title: `Stance Tracker: changes${about.length ? ` (${about.join(', ')})` : ''}`,
			changes
		})
	);
	// While series are still being derived, a feed reader asks again rather than keep this one.
	if (pending) response.headers.set('cache-control', 'no-store');
	return response;
};

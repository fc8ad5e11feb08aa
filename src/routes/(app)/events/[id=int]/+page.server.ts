import { error, fail, redirect } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { formAuthor } from '$lib/server/auth/guard';
import { choices } from '$lib/server/editing';
import { attempt } from '$lib/server/formWrite';
import * as events from '$lib/server/queries/events';
import * as history from '$lib/server/queries/history';
import { restoreEvent } from '$lib/server/write';
import { canEdit } from '$lib/domain/roles';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ params, locals }) => {
	const id = Number(params.id);
	const editor = canEdit(locals.user);
	const [live, c] = await Promise.all([events.byId(db, id), choices(db)]);
	let event = live;
	// Deleted events exist only for editors, who can restore them.
	if (!event && editor) event = (await events.list(db, { ids: [id], deleted: true })).events[0] ?? null;
	if (!event) error(404, `No event ${id}`);
	return {
		event,
		deleted: !live,
		actors: c.actors,
		issues: c.issues,
		history: editor ? await history.forRecord(db, 'event', id) : null
	};
}) satisfies PageServerLoad;

export const actions = {
	restore: async (event) => {
		const author = formAuthor(event);
		const id = Number(event.params.id);
		const r = await attempt(() => restoreEvent(db, id, author));
		if (r.kind === 'invalid') return fail(400, { restoreError: `It cannot be restored yet: ${r.problems.map((p) => p.message).join('; ')}.` });
		redirect(303, `/events/${id}`);
	}
} satisfies Actions;

import { error, fail, redirect } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { formAuthor } from '$lib/server/auth/guard';
import { choices } from '$lib/server/editing';
import { attempt } from '$lib/server/formWrite';
import * as events from '$lib/server/queries/events';
import * as changeQ from '$lib/server/queries/changes';
import * as corrections from '$lib/server/queries/corrections';
import { changeView } from '$lib/domain/changeView';
import * as history from '$lib/server/queries/history';
import { confirmClass, restoreEvent } from '$lib/server/write';
import { canEdit } from '$lib/domain/roles';
import { isCorrection } from '$lib/domain/corrections';
import { readAsOf, normalAt } from '$lib/domain/asof';
import { AsOfReader, eventAt } from '$lib/server/pages/asof';
import { changeStartedAt } from '$lib/server/pages/issueChanges';
import * as actorQ from '$lib/server/queries/actors';
import * as issueQ from '$lib/server/queries/issues';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ params, locals, url }) => {
	const id = Number(params.id);
	const at = readAsOf(url.searchParams);
	if (!at.ok) error(400, at.message);
	if (at.asof) return eventAsOf(id, at.asof);
	const editor = canEdit(locals.user);
	const [live, c] = await Promise.all([events.byId(db, id), choices(db)]);
	let event = live;
	// Deleted events exist only for editors, who can restore them.
	if (!event && editor) event = (await events.list(db, { ids: [id], deleted: true })).events[0] ?? null;
	if (!event) error(404, `No event ${id}`);
	const started = live ? await changeQ.startedBy(db, id) : null;
	return {
		change: started ? changeView(started.change, started.names) : null,
		event,
		deleted: !live,
		// Restoring an event that had been public past the grace period is a correction: it needs a reason.
		restoreNeedsReason: !live && isCorrection(event.createdAt, new Date().toISOString()),
		actors: c.actors,
		issues: c.issues,
		history: editor ? await history.forRecord(db, 'event', id) : null,
		// Public: what was corrected, when and why; never who.
		corrections: await corrections.forEvent(db, id),
		asof: null as string | null,
		/** Pinned: why the event is not shown (recorded after the moment, deleted by then, its actor or issue not in the record then). */
		missing: null as 'not-yet' | 'deleted' | 'absent' | null,
		/** Pinned: whether the event is live now (else the banner has no current version to link). */
		liveNow: true
	};
}) satisfies PageServerLoad;

/**
 * The event's page as the record stood at `asof`: the event then (or why it is not there), the
 * names, titles and scales of then, the change it started then and the corrections made by then;
 * no history or edit controls (they act on today's record).
 */
async function eventAsOf(id: number, asof: string) {
	const reader = await AsOfReader.at(db, asof);
	const [found, live, actorList, issueList, allCorrections] = await Promise.all([
		eventAt(db, reader, id),
		events.byId(db, id),
		actorQ.list(db, { at: reader.delta }),
		issueQ.list(db, { at: reader.delta }),
		corrections.forEvent(db, id)
	]);
	if (!found) error(404, `No event ${id}`);
	const event = found.event;
	const issue = event ? issueList.find((i) => i.slug === event.issue) : undefined;
	const change = event && issue ? await changeStartedAt(db, reader.delta, event, issue) : null;
	const names = { actors: new Map(actorList.map((a) => [a.slug, a])), issues: new Map(issueList.map((i) => [i.slug, i])) };
	return {
		change: change ? changeView(change, names) : null,
		event,
		deleted: false,
		restoreNeedsReason: false,
		actors: actorList,
		issues: issueList,
		history: null,
		corrections: allCorrections.filter((c) => normalAt(c.at) <= asof),
		asof: asof as string | null,
		missing: found.status === 'then' ? null : found.status,
		liveNow: live !== null
	};
}

export const actions = {
	confirm: async (event) => {
		const author = formAuthor(event);
		const id = Number(event.params.id);
		const fd = await event.request.formData();
		const values = { class: String(fd.get('class') ?? ''), reason: String(fd.get('reason') ?? '') };
		const started = await changeQ.startedBy(db, id);
		const r = await attempt(() => confirmClass(db, id, values, started?.change.ruleClass ?? null, author));
		if (r.kind === 'invalid') {
			return fail(400, { confirm: values, confirmErrors: Object.fromEntries(r.problems.map((p) => [p.path, p.message])) as Record<string, string> });
		}
		if (r.kind === 'missing') return fail(404, { confirm: values, confirmErrors: { class: 'This event starts no change.' } as Record<string, string> });
		redirect(303, `/events/${id}`);
	},
	restore: async (event) => {
		const author = formAuthor(event);
		const id = Number(event.params.id);
		const reason = String((await event.request.formData()).get('reason') ?? '');
		const r = await attempt(() => restoreEvent(db, id, author, reason));
		if (r.kind === 'invalid') return fail(400, { restoreError: `It cannot be restored yet: ${r.problems.map((p) => p.message).join('; ')}.` });
		redirect(303, `/events/${id}`);
	}
} satisfies Actions;

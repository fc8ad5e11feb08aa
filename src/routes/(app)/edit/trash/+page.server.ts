import { fail } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { formAuthor, requireRole } from '$lib/server/auth/guard';
import { choices } from '$lib/server/editing';
import { attempt } from '$lib/server/formWrite';
import * as actors from '$lib/server/queries/actors';
import * as events from '$lib/server/queries/events';
import * as issues from '$lib/server/queries/issues';
import { restoreEvent, setDeleted } from '$lib/server/write';
import { isCorrection } from '$lib/domain/corrections';
import type { Actions, PageServerLoad } from './$types';

export const load = (async (event) => {
	requireRole(event, 'editor');
	const [deletedEvents, deletedActors, deletedIssues, c] = await Promise.all([
		events.list(db, { deleted: true }),
		actors.deleted(db),
		issues.deleted(db),
		choices(db)
	]);
	const now = new Date().toISOString();
	// Restoring an event that had been public past the grace period is a correction: it needs a reason.
	const needReason = deletedEvents.events.filter((e) => isCorrection(e.createdAt, now)).map((e) => e.id);
	return { events: deletedEvents.events.reverse(), needReason, deletedActors, deletedIssues, actors: c.actors, issues: c.issues };
}) satisfies PageServerLoad;

const field = (fd: FormData, key: string) => {
	const v = fd.get(key);
	return typeof v === 'string' ? v : '';
};

const refused = (problems: { message: string }[]) => fail(400, { error: `Not restored: ${problems.map((p) => p.message).join('; ')}.` });

export const actions = {
	restoreEvent: async (event) => {
		const author = formAuthor(event);
		const fd = await event.request.formData();
		const id = Number(field(fd, 'id'));
		if (!Number.isInteger(id) || id < 1) return fail(400, { error: 'Not restored: no such event.' });
		const r = await attempt(() => restoreEvent(db, id, author, field(fd, 'reason')));
		if (r.kind === 'invalid') return refused(r.problems);
		if (r.kind === 'missing') return fail(404, { error: 'That event is not in the trash (any more).' });
		return { restored: { what: 'the event', href: `/events/${id}` } };
	},
	restoreActor: async (event) => {
		const author = formAuthor(event);
		const slug = field(await event.request.formData(), 'slug');
		const r = await attempt(() => setDeleted(db, 'actor', slug, false, undefined, author));
		if (r.kind === 'invalid') return refused(r.problems);
		if (r.kind === 'missing') return fail(404, { error: 'That actor is not in the trash (any more).' });
		return { restored: { what: `the actor "${slug}"`, href: `/actors/${slug}` } };
	},
	restoreIssue: async (event) => {
		const author = formAuthor(event);
		const slug = field(await event.request.formData(), 'slug');
		const r = await attempt(() => setDeleted(db, 'issue', slug, false, undefined, author));
		if (r.kind === 'invalid') return refused(r.problems);
		if (r.kind === 'missing') return fail(404, { error: 'That issue is not in the trash (any more).' });
		return { restored: { what: `the issue "${slug}"`, href: `/issues/${slug}` } };
	}
} satisfies Actions;

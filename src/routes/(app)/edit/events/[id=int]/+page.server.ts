import { error, fail, redirect } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { formAuthor, requireRole } from '$lib/server/auth/guard';
import { checkEventForm, choices, namesOf, rowsAgain } from '$lib/server/editing';
import { attempt, formVersion } from '$lib/server/formWrite';
import * as events from '$lib/server/queries/events';
import { deleteEvent, updateEvent } from '$lib/server/write';
import { isCorrection } from '$lib/domain/corrections';
import { periodStart, today } from '$lib/domain/dates';
import { compareRecords } from '$lib/domain/records';
import { addProblems, eventFormValues, readEventForm } from '$lib/schemas/forms';
import type { Actions, PageServerLoad } from './$types';

export const load = (async (event) => {
	requireRole(event, 'editor');
	const id = Number(event.params.id);
	const [e, c] = await Promise.all([events.byId(db, id), choices(db)]);
	if (!e) {
		// A deleted event is shown, with its Restore button, on its own page.
		const gone = await events.list(db, { ids: [id], deleted: true });
		if (gone.events.length) redirect(303, `/events/${id}`);
		error(404, `No event ${id}`);
	}
	return { ...c, id, version: e.version ?? 1, values: eventFormValues(e), today: today(), correction: isCorrection(e.createdAt, new Date().toISOString()) };
}) satisfies PageServerLoad;

export const actions = {
	save: async (event) => {
		const author = formAuthor(event);
		const id = Number(event.params.id);
		const fd = await event.request.formData();
		const values = readEventForm(fd);
		const version = formVersion(fd);
		const reason = String(fd.get('reason') ?? '');
		// "Save mine over it" after a conflict: the editor chose to write over the stored version.
		const over = formVersion(fd, 'overwrite');
		const form = await checkEventForm(db, values);
		if (Object.keys(form.errors).length) return fail(400, { values: rowsAgain(values), errors: form.errors, version, reason });
		const r = await attempt(() => updateEvent(db, id, { ...form.input, version: over ?? version, reason }, author));
		if (r.kind === 'ok') redirect(303, `/events/${id}`);
		if (r.kind === 'invalid') {
			const reasonErrors = r.problems.filter((p) => p.path === 'reason');
			const errors = addProblems({}, r.problems.filter((p) => p.path !== 'reason'), form.map);
			if (reasonErrors.length) errors.reason = reasonErrors.map((p) => p.message).join('; ');
			return fail(400, { values: rowsAgain(values), errors, version, reason });
		}
		if (r.kind === 'missing') {
			return fail(404, { values: rowsAgain(values), errors: { _form: 'This event was deleted while you were editing it. Its page has a Restore button.' }, version });
		}
		// Never overwrite silently: show both versions, field by field, and let the editor choose.
		const mine = form.parsed ? { ...form.parsed, date: periodStart(form.parsed.date, form.parsed.datePrecision) } : form.input;
		const rows = compareRecords('event', mine, r.current, namesOf(await choices(db)));
		return fail(409, { values: rowsAgain(values), errors: {}, version, conflict: { version: r.currentVersion, rows } });
	},
	delete: async (event) => {
		const author = formAuthor(event);
		const id = Number(event.params.id);
		const fd = await event.request.formData();
		const version = formVersion(fd);
		const r = await attempt(() => deleteEvent(db, id, version, author, String(fd.get('reason') ?? '')));
		if (r.kind === 'conflict') {
			return fail(409, { deleteError: 'Someone changed this event since you opened it. Load it again, check it, then delete.' });
		}
		if (r.kind === 'invalid') return fail(400, { deleteError: r.problems.map((p) => p.message).join('; ') });
		// Deleted now or already: its page shows it with a Restore button.
		redirect(303, `/events/${id}`);
	}
} satisfies Actions;

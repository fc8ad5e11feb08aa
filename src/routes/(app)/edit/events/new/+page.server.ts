import { fail, redirect } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { formAuthor, requireRole } from '$lib/server/auth/guard';
import { checkEventForm, choices, rowsAgain } from '$lib/server/editing';
import { attempt } from '$lib/server/formWrite';
import { createEvent } from '$lib/server/write';
import { today } from '$lib/domain/dates';
import { addProblems, eventFormValues, readEventForm } from '$lib/schemas/forms';
import type { Actions, PageServerLoad } from './$types';

export const load = (async (event) => {
	requireRole(event, 'editor');
	const c = await choices(db);
	// Prefills from links such as "Add an event" on an issue or actor page; unknown slugs are ignored.
	const issue = event.url.searchParams.get('issue');
	const actor = event.url.searchParams.get('actor');
	const values = eventFormValues({
		issue: c.issues.some((i) => i.slug === issue) ? issue! : undefined,
		actor: c.actors.some((a) => a.slug === actor) ? actor! : undefined,
		date: today()
	});
	return { ...c, values, today: today() };
}) satisfies PageServerLoad;

export const actions = {
	default: async (event) => {
		const author = formAuthor(event);
		const values = readEventForm(await event.request.formData());
		const form = await checkEventForm(db, values);
		if (Object.keys(form.errors).length) return fail(400, { values: rowsAgain(values), errors: form.errors });
		const r = await attempt(() => createEvent(db, form.input, author));
		if (r.kind !== 'ok') {
			const errors = r.kind === 'invalid' ? addProblems({}, r.problems, form.map) : { _form: 'The event could not be saved.' };
			return fail(400, { values: rowsAgain(values), errors });
		}
		redirect(303, `/events/${r.value.id}`);
	}
} satisfies Actions;

import { fail, redirect } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { formAuthor, requireRole } from '$lib/server/auth/guard';
import { attempt } from '$lib/server/formWrite';
import * as actors from '$lib/server/queries/actors';
import { createActor } from '$lib/server/write';
import { actorFormValues, addProblems, parseActorForm, readActorForm } from '$lib/schemas/forms';
import type { Actions, PageServerLoad } from './$types';

export const load = (async (event) => {
	requireRole(event, 'editor');
	const parent = event.url.searchParams.get('parent');
	const list = await actors.list(db);
	const values = actorFormValues({ parent: list.some((a) => a.slug === parent) ? parent : null, kind: parent ? 'person' : 'country' });
	return { actors: list.map((a) => ({ slug: a.slug, name: a.name })), values };
}) satisfies PageServerLoad;

export const actions = {
	default: async (event) => {
		const author = formAuthor(event);
		const values = readActorForm(await event.request.formData());
		const form = parseActorForm(values);
		if (Object.keys(form.errors).length) return fail(400, { values, errors: form.errors });
		const r = await attempt(() => createActor(db, form.input, author));
		if (r.kind !== 'ok') {
			return fail(400, { values, errors: r.kind === 'invalid' ? addProblems({}, r.problems, form.map) : { _form: 'The actor could not be saved.' } });
		}
		redirect(303, `/actors/${r.value.slug}`);
	}
} satisfies Actions;

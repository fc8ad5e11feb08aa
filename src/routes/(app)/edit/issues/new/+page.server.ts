import { fail, redirect } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { formAuthor, requireRole } from '$lib/server/auth/guard';
import { attempt } from '$lib/server/formWrite';
import { createIssue } from '$lib/server/write';
import { addProblems, issueFormValues, parseIssueForm, readIssueForm } from '$lib/schemas/forms';
import type { Actions, PageServerLoad } from './$types';

export const load = (async (event) => {
	requireRole(event, 'editor');
	return { values: issueFormValues() };
}) satisfies PageServerLoad;

export const actions = {
	default: async (event) => {
		const author = formAuthor(event);
		const values = readIssueForm(await event.request.formData());
		const form = parseIssueForm(values);
		if (Object.keys(form.errors).length) return fail(400, { values, errors: form.errors });
		const r = await attempt(() => createIssue(db, form.input, author));
		if (r.kind !== 'ok') {
			return fail(400, { values, errors: r.kind === 'invalid' ? addProblems({}, r.problems, form.map) : { _form: 'The issue could not be saved.' } });
		}
		redirect(303, `/issues/${r.value.slug}`);
	}
} satisfies Actions;

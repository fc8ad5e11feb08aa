import { error, fail, redirect } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { formAuthor, requireRole } from '$lib/server/auth/guard';
import { attempt, formVersion } from '$lib/server/formWrite';
import * as issues from '$lib/server/queries/issues';
import { issueActors, issueId } from '$lib/server/queries/eventPage';
import { setDeleted, updateIssue } from '$lib/server/write';
import { compareRecords } from '$lib/domain/records';
import { addProblems, issueFormValues, parseIssueForm, readIssueForm } from '$lib/schemas/forms';
import type { Actions, PageServerLoad } from './$types';

export const load = (async (event) => {
	requireRole(event, 'editor');
	const { slug } = event.params;
	const [issue, version, id] = await Promise.all([issues.bySlug(db, slug), issues.versionOf(db, slug), issueId(db, slug)]);
	if (!issue || version === null || id === null) {
		if ((await issues.deleted(db)).some((i) => i.slug === slug)) redirect(303, '/edit/trash');
		error(404, `No issue called "${slug}"`);
	}
	const actors = (await issueActors(db, id)).sort((a, b) => b.events - a.events || a.name.localeCompare(b.name));
	const featured = actors.filter((a) => a.featured !== null).sort((a, b) => a.featured! - b.featured!).map((a) => a.slug);
	return {
		slug,
		title: issue.title,
		version,
		values: issueFormValues({ ...issue, featured }),
		actors: actors.map((a) => ({ slug: a.slug, name: a.name, events: a.events }))
	};
}) satisfies PageServerLoad;

export const actions = {
	save: async (event) => {
		const author = formAuthor(event);
		const { slug } = event.params;
		const fd = await event.request.formData();
		const values = { ...readIssueForm(fd), slug };
		const version = formVersion(fd);
		const over = formVersion(fd, 'overwrite');
		const form = parseIssueForm(values);
		if (Object.keys(form.errors).length) return fail(400, { values, errors: form.errors, version });
		const { slug: _slug, ...fields } = form.input;
		const r = await attempt(() => updateIssue(db, slug, { ...fields, version: over ?? version }, author));
		if (r.kind === 'ok') redirect(303, `/issues/${slug}`);
		if (r.kind === 'invalid') return fail(400, { values, errors: addProblems({}, r.problems, form.map), version });
		if (r.kind === 'missing') return fail(404, { values, errors: { _form: 'This issue was deleted while you were editing it; restore it from the trash first.' }, version });
		const rows = compareRecords('issue', form.parsed ?? form.input, r.current);
		return fail(409, { values, errors: {}, version, conflict: { version: r.currentVersion, rows } });
	},
	delete: async (event) => {
		const author = formAuthor(event);
		const { slug } = event.params;
		const version = formVersion(await event.request.formData());
		const r = await attempt(() => setDeleted(db, 'issue', slug, true, version, author));
		if (r.kind === 'conflict') return fail(409, { deleteError: 'Someone changed this issue since you opened it. Load it again, check it, then delete.' });
		if (r.kind === 'invalid') return fail(400, { deleteError: r.problems.map((p) => p.message).join('; ') });
		redirect(303, '/edit/trash');
	}
} satisfies Actions;

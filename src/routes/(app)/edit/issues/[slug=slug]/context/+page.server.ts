import { error, fail, redirect } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { formAuthor, requireRole } from '$lib/server/auth/guard';
import { attempt, formVersion } from '$lib/server/formWrite';
import * as contextQ from '$lib/server/queries/context';
import * as history from '$lib/server/queries/history';
import * as issues from '$lib/server/queries/issues';
import { createContextEvent, deleteContextEvent, restoreContextEvent, updateContextEvent } from '$lib/server/write';
import { today } from '$lib/domain/dates';
import { compareRecords } from '$lib/domain/records';
import { addProblems, contextFormValues, parseContextForm, readContextForm } from '$lib/schemas/forms';
import type { Actions, PageServerLoad } from './$types';

const idOf = (fd: FormData): number | null => {
	const v = fd.get('id');
	return typeof v === 'string' && /^\d{1,12}$/.test(v) ? Number(v) : null;
};

export const load = (async (event) => {
	requireRole(event, 'editor');
	const { slug } = event.params;
	const issue = await issues.bySlug(db, slug);
	if (!issue) error(404, `No issue called "${slug}"`);
	const [list, deleted] = await Promise.all([contextQ.forIssues(db, [slug]), contextQ.deletedOf(db, slug)]);
	const editId = Number(event.url.searchParams.get('edit'));
	const editing = list.find((c) => c.id === editId) ?? null;
	const histories = await Promise.all(list.map((c) => history.forRecord(db, 'context', c.id)));
	return {
		slug,
		title: issue.title,
		context: list.map((c, i) => ({ ...c, history: histories[i]! })),
		deleted,
		editing: editing ? { id: editing.id, version: editing.version!, values: contextFormValues(editing) } : null,
		blank: contextFormValues()
	};
}) satisfies PageServerLoad;

export const actions = {
	add: async (event) => {
		const author = formAuthor(event);
		const { slug } = event.params;
		const values = readContextForm(await event.request.formData());
		const form = parseContextForm(values, slug, today());
		if (Object.keys(form.errors).length) return fail(400, { action: 'add', values, errors: form.errors });
		const r = await attempt(() => createContextEvent(db, form.input, author));
		if (r.kind === 'invalid') return fail(400, { action: 'add', values, errors: addProblems({}, r.problems, form.map) });
		if (r.kind !== 'ok') return fail(404, { action: 'add', values, errors: { _form: 'This issue was deleted; restore it from the trash first.' } });
		return { action: 'add', saved: `Added “${form.parsed!.label}”.` };
	},
	save: async (event) => {
		const author = formAuthor(event);
		const { slug } = event.params;
		const fd = await event.request.formData();
		const id = idOf(fd);
		const values = readContextForm(fd);
		const version = formVersion(fd);
		const over = formVersion(fd, 'overwrite');
		if (id === null) return fail(400, { action: 'save', id, values, version, errors: { _form: 'Which context event? The form lost its id; load the page again.' } });
		const form = parseContextForm(values, slug, today());
		if (Object.keys(form.errors).length) return fail(400, { action: 'save', id, values, version, errors: form.errors });
		const { issue: _issue, ...fields } = form.input;
		const r = await attempt(() => updateContextEvent(db, id, { ...fields, version: over ?? version }, author));
		if (r.kind === 'ok') redirect(303, `/edit/issues/${slug}/context`);
		if (r.kind === 'invalid') return fail(400, { action: 'save', id, values, version, errors: addProblems({}, r.problems, form.map) });
		if (r.kind === 'missing') return fail(404, { action: 'save', id, values, version, errors: { _form: 'This context event was deleted while you were editing it.' } });
		const rows = compareRecords('context', form.parsed ?? form.input, r.current);
		return fail(409, { action: 'save', id, values, version, errors: {}, conflict: { version: r.currentVersion, rows } });
	},
	delete: async (event) => {
		const author = formAuthor(event);
		const fd = await event.request.formData();
		const id = idOf(fd);
		if (id === null) return fail(400, { action: 'delete', deleteError: 'Which context event? Load the page again.' });
		const r = await attempt(() => deleteContextEvent(db, id, formVersion(fd), author));
		if (r.kind === 'conflict') return fail(409, { action: 'delete', id, deleteError: 'Someone changed this context event since you opened the page. Load it again, check it, then delete.' });
		if (r.kind !== 'ok') return fail(404, { action: 'delete', id, deleteError: 'This context event is already deleted.' });
		return { action: 'delete', saved: 'Deleted. It is listed under “Deleted” below and can be restored.' };
	},
	restore: async (event) => {
		const author = formAuthor(event);
		const id = idOf(await event.request.formData());
		if (id === null) return fail(400, { action: 'restore', deleteError: 'Which context event? Load the page again.' });
		const r = await attempt(() => restoreContextEvent(db, id, author));
		if (r.kind === 'invalid') return fail(400, { action: 'restore', id, deleteError: r.problems.map((p) => p.message).join('; ') });
		if (r.kind !== 'ok') return fail(404, { action: 'restore', id, deleteError: 'This context event is not deleted.' });
		return { action: 'restore', saved: 'Restored.' };
	}
} satisfies Actions;

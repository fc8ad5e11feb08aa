import { error, fail, redirect } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { formAuthor, requireRole } from '$lib/server/auth/guard';
import { namesOf, choices } from '$lib/server/editing';
import { attempt, formVersion } from '$lib/server/formWrite';
import * as actors from '$lib/server/queries/actors';
import { setDeleted, updateActor } from '$lib/server/write';
import { compareRecords } from '$lib/domain/records';
import { actorFormValues, addProblems, parseActorForm, readActorForm } from '$lib/schemas/forms';
import type { Actions, PageServerLoad } from './$types';

export const load = (async (event) => {
	requireRole(event, 'editor');
	const { slug } = event.params;
	const [actor, version, list] = await Promise.all([actors.bySlug(db, slug), actors.versionOf(db, slug), actors.list(db)]);
	if (!actor || version === null) {
		if ((await actors.deleted(db)).some((a) => a.slug === slug)) redirect(303, '/edit/trash');
		error(404, `No actor called "${slug}"`);
	}
	return { slug, name: actor.name, version, values: actorFormValues(actor), actors: list.map((a) => ({ slug: a.slug, name: a.name })) };
}) satisfies PageServerLoad;

export const actions = {
	save: async (event) => {
		const author = formAuthor(event);
		const { slug } = event.params;
		const fd = await event.request.formData();
		const values = { ...readActorForm(fd), slug };
		const version = formVersion(fd);
		const over = formVersion(fd, 'overwrite');
		const form = parseActorForm(values);
		if (Object.keys(form.errors).length) return fail(400, { values, errors: form.errors, version });
		const { slug: _slug, ...fields } = form.input;
		const r = await attempt(() => updateActor(db, slug, { ...fields, version: over ?? version }, author));
		if (r.kind === 'ok') redirect(303, `/actors/${slug}`);
		if (r.kind === 'invalid') return fail(400, { values, errors: addProblems({}, r.problems, form.map), version });
		if (r.kind === 'missing') return fail(404, { values, errors: { _form: 'This actor was deleted while you were editing it; restore it from the trash first.' }, version });
		const rows = compareRecords('actor', form.parsed ?? form.input, r.current, namesOf(await choices(db)));
		return fail(409, { values, errors: {}, version, conflict: { version: r.currentVersion, rows } });
	},
	delete: async (event) => {
		const author = formAuthor(event);
		const { slug } = event.params;
		const version = formVersion(await event.request.formData());
		const r = await attempt(() => setDeleted(db, 'actor', slug, true, version, author));
		if (r.kind === 'conflict') return fail(409, { deleteError: 'Someone changed this actor since you opened it. Load it again, check it, then delete.' });
		if (r.kind === 'invalid') return fail(400, { deleteError: r.problems.map((p) => p.message).join('; ') });
		redirect(303, '/edit/trash');
	}
} satisfies Actions;

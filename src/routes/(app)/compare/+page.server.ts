import { redirect } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import * as actors from '$lib/server/queries/actors';
import { compareModel } from '$lib/server/pages/compare';
import { compareSearch, parseCompareView } from '$lib/domain/view';
import { today } from '$lib/domain/dates';
import { evidenceFor } from '$lib/server/read/evidence';
import { refuseUnreadableAsof, viewPin } from '$lib/server/read/viewCite';
import type { PageServerLoad } from './$types';

export const load = (async ({ url }) => {
	// The picker without JavaScript: ?add=<name or slug> adds an actor, then the canonical URL.
	const add = url.searchParams.get('add')?.trim();
	let addProblem: string | null = null;
	if (add !== undefined) {
		const { view } = parseCompareView(url.searchParams);
		const wanted = add.toLowerCase();
		const found = (await actors.list(db)).find((a) => a.slug === wanted || a.name.toLowerCase() === wanted);
		if (found && !view.actors.includes(found.slug)) view.actors.push(found.slug);
		if (found || add === '') redirect(303, `/compare${compareSearch(view)}`);
		addProblem = `no actor is called "${add}"`;
	}
	const { loaded, events, compact, table, query } = await compareModel(db, url);
	if (addProblem) loaded.problems.push({ parameter: 'add', message: addProblem });

	// Forms submit lists as repeated parameters or in another order: settle on the canonical link
	// (the table's own parameters kept after the view's).
	const extra = TABLE_PARAMS.flatMap((k) => {
		const v = url.searchParams.get(k);
		return v ? [`${k}=${encodeURIComponent(v)}`] : [];
	});
	const canonical = loaded.search + (extra.length ? `${loaded.search ? '&' : '?'}${extra.join('&')}` : '');
	if (loaded.problems.length === 0 && decodeURIComponent(url.search) !== decodeURIComponent(canonical)) redirect(303, `/compare${canonical}`);
	refuseUnreadableAsof(loaded);
	const pin = loaded.shownIssues.length ? await viewPin(db, loaded) : loaded.asof;
	// Where each shown actor stands now on each shown issue, and on what evidence (a few index seeks
	// a pair; left out as of a moment, and past EVIDENCE_PAIRS pairs).
	const pairs = loaded.shownActors.length * loaded.shownIssues.length;
	const evidence =
		loaded.asof || loaded.tooLarge || !pairs || pairs > EVIDENCE_PAIRS
			? null
			: await evidenceFor(db, { actors: loaded.shownActors, issues: loaded.issues.filter((i) => loaded.shownIssues.includes(i.slug)) }, today());

	return {
		view: loaded.view,
		shownIssues: loaded.shownIssues,
		shownActors: loaded.shownActors,
		problems: loaded.problems,
		tooLarge: loaded.tooLarge,
		actors: loaded.actors,
		issues: loaded.issues,
		events,
		context: loaded.context,
		compact,
		table,
		query,
		asof: loaded.asof,
		pin,
		marks: loaded.marks,
		evidence
	};
}) satisfies PageServerLoad;

/** Past this many (actor, issue) pairs the page shows no "where they stand now" tables. */
const EVIDENCE_PAIRS = 100;

/** The events table's parameters (table mode), kept in the canonical link. */
const TABLE_PARAMS = ['actor', 'speaker', 'kind', 'sort', 'page'];

import { redirect } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import * as actors from '$lib/server/queries/actors';
import * as events from '$lib/server/queries/events';
import * as issues from '$lib/server/queries/issues';
import { compareSearch, parseCompareView, type ViewProblem } from '$lib/domain/view';
import type { PageServerLoad } from './$types';

export const load = (async ({ url }) => {
	const [actorList, issueList] = await Promise.all([actors.list(db), issues.list(db)]);
	const { view, problems } = parseCompareView(url.searchParams);

	// The picker without JavaScript: ?add=<name or slug> adds an actor, then the canonical URL.
	const add = url.searchParams.get('add')?.trim();
	if (add !== undefined) {
		const wanted = add.toLowerCase();
		const found = actorList.find((a) => a.slug === wanted || a.name.toLowerCase() === wanted);
		if (found && !view.actors.includes(found.slug)) view.actors.push(found.slug);
		if (found || add === '') redirect(303, `/compare${compareSearch(view)}`);
		problems.push({ parameter: 'add', message: `no actor is called "${add}"` });
	}

	const known = (list: string[], have: Set<string>, parameter: string, what: string) =>
		list.filter((slug) => {
			if (have.has(slug)) return true;
			problems.push({ parameter, message: `unknown ${what} "${slug}" was left out` });
			return false;
		});
	view.actors = known(view.actors, new Set(actorList.map((a) => a.slug)), 'actors', 'actor');
	view.issues = known(view.issues, new Set(issueList.map((i) => i.slug)), 'issues', 'issue');
	if (view.focus && !view.actors.includes(view.focus)) view.focus = null;

	// Forms submit lists as repeated or %2C-encoded parameters: settle on the canonical link.
	const sort = url.searchParams.get('sort');
	const canonical = compareSearch(view) + (sort ? `${compareSearch(view) ? '&' : '?'}sort=${sort}` : '');
	if (problems.length === 0 && decodeURIComponent(url.search) !== canonical) redirect(303, `/compare${canonical}`);

	const { events: list } = view.actors.length ? await events.list(db, { actors: view.actors }) : { events: [] };
	// Actors without issues: every issue they have taken a stance on.
	const onIssues = new Set(list.map((e) => e.issue));
	const shownIssues = view.issues.length
		? view.issues
		: issueList.filter((i) => onIssues.has(i.slug)).map((i) => i.slug);
	return {
		view,
		shownIssues,
		problems: problems satisfies ViewProblem[],
		actors: actorList,
		issues: issueList,
		events: list
	};
}) satisfies PageServerLoad;

/** What the editing pages share: the choices their selects offer, and checking an event form. */
import type { Db } from './db/client';
import * as actors from './queries/actors';
import * as issues from './queries/issues';
import { today } from '../domain/dates';
import type { RecordNames } from '../domain/records';
import { addProblems, eventFormProblems, parseEventForm, emptySource, type EventFormValues } from '../schemas/forms';

export async function choices(db: Db) {
	const [actorList, issueList] = await Promise.all([actors.list(db), issues.list(db)]);
	return { actors: actorList, issues: issueList };
}

/** Names for showing records: actor names and issue titles (with scales) by slug. */
export function namesOf(c: Awaited<ReturnType<typeof choices>>): RecordNames {
	return {
		actors: new Map(c.actors.map((a) => [a.slug, a.name])),
		issues: new Map(c.issues.map((i) => [i.slug, { title: i.title, scale: i.scale }]))
	};
}

/**
 * Parses an event form and checks it as far as possible before writing, so that every problem
 * shows at once: the schema, then the position against the chosen issue's scale and dates
 * against today. The write path checks it all again.
 */
export async function checkEventForm(db: Db, values: EventFormValues) {
	const form = parseEventForm(values);
	const issue = values.issue ? await issues.bySlug(db, values.issue) : null;
	addProblems(form.errors, eventFormProblems(form.input, issue?.scale ?? null, today()), form.map);
	return form;
}

/** The rows to show again after a refusal: as posted (errors point at their indexes), plus an empty one
 * at the end when there is none. */
export function rowsAgain(values: EventFormValues): EventFormValues {
	const trailingEmpty = [...values.sources].reverse().findIndex((r) => Object.values(r).some((v) => v.trim() !== ''));
	const spare = trailingEmpty === -1 ? values.sources.length : trailingEmpty;
	const need = Math.max(0, 1 - spare);
	return { ...values, sources: [...values.sources, ...Array.from({ length: need }, emptySource)] };
}

import type { Db } from '../db/client';
import * as corrections from '../queries/corrections';
import * as actors from '../queries/actors';
import * as issues from '../queries/issues';
import { pageQuerySchema } from '../../schemas/query';
import { nonEmptyParams, problemsOf } from '../queryForm';

export const CORRECTIONS_PER_PAGE = 50;

/**
 * The public corrections page, as its URL asks: `page` read with the listing's one rule (a bad
 * one is named and page 1 shown; one past the end shows the last page). Before, any number was
 * taken, and a page such as 99999999999999999999 made an offset SQLite refused: a 500.
 */
export async function correctionsModel(db: Db, url: URL) {
	const parsed = pageQuerySchema.safeParse(nonEmptyParams(url));
	const asked = parsed.success ? parsed.data.page : 1;
	const read = (page: number) => corrections.list(db, { limit: CORRECTIONS_PER_PAGE, offset: (page - 1) * CORRECTIONS_PER_PAGE });
	const [first, actorList, issueList] = await Promise.all([read(asked), actors.list(db), issues.list(db)]);
	const pages = Math.max(1, Math.ceil(first.total / CORRECTIONS_PER_PAGE));
	const page = Math.min(asked, pages);
	const { total, corrections: list } = page === asked ? first : await read(page);
	const actorName = new Map(actorList.map((a) => [a.slug, a.name]));
	const issueTitle = new Map(issueList.map((i) => [i.slug, i.title]));
	return {
		problems: parsed.success ? [] : problemsOf(parsed.error),
		total,
		page,
		pages,
		corrections: list.map((c) => ({ ...c, actorName: actorName.get(c.actor) ?? c.actor, issueTitle: issueTitle.get(c.issue) ?? c.issue }))
	};
}

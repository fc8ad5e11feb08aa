/**
 * Pinned ("as of") reads of actors and issues deleted or restored around the moment: one deleted
 * after the moment is shown as it then stood, one deleted before it and restored after is not, and
 * the lists a pinned page offers (featured actors, speakers, their names) are those of the moment.
 */
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { sql } from 'drizzle-orm';
import { issueModel } from '../../../src/lib/server/pages/issue';
import { actorModel } from '../../../src/lib/server/pages/actor';
import { compareModel } from '../../../src/lib/server/pages/compare';
import { eventDetailAt } from '../../../src/lib/server/pages/asof';
import { eventsAsOf } from './asofReference';
import { deltaAt } from '../../../src/lib/server/queries/asofDelta';
import { loadView } from '../../../src/lib/server/queries/view';
import * as actors from '../../../src/lib/server/queries/actors';
import * as events from '../../../src/lib/server/queries/events';
import * as issues from '../../../src/lib/server/queries/issues';
import { setDeleted, updateActor, updateIssue, type Author } from '../../../src/lib/server/write';
import { openDemoDb, type TestDb } from './testDb';

const editor: Author = { userId: null, via: 'api' };
const INTEL = 'intelligence-sharing-us';
const BOATS = 'boat-strikes-legality';
const BUILDUP = 'caribbean-military-buildup';
let t: TestDb;
/** The moment the citations are pinned to: after the first edits, before the second. */
let pin: string;

const tick = () => new Promise((r) => setTimeout(r, 5));
async function latestWrite(): Promise<string> {
	const [row] = await t.db.all<{ at: string }>(sql`select at from change order by id desc limit 1`);
	return row!.at;
}

beforeAll(async () => {
	t = await openDemoDb();
	// Before the moment: the UK and the US featured on intelligence sharing, France deleted.
	await updateIssue(t.db, INTEL, { featured: ['united-kingdom', 'united-states'], version: await issues.versionOf(t.db, INTEL) }, editor);
	await setDeleted(t.db, 'actor', 'france', true, undefined, editor);
	await tick();
	pin = await latestWrite();
	await tick();
	// After it: the UK and the military build-up issue deleted, France restored, Colombia featured
	// instead, a speaker renamed.
	await setDeleted(t.db, 'actor', 'united-kingdom', true, undefined, editor);
	await setDeleted(t.db, 'issue', BUILDUP, true, undefined, editor);
	await setDeleted(t.db, 'actor', 'france', false, undefined, editor);
	await updateIssue(t.db, INTEL, { featured: ['colombia'], version: await issues.versionOf(t.db, INTEL) }, editor);
	await updateActor(t.db, 'pedro-sanchez', { name: 'Pedro Sánchez (renamed)', version: await actors.versionOf(t.db, 'pedro-sanchez') }, editor);
});
afterAll(() => t.close());

const url = (path: string, asof?: string) => new URL(`http://x${path}${asof ? `${path.includes('?') ? '&' : '?'}asof=${asof}` : ''}`);
const issuePage = async (slug: string, asof?: string, query = '') => {
	const at = asof ? { at: await deltaAt(t.db, asof) } : {};
	const issue = await issues.bySlug(t.db, slug, at);
	return issue ? issueModel(t.db, issue, url(`/issues/${slug}${query}`, asof)) : null;
};
const actorPage = async (slug: string, asof?: string) => {
	const at = asof ? { at: await deltaAt(t.db, asof) } : {};
	const actor = await actors.bySlug(t.db, slug, at);
	return actor ? actorModel(t.db, actor, url(`/actors/${slug}`, asof)) : null;
};
const actorsOf = (list: readonly { actor: string }[]) => [...new Set(list.map((e) => e.actor))].sort();

describe('an actor deleted after the moment', () => {
	it('is in the pinned events, view, issue page, compare page and hover details, not in the current ones', async () => {
		expect(actorsOf(await eventsAsOf(t.db, { issues: [INTEL] }, pin))).toContain('united-kingdom');
		expect(actorsOf((await events.list(t.db, { issues: [INTEL] })).events)).not.toContain('united-kingdom');

		const view = await loadView(t.db, new URLSearchParams(`issues=${INTEL}&asof=${pin}`));
		expect(view.shownActors).toContain('united-kingdom');
		expect(view.actors.map((a) => a.slug)).toContain('united-kingdom');
		expect((await loadView(t.db, new URLSearchParams(`issues=${INTEL}`))).shownActors).not.toContain('united-kingdom');
		const named = await loadView(t.db, new URLSearchParams(`actors=united-kingdom&issues=${INTEL}&asof=${pin}`));
		expect(named.unknown.actors).toEqual([]);
		expect(actorsOf(named.events)).toEqual(['united-kingdom']);
		expect((await loadView(t.db, new URLSearchParams(`actors=united-kingdom&issues=${INTEL}`))).unknown.actors).toEqual(['united-kingdom']);

		const then = (await issuePage(INTEL, pin))!;
		expect(then.actors.map((a) => a.slug)).toContain('united-kingdom');
		expect(then.series.map((s) => s.actor)).toContain('united-kingdom');
		expect(then.table.events.map((e) => e.actor)).toContain('united-kingdom');
		const now = (await issuePage(INTEL))!;
		expect(now.actors.map((a) => a.slug)).not.toContain('united-kingdom');
		expect(now.table.events.map((e) => e.actor)).not.toContain('united-kingdom');

		// Compare, small (events shipped) and large (compact series read per pair).
		const small = await compareModel(t.db, url(`/compare?actors=united-kingdom,colombia&issues=${INTEL}`, pin));
		expect(actorsOf(small.events)).toEqual(['colombia', 'united-kingdom']);
		const large = await compareModel(t.db, url(`/compare?actors=united-kingdom,colombia&issues=${INTEL}`, pin), { inlineEvents: 1 });
		expect(large.compact!.panels[0]!.series.map((s) => s.actor)).toEqual(['united-kingdom', 'colombia']);
		const table = await compareModel(t.db, url(`/compare?actors=united-kingdom&issues=${INTEL}&mode=table`, pin));
		expect(table.table!.events.map((e) => e.actor)).toContain('united-kingdom');

		const uk = (await eventsAsOf(t.db, { actors: ['united-kingdom'], issues: [INTEL] }, pin))[0]!;
		expect(await eventDetailAt(t.db, uk.id, pin)).not.toBeNull();
		expect(await eventDetailAt(t.db, uk.id, await latestWrite())).toBeNull();
	});

	it('has a pinned actor page (the current one is gone)', async () => {
		const then = (await actorPage('united-kingdom', pin))!;
		expect(then.actor.name).toBe('United Kingdom');
		expect(then.deletedSince).toBe(true);
		expect((await actorPage('colombia', pin))!.deletedSince).toBe(false);
		expect(then.panels.map((p) => p.issue.slug).sort()).toEqual([BOATS, INTEL]);
		expect(then.table.total).toBe(2);
		expect(await actorPage('united-kingdom')).toBeNull();
		expect(await actorPage('united-kingdom', await latestWrite())).toBeNull();
	});
});

describe('an issue deleted after the moment', () => {
	it('has a pinned issue page, and is on pinned actor pages, views and events', async () => {
		const then = (await issuePage(BUILDUP, pin))!;
		expect(then.issue.slug).toBe(BUILDUP);
		expect(then.deletedSince).toBe(true);
		expect(then.actors.map((a) => a.slug)).toEqual(expect.arrayContaining(['colombia', 'united-states']));
		expect(then.series.length).toBeGreaterThan(0);
		expect(await issuePage(BUILDUP)).toBeNull();

		expect((await actorPage('colombia', pin))!.panels.map((p) => p.issue.slug)).toContain(BUILDUP);
		expect((await actorPage('colombia'))!.panels.map((p) => p.issue.slug)).not.toContain(BUILDUP);
		expect((await eventsAsOf(t.db, { actors: ['colombia'] }, pin)).map((e) => e.issue)).toContain(BUILDUP);
		expect((await eventsAsOf(t.db, { actors: ['colombia'] }, await latestWrite())).map((e) => e.issue)).not.toContain(BUILDUP);
		const view = await loadView(t.db, new URLSearchParams(`issues=${BUILDUP}&asof=${pin}`));
		expect(view.unknown.issues).toEqual([]);
		expect(view.events.length).toBeGreaterThan(0);
	});
});

describe('an actor deleted before the moment and restored after it', () => {
	it('is not on the pinned views, but is on the current ones', async () => {
		expect(actorsOf(await eventsAsOf(t.db, { issues: [BOATS] }, pin))).not.toContain('france');
		expect(actorsOf((await events.list(t.db, { issues: [BOATS] })).events)).toContain('france');
		expect((await issuePage(BOATS, pin))!.actors.map((a) => a.slug)).not.toContain('france');
		expect((await issuePage(BOATS, pin))!.table.events.map((e) => e.actor)).not.toContain('france');
		expect((await issuePage(BOATS))!.actors.map((a) => a.slug)).toContain('france');
		expect(await actorPage('france', pin)).toBeNull();
		expect(await actorPage('france')).not.toBeNull();
		// Known (it is live now) but with no events then: no line, no row in an export.
		const view = await loadView(t.db, new URLSearchParams(`actors=france&issues=${BOATS}&asof=${pin}`));
		expect(view.events).toEqual([]);
		expect((await loadView(t.db, new URLSearchParams(`issues=${BOATS}&asof=${pin}`))).shownActors).not.toContain('france');
		const barrot = (await events.list(t.db, { actors: ['france'], issues: [BOATS] })).events[0]!;
		expect(await eventDetailAt(t.db, barrot.id, pin)).toBeNull();
		expect(await eventDetailAt(t.db, barrot.id, await latestWrite())).not.toBeNull();
	});
});

describe('featured actors and speakers as of the moment', () => {
	it('are those the record had then, with the names of then', async () => {
		const then = (await issuePage(INTEL, pin))!;
		const featured = (m: NonNullable<typeof then>) =>
			m.actors
				.filter((a) => a.featured !== null)
				.sort((a, b) => a.featured! - b.featured!)
				.map((a) => a.slug);
		expect(featured(then)).toEqual(['united-kingdom', 'united-states']);
		expect(then.shown).toEqual(['united-kingdom', 'united-states']);
		const now = (await issuePage(INTEL))!;
		expect(featured(now)).toEqual(['colombia']);
		expect(now.shown).toEqual(['colombia']);

		expect(then.speakers.map((s) => s.name)).toContain('Pedro Arnulfo Sánchez');
		expect(now.speakers.map((s) => s.name)).toContain('Pedro Sánchez (renamed)');
		const colombia = (await actorPage('colombia', pin))!;
		expect(colombia.speakers.map((s) => s.name)).toContain('Pedro Arnulfo Sánchez');
		expect(colombia.filterSpeakers.map((s) => s.name)).not.toContain('Pedro Sánchez (renamed)');
	});
});

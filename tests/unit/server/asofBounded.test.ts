/**
 * Bounded pages as of a moment (pages/asof.ts): each page pinned to a moment shows what the live
 * page showed at that moment, through later creates, updates, deletes and restores, on series
 * drawn point by point and aggregated (a busy actor), on every page of the table; with actor
 * names, issue titles, scale labels and context events as they stood.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueModel } from '../../../src/lib/server/pages/issue';
import { compareModel } from '../../../src/lib/server/pages/compare';
import { actorModel } from '../../../src/lib/server/pages/actor';
import { eventDetailAt } from '../../../src/lib/server/pages/asof';
import { eventDetail } from '../../../src/lib/server/queries/eventPage';
import { pinFor } from '../../../src/lib/server/queries/asof';
import * as issues from '../../../src/lib/server/queries/issues';
import * as actorsQ from '../../../src/lib/server/queries/actors';
import {
	createContextEvent,
	createEvent,
	deleteContextEvent,
	deleteEvent,
	restoreEvent,
	updateActor,
	updateContextEvent,
	updateEvent,
	updateIssue,
	writeDataset,
	SEED_AUTHOR,
	type Author
} from '../../../src/lib/server/write';
import { loadDemo } from '../../fixtures/demo';
import { openTestDb, type TestDb } from './testDb';

const editor: Author = { userId: null, via: 'api' };
const ISSUE = 'intelligence-sharing-us';
const BUSY = 1_300;
let t: TestDb;

const tick = () => new Promise((r) => setTimeout(r, 5));
const src = [{ outlet: 'Wire', title: null, url: null, publishedOn: null }];

beforeAll(async () => {
	t = await openTestDb();
	const demo = loadDemo();
	// A busy actor: more events in view than the chart has pixels, so its series is aggregated.
	demo.actors.push({ slug: 'busyland', name: 'Busyland', parent: null, color: '#123456', kind: 'country' } as never);
	for (let k = 0; k < BUSY; k++) {
		const day = new Date(Date.UTC(2010, 0, 1) + k * 3 * 86_400_000).toISOString().slice(0, 10);
		demo.events.push({ actor: 'busyland', issue: ISSUE, date: day, datePrecision: 'day', position: (k % 5) - 2, kind: 'statement', summary: `Busy ${k}`, speaker: null, quote: null, sources: src });
	}
	await writeDataset(t.db, demo, { now: '2025-12-01', by: SEED_AUTHOR });
}, 60_000);
afterAll(() => t.close());

const issueUrl = (q: string) => new URL(`http://x/issues/${ISSUE}?${q}`);
const issuePage = async (q: string) => issueModel(t.db, (await issues.bySlug(t.db, ISSUE))!, issueUrl(q));
const versionOf = async (table: 'actor' | 'issue', slug: string) => Number((await t.db.$client.execute({ sql: `select version from ${table} where slug = ?`, args: [slug] })).rows[0]![0]);
const row = (e: { id: number; position: number; date: string; summary: string; speaker: string | null; sources: unknown[] }) => [e.id, e.position, e.date, e.summary, e.speaker, e.sources.length];
/** What a reader sees of a page: its series and its table (rows, total, pages). */
const shown = (m: { series?: unknown; actors?: { slug: string; events: number; first: string; last: string }[]; range?: unknown; table: { total: number; pages: number; page: number; events: Parameters<typeof row>[0][] } }) => ({
	// The picker's actors with their activity then (counts, first and last dates) and the range they set.
	actors: m.actors?.map((a) => [a.slug, a.events, a.first, a.last]),
	range: m.range,
	series: m.series,
	table: { total: m.table.total, pages: m.table.pages, page: m.table.page, rows: m.table.events.map(row) }
});

describe('bounded pages as of a moment', () => {
	// Views captured live at the moment, then compared with the same views pinned to it after the edits.
	const QUERIES = ['actors=colombia,busyland', 'actors=colombia,busyland&page=2', 'actors=busyland&sort=desc&page=7', 'actors=colombia,busyland&page=27', 'actor=busyland&kind=statement&page=3', 'actors=busyland&view=lanes', 'actors=colombia&from=2025-11-12'];
	const before = new Map<string, unknown>();
	let pin = '';
	let ids: { sanchez: number; petro: number; busy: number; busyGone: number; restored: number; created: number } = {} as never;

	beforeAll(async () => {
		const all = (await issuePage('actors=colombia&actor=colombia')).table.events;
		const busy = await issuePage('actors=busyland&actor=busyland&page=10');
		ids.sanchez = all.find((e) => e.speaker === 'pedro-sanchez')!.id;
		ids.petro = all.find((e) => e.speaker === 'gustavo-petro')!.id;
		ids.busy = busy.table.events[3]!.id;
		ids.busyGone = busy.table.events[20]!.id;
		ids.restored = all.find((e) => e.speaker === 'armando-benedetti')!.id;
		// Deleted before the moment, restored after it: absent then.
		await deleteEvent(t.db, ids.restored, undefined, editor);
		await tick();
		for (const q of QUERIES) before.set(q, shown(await issuePage(q)));
		before.set('compare', await compareShown(''));
		before.set('compare-table', await compareShown('&mode=table&page=3'));
		before.set('actor', await actorShown('busyland', ''));
		before.set('actor-colombia', await actorShown('colombia', ''));
		// A person's page charts what they said (series by speaker): one of Petro's is deleted after the moment.
		before.set('actor-petro', await actorShown('gustavo-petro', ''));
		pin = new Date().toISOString();
		await tick();
		// After the moment: a new event, an update, a delete, the restore, an edit of the busy actor's series.
		ids.created = (await createEvent(t.db, { actor: 'colombia', issue: ISSUE, date: '2025-11-20', position: 2, kind: 'statement', summary: 'Later', sources: src }, editor)).id;
		await updateEvent(t.db, ids.sanchez, { version: 1, position: 2 }, editor);
		await deleteEvent(t.db, ids.petro, undefined, editor);
		await restoreEvent(t.db, ids.restored, editor);
		await updateEvent(t.db, ids.busy, { version: 1, position: 2, date: '2024-06-01' }, editor);
		await deleteEvent(t.db, ids.busyGone, undefined, editor);
	}, 60_000);

	async function compareShown(extra: string, asof = '') {
		const m = await compareModel(t.db, new URL(`http://x/compare?actors=colombia,busyland&issues=${ISSUE}${extra}${asof ? `&asof=${asof}` : ''}`), { inlineEvents: 10 });
		// Markers are not drawn as of a moment (their classes are today's): the series and table are compared.
		return { compact: m.compact && { ...m.compact, panels: m.compact.panels.map((p) => ({ issue: p.issue, series: p.series })) }, table: m.table ? shown({ table: m.table }).table : null };
	}
	async function actorShown(slug: string, asof: string) {
		const m = await actorModel(t.db, (await actorsQ.bySlug(t.db, slug))!, new URL(`http://x/actors/${slug}${asof ? `?asof=${asof}` : ''}`));
		return { panels: m.panels.map((p) => ({ issue: p.issue.slug, series: p.series })), ...shown({ table: m.table }) };
	}

	it('the issue page: an event created after the moment is absent, an update since shows the old value, a delete since shows the event, a restore since leaves it out; on every page of the table and on aggregated series', async () => {
		for (const q of QUERIES) {
			const then = await issuePage(`${q}&asof=${pin}`);
			expect(then.asof).toBe(pin);
			expect(shown(then), q).toEqual(before.get(q));
		}
		// The named cases, on the chart's points and the table.
		const then = await issuePage(`actors=colombia&asof=${pin}`);
		const points = then.series.find((s) => s.actor === 'colombia')!.points;
		const pairs = Array.from({ length: points.length / 4 }, (_, k) => [points[k * 4 + 2], points[k * 4 + 1]]);
		expect(pairs.map(([id]) => id)).not.toContain(ids.created);
		expect(pairs.map(([id]) => id)).toContain(ids.petro);
		expect(pairs.map(([id]) => id)).not.toContain(ids.restored);
		expect(pairs.find(([id]) => id === ids.sanchez)![1]).not.toBe(2);
		// The live page moved on.
		const now = await issuePage('actors=colombia&actor=colombia');
		expect(now.table.events.map((e) => e.id)).toContain(ids.created);
		expect(now.table.events.map((e) => e.id)).not.toContain(ids.petro);
	});

	it('the compare page of a large view ships compact series and one table page as of the moment', async () => {
		expect((await compareShown('', pin)).compact).toEqual((before.get('compare') as { compact: unknown }).compact);
		expect(await compareShown('&mode=table&page=3', pin)).toEqual(before.get('compare-table'));
		expect((await compareShown('')).compact).not.toEqual((before.get('compare') as { compact: unknown }).compact);
	});

	it('the actor page as of the moment', async () => {
		expect(await actorShown('busyland', pin)).toEqual(before.get('actor'));
		expect(await actorShown('colombia', pin)).toEqual(before.get('actor-colombia'));
		expect(await actorShown('gustavo-petro', pin)).toEqual(before.get('actor-petro'));
		expect(await actorShown('gustavo-petro', '')).not.toEqual(before.get('actor-petro'));
	});

	it('the hover details answer as of the moment', async () => {
		expect(await eventDetailAt(t.db, ids.created, pin)).toBeNull();
		expect(await eventDetailAt(t.db, ids.restored, pin)).toBeNull();
		expect((await eventDetailAt(t.db, ids.petro, pin))?.id).toBe(ids.petro);
		expect(await eventDetail(t.db, ids.petro)).toBeNull();
		expect((await eventDetailAt(t.db, ids.sanchez, pin))?.position).not.toBe(2);
		expect((await eventDetail(t.db, ids.sanchez))?.position).toBe(2);
	});
});

describe('names, titles, scale labels and context as of a moment', () => {
	it('show as they stood, and a context event added after the moment is left out; the pin covers context events', async () => {
		const ctx0 = (await issuePage('actors=colombia&from=2025-08-01')).context;
		const first = ctx0[0]!;
		const pin0 = await pinFor(t.db, { issues: [ISSUE] });
		await tick();
		const pin = new Date().toISOString();
		await tick();
		await updateActor(t.db, 'colombia', { version: await versionOf('actor', 'colombia'), name: 'Republic of Colombia' }, editor);
		const issue = (await issues.bySlug(t.db, ISSUE))!;
		await updateIssue(t.db, ISSUE, { version: await versionOf('issue', ISSUE), title: 'Renamed issue', scale: { ...issue.scale, labels: issue.scale.labels.map((l) => (l.value === 2 ? { ...l, label: 'Deepen' } : l)) } }, editor);
		await updateContextEvent(t.db, first.id, { version: first.version, label: 'Relabelled' }, editor);
		const added = await createContextEvent(t.db, { issue: ISSUE, date: '2025-11-12', label: 'Added later', source: { outlet: 'Wire' } }, editor);
		expect(await pinFor(t.db, { issues: [ISSUE] })).not.toBe(pin0);

		const then = await issuePage(`actors=colombia&from=2025-08-01&asof=${pin}`);
		expect(then.issue.title).toBe(issue.title);
		expect(then.issue.scale.labels.find((l) => l.value === 2)!.label).toBe('Expand');
		expect(then.actors.find((a) => a.slug === 'colombia')!.name).toBe('Colombia');
		expect(then.context.map((c) => c.label)).toEqual(ctx0.map((c) => c.label));
		const now = await issuePage('actors=colombia&from=2025-08-01');
		expect(now.issue.title).toBe('Renamed issue');
		expect(now.context.map((c) => c.label)).toContain('Added later');
		expect(now.context.map((c) => c.label)).toContain('Relabelled');
		// A context event deleted after the moment still shows on the cited chart.
		await deleteContextEvent(t.db, added.id, undefined, editor);
		await deleteContextEvent(t.db, first.id, undefined, editor);
		expect((await issuePage(`actors=colombia&from=2025-08-01&asof=${pin}`)).context.map((c) => c.label)).toEqual(ctx0.map((c) => c.label));
		// The compare view and the hover details name the actor as it was then.
		const cmp = await compareModel(t.db, new URL(`http://x/compare?actors=colombia&issues=${ISSUE}&asof=${pin}`));
		expect(cmp.loaded.actors.find((a) => a.slug === 'colombia')!.name).toBe('Colombia');
		expect(cmp.loaded.issues.find((i) => i.slug === ISSUE)!.title).toBe(issue.title);
		const id = then.table.events[0]!.id;
		expect((await eventDetailAt(t.db, id, pin))?.actorName).toBe('Colombia');
	});
});

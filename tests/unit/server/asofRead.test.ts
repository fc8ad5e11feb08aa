/**
 * The API and exports as of a moment (queries/asofRead.ts) read today's rows recorded by then and
 * set back what the history since changed: they give what the full reconstruction (`eventsAsOf`)
 * gives, through a create after the moment, an update, a delete, a restore and an event moved to
 * another actor; /api/events pages and /api/series (points and periods) as the live ones do.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventsAsOf } from './asofReference';
import { deltaAt } from '../../../src/lib/server/queries/asofDelta';
import { eventsPageAt, viewEventsAt } from '../../../src/lib/server/queries/asofRead';
import { toPoint } from '../../../src/lib/server/queries/series';
import * as events from '../../../src/lib/server/queries/events';
import { serveSeries } from '../../../src/lib/server/read/series';
import { exportContext } from '../../../src/lib/server/export';
import { toApiEvent } from '../../../src/lib/server/api';
import { aggregateSeries } from '../../../src/lib/domain/aggregate';
import type { StanceEvent } from '../../../src/lib/domain/types';
import { createEvent, deleteEvent, restoreEvent, setDeleted, updateEvent, updateIssue, writeDataset, SEED_AUTHOR, type Author } from '../../../src/lib/server/write';
import { loadDemo } from '../../fixtures/demo';
import { rankOutlets } from '../../../src/lib/charts/exportSpec';
import { eventsOf } from './exportEvents';
import { openTestDb, type TestDb } from './testDb';

const editor: Author = { userId: null, via: 'api' };
const ISSUE = 'intelligence-sharing-us';
const src = [{ outlet: 'Wire', title: null, url: null, publishedOn: null }];
const tick = () => new Promise((r) => setTimeout(r, 5));
let t: TestDb;
let pin = '';
const ids = { created: 0, updated: 0, deleted: 0, restored: 0, moved: 0, late: 0 };

/** What the API shows of an event (the version is today's row's, unknown for one set back from the history). */
const shown = (e: StanceEvent) => {
	const { version: _v, ...rest } = toApiEvent(e);
	return rest;
};

beforeAll(async () => {
	t = await openTestDb();
	const demo = loadDemo();
	// Enough events on one actor for several pages, some on the same day (recording order breaks the tie).
	for (let k = 0; k < 12; k++) {
		demo.events.push({ actor: 'colombia', issue: ISSUE, date: `2024-0${1 + (k % 6)}-1${k % 3}`, datePrecision: 'day', position: (k % 5) - 2, kind: 'statement', summary: `Extra ${k}`, speaker: null, quote: null, sources: src } as never);
	}
	// France and the UK on the issue too (deleted around the moment).
	for (const actor of ['france', 'united-kingdom']) demo.events.push({ actor, issue: ISSUE, date: '2025-10-01', datePrecision: 'day', position: 1, kind: 'statement', summary: `${actor} said`, speaker: null, quote: null, sources: src } as never);
	demo.events.push({ actor: 'colombia', issue: ISSUE, date: '2023-05-01', datePrecision: 'month', position: 1, kind: 'statement', summary: 'A month', speaker: null, quote: null, sources: src } as never);
	await writeDataset(t.db, demo, { now: '2025-12-01', by: SEED_AUTHOR });
	const colombia = (await eventsAsOf(t.db, { actors: ['colombia'], issues: [ISSUE] }, new Date().toISOString())).filter((e) => e.summary.startsWith('Extra'));
	[ids.updated, ids.deleted, ids.restored, ids.moved, ids.late] = [colombia[2]!.id, colombia[5]!.id, colombia[7]!.id, colombia[9]!.id, colombia[11]!.id];
	// Deleted before the moment, restored after it: absent then (an event, and an actor with its events).
	await deleteEvent(t.db, ids.restored, undefined, editor);
	await setDeleted(t.db, 'actor', 'france', true, undefined, editor);
	await tick();
	pin = new Date().toISOString();
	await tick();
	ids.created = (await createEvent(t.db, { actor: 'colombia', issue: ISSUE, date: '2024-03-10', position: 2, kind: 'statement', summary: 'Later', sources: src }, editor)).id;
	await updateEvent(t.db, ids.updated, { version: 1, position: 2, date: '2024-06-11', sources: [{ outlet: 'Other', title: 'New', url: null, publishedOn: null }] }, editor);
	await deleteEvent(t.db, ids.deleted, undefined, editor);
	await restoreEvent(t.db, ids.restored, editor);
	await updateEvent(t.db, ids.moved, { version: 1, actor: 'united-states' }, editor);
	// Edited twice after the moment: the state before the first edit is the one shown.
	await updateEvent(t.db, ids.late, { version: 1, position: -2 }, editor);
	await updateEvent(t.db, ids.late, { version: 2, position: 0 }, editor);
	// An actor and an issue deleted after the moment: there then.
	await setDeleted(t.db, 'actor', 'united-kingdom', true, undefined, editor);
	await setDeleted(t.db, 'issue', 'caribbean-military-buildup', true, undefined, editor);
	await setDeleted(t.db, 'actor', 'france', false, undefined, editor);
}, 60_000);
afterAll(() => t.close());

describe('events of a view as of a moment', () => {
	const FILTERS = [{ issues: [ISSUE] }, { actors: ['colombia'] }, { actors: ['united-states'], issues: [ISSUE] }, { actors: ['colombia', 'united-states'], issues: [ISSUE] }, { actors: ['united-kingdom'] }, { actors: ['france'] }, { issues: ['caribbean-military-buildup'] }, {}];

	it('are the full reconstruction: the create after the moment absent, the update and the move set back, the delete shown, the restore absent', async () => {
		const delta = await deltaAt(t.db, pin);
		for (const f of FILTERS) {
			const full = await eventsAsOf(t.db, f, pin);
			const read = await viewEventsAt(t.db, delta, f);
			expect(read.map(shown), JSON.stringify(f)).toEqual(full.map(shown));
		}
		const colombia = await viewEventsAt(t.db, delta, { actors: ['colombia'], issues: [ISSUE] });
		const got = new Map(colombia.map((e) => [e.id, e]));
		expect(got.has(ids.created)).toBe(false);
		expect(got.has(ids.restored)).toBe(false);
		expect(got.get(ids.deleted)).toBeDefined();
		expect(got.get(ids.moved)?.actor).toBe('colombia');
		expect(got.get(ids.updated)!.sources).toEqual(src);
		expect(got.get(ids.updated)!.position).not.toBe(2);
		expect(got.get(ids.late)!.position).not.toBe(0);
		expect((await viewEventsAt(t.db, delta, { actors: ['united-states'] })).map((e) => e.id)).not.toContain(ids.moved);
		// Deleted since: there then; deleted then and restored since: not.
		expect((await viewEventsAt(t.db, delta, { actors: ['united-kingdom'] })).length).toBeGreaterThan(0);
		expect((await viewEventsAt(t.db, delta, { issues: ['caribbean-military-buildup'] })).length).toBeGreaterThan(0);
		expect(await viewEventsAt(t.db, delta, { actors: ['france'] })).toEqual([]);
		expect((await events.list(t.db, { actors: ['france'] })).events.length).toBeGreaterThan(0);
	});

	it('pinned after the last change, are the live record: the view, and the pages of the live /api/events', async () => {
		await tick();
		const now = await deltaAt(t.db, new Date().toISOString());
		expect(now.changedIds).toEqual([]);
		for (const f of FILTERS) expect((await viewEventsAt(t.db, now, f)).map(toApiEvent), JSON.stringify(f)).toEqual((await events.list(t.db, f)).events.map(toApiEvent));
		for (const offset of [0, 5, 30]) {
			const live = await events.list(t.db, { actor: 'colombia', offset, limit: 7 });
			const page = await eventsPageAt(t.db, now, { actors: ['colombia'], offset, limit: 7 });
			expect({ total: page.total, events: page.events.map(toApiEvent) }).toEqual({ total: live.total, events: live.events.map(toApiEvent) });
		}
	});

	it('page /api/events as the live list pages: every window of the merged list, with dates', async () => {
		const delta = await deltaAt(t.db, pin);
		for (const f of [{ actors: ['colombia'] }, { issues: [ISSUE] }, { actors: ['colombia'], from: '2024-02-01', to: '2024-06-30' }]) {
			const full = (await eventsAsOf(t.db, { actors: f.actors, issues: f.issues }, pin)).filter((e) => (!f.from || e.date >= f.from) && (!f.to || e.date <= f.to));
			for (const limit of [1, 3, 7]) {
				for (let offset = 0; offset <= full.length + 1; offset++) {
					const page = await eventsPageAt(t.db, delta, { ...f, offset, limit });
					expect(page.total).toBe(full.length);
					expect(page.events.map(shown), `${JSON.stringify(f)} ${offset}+${limit}`).toEqual(full.slice(offset, offset + limit).map(shown));
				}
			}
		}
	});

	it('count /api/events totals without dates from the pairs (countViewEventsAt) as the full reconstruction has them', async () => {
		const delta = await deltaAt(t.db, pin);
		// Everything; an actor and an issue deleted since (there then); an actor deleted then, restored since (not there then).
		for (const f of [{}, { actors: ['united-kingdom'] }, { issues: ['caribbean-military-buildup'] }, { actors: ['france'] }, { actors: ['united-states'], issues: [ISSUE] }]) {
			const full = await eventsAsOf(t.db, f, pin);
			const page = await eventsPageAt(t.db, delta, { ...f, offset: 0, limit: 2 });
			expect(page.total, JSON.stringify(f)).toBe(full.length);
			expect(page.events.map(shown)).toEqual(full.slice(0, 2).map(shown));
		}
	});
});

describe('/api/series and the exports as of a moment', () => {
	const get = async (q: string) => {
		const r = await serveSeries(t.db, new URL(`http://x/api/series?issue=${ISSUE}&asof=${pin}${q}`), new Request('http://x/'));
		return { status: r.status, body: (await r.json()) as { series: { actor: string; points: unknown[] }[]; error?: string } };
	};
	/** The series the full reconstruction gives, per actor in the given order, as compact points. */
	const expected = async (actors: string[]) => {
		const all = await eventsAsOf(t.db, { issues: [ISSUE], actors }, pin);
		return actors
			.map((a) => ({ actor: a, points: all.filter((e) => e.actor === a).map((e) => toPoint(e.date, e.datePrecision, e.position, e.id, e.positionLow ?? null, e.positionHigh ?? null)) }))
			.filter((s) => s.points.length);
	};

	it('give the reconstruction’s points, and its periods with bucket, for named actors and for all', async () => {
		const named = ['colombia', 'united-states', 'united-kingdom', 'france'];
		expect((await get(`&actors=${named.join(',')}`)).body.series).toEqual(await expected(named));
		const all = await get('');
		const everyone = all.body.series.map((s) => s.actor);
		expect(everyone).toContain('colombia');
		expect(all.body.series).toEqual(await expected(everyone));
		// Every actor with an event then, none more.
		expect(new Set(everyone)).toEqual(new Set((await eventsAsOf(t.db, { issues: [ISSUE] }, pin)).map((e) => e.actor)));
		for (const bucket of ['month', 'year'] as const) {
			const periods = (await expected(everyone)).map((s) => ({ actor: s.actor, points: aggregateSeries({ points: s.points, bucket }).map((p) => ({ date: p.date, mean: p.mean, min: p.min, max: p.max, count: p.count, changes: p.changes, ...(p.interval ? { low: p.interval.low, high: p.interval.high, intervals: p.interval.events } : {}) })) }));
			expect((await get(`&bucket=${bucket}`)).body.series).toEqual(periods);
		}
	});

	it('refuse more unaggregated points than the limit, as the live one', async () => {
		const r = await serveSeries(t.db, new URL(`http://x/api/series?issue=${ISSUE}&asof=${pin}`), new Request('http://x/'), { maxPoints: 5 });
		expect(r.status).toBe(400);
		expect(((await r.json()) as { error: string }).error).toContain('bucket');
	});

	it('export the view as it stood (CSV, JSON, PNG and SVG load it through exportContext)', async () => {
		const r = await exportContext(t.db, new URL(`http://x/export/data.csv?actors=colombia&issues=${ISSUE}&asof=${pin}`));
		if (!r.ok) throw new Error(await r.response.text());
		const then = await eventsAsOf(t.db, { actors: ['colombia'], issues: [ISSUE] }, pin);
		// Read two at a time, whole as they stood: the event updated since with its sources then.
		expect((await eventsOf(r.ctx, 2)).map(shown)).toEqual(then.map(shown));
		expect(then.find((e) => e.id === ids.updated)!.sources.map((s) => s.outlet)).toEqual(['Wire']);
		// An image's sources line: the outlets then (not the update's).
		expect(await r.ctx.outlets()).toEqual(rankOutlets(then.flatMap((e) => e.sources.map((s) => [s.outlet, 1] as const))));
		expect(await r.ctx.outlets()).not.toContain('Other');
		expect(r.ctx.citation.asof).toBe(pin);
	});

	it('name the issue as it stood then, and refuse a moment before it was recorded (as /api/issues and the pinned pages do)', async () => {
		await updateIssue(t.db, ISSUE, { version: 1, title: 'Renamed after the moment' }, editor);
		expect(((await get('&actors=colombia')).body as unknown as { issue: { title: string } }).issue.title).toBe('Intelligence sharing with US agencies');
		const before = await serveSeries(t.db, new URL(`http://x/api/series?issue=${ISSUE}&asof=2000-01-01`), new Request('http://x/'));
		expect(before.status).toBe(404);
		expect(((await before.json()) as { error: string }).error).toContain('was not in the record');
	});
});

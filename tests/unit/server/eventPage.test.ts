import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEventQuery, type EventQuery } from '../../../src/lib/domain/eventQuery';
import { chartPoints, eventDetail, eventPage, eventPageStatements, eventsInView, firstFinerDate, issueActors, issueId, issueSpeakers, periodStats, positionCounts, SERIES_SQL, seriesEvents } from '../../../src/lib/server/queries/eventPage';
import * as eventsQ from '../../../src/lib/server/queries/events';
import { aggregateSeries, type Bucket } from '../../../src/lib/domain/aggregate';
import { packSeries, packShares } from '../../../src/lib/charts/compact';
import { scale } from '../../fixtures/factories';
import * as write from '../../../src/lib/server/write';
import { actorInput, dataset, eventInput, issueInput } from '../../fixtures/factories';
import { openTestDb, type TestDb } from './testDb';

const by: write.Author = { userId: null, via: 'api' };
const NOW = '2025-12-01';
let t: TestDb;
let issue: number;

const q = (params = ''): EventQuery => parseEventQuery(new URLSearchParams(params)).query;
const day = (i: number) => new Date(Date.UTC(2024, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
	t = await openTestDb();
	await write.writeDataset(
		t.db,
		dataset({
			actors: [
				actorInput({ slug: 'aland', name: 'Aland' }),
				actorInput({ slug: 'bland', name: 'Bland' }),
				actorInput({ slug: 'aland-envoy', name: 'Envoy of Aland', kind: 'person', parent: 'aland' })
			],
			issues: [issueInput({ slug: 'issue-a', title: 'A' }), issueInput({ slug: 'issue-b', title: 'B' })],
			events: [
				// 120 events of Aland on A, every fourth said by its envoy and an action.
				...Array.from({ length: 120 }, (_, i) =>
					eventInput({ actor: 'aland', issue: 'issue-a', date: day(i), position: i % 3 - 1, speaker: i % 4 === 0 ? 'aland-envoy' : null, kind: i % 4 === 0 ? 'action' : 'statement', summary: `Aland ${i}` })
				),
				eventInput({ actor: 'bland', issue: 'issue-a', date: '2023-06-01', summary: 'Bland first' }),
				eventInput({ actor: 'bland', issue: 'issue-b', date: '2023-06-01' })
			]
		}),
		NOW
	);
	issue = (await issueId(t.db, 'issue-a'))!;
});
afterAll(() => t?.close());

describe('issueActors (activity kept by triggers)', () => {
	it('counts each actor’s live events on the issue with first and last dates', async () => {
		const actors = await issueActors(t.db, issue);
		expect(actors.map((a) => [a.slug, a.events, a.first, a.last])).toEqual([
			['aland', 120, day(0), day(119)],
			['bland', 1, '2023-06-01', '2023-06-01']
		]);
	});

	it('follows a delete, a restore, a move to another date and a new event at once', async () => {
		const [first] = (await eventPage(t.db, { scope: { issueId: issue }, query: q('actor=aland') })).events;
		const { version } = await write.deleteEvent(t.db, first!.id, undefined, by);
		let aland = (await issueActors(t.db, issue)).find((a) => a.slug === 'aland')!;
		expect([aland.events, aland.first]).toEqual([119, day(1)]);
		await write.restoreEvent(t.db, first!.id, by);
		aland = (await issueActors(t.db, issue)).find((a) => a.slug === 'aland')!;
		expect([aland.events, aland.first]).toEqual([120, day(0)]);
		await write.updateEvent(t.db, first!.id, { date: '2020-01-01', version: version + 1 }, by, NOW);
		aland = (await issueActors(t.db, issue)).find((a) => a.slug === 'aland')!;
		expect([aland.events, aland.first]).toEqual([120, '2020-01-01']);
		await write.updateEvent(t.db, first!.id, { date: day(0), version: version + 2 }, by, NOW);
		const { id } = await write.createEvent(t.db, eventInput({ actor: 'bland', issue: 'issue-a', date: '2025-01-01' }), by, NOW);
		const bland = (await issueActors(t.db, issue)).find((a) => a.slug === 'bland')!;
		expect([bland.events, bland.last]).toEqual([2, '2025-01-01']);
		await write.deleteEvent(t.db, id, undefined, by);
	});

	it('drops an actor whose events are all deleted', async () => {
		const [only] = (await eventPage(t.db, { scope: { issueId: issue }, query: q('actor=bland') })).events;
		await write.deleteEvent(t.db, only!.id, undefined, by);
		expect((await issueActors(t.db, issue)).map((a) => a.slug)).toEqual(['aland']);
		await write.restoreEvent(t.db, only!.id, by);
		expect((await issueActors(t.db, issue)).map((a) => a.slug)).toEqual(['aland', 'bland']);
	});
});

describe('eventPage', () => {
	it('pages 50 at a time in date order and counts what matches', async () => {
		const p1 = await eventPage(t.db, { scope: { issueId: issue }, query: q() });
		expect([p1.total, p1.pages, p1.page, p1.events.length]).toEqual([121, 3, 1, 50]);
		expect(p1.events[0]!.summary).toBe('Bland first');
		const p3 = await eventPage(t.db, { scope: { issueId: issue }, query: q('page=3') });
		expect(p3.events.map((e) => e.summary)).toEqual(Array.from({ length: 21 }, (_, i) => `Aland ${99 + i}`));
	});

	it('sorts newest first', async () => {
		const p = await eventPage(t.db, { scope: { issueId: issue }, query: q('sort=desc') });
		expect(p.events[0]!.summary).toBe('Aland 119');
	});

	it('filters by speaker, kind and dates together', async () => {
		const p = await eventPage(t.db, { scope: { issueId: issue }, query: q(`speaker=aland-envoy&kind=action&from=${day(10)}&to=${day(30)}`) });
		expect(p.events.map((e) => e.summary)).toEqual(['Aland 12', 'Aland 16', 'Aland 20', 'Aland 24', 'Aland 28']);
		expect(p.total).toBe(5);
		expect(p.names.map((n) => n.slug).sort()).toEqual(['aland', 'aland-envoy']);
	});

	it('clamps a page past the end to the last page', async () => {
		const p = await eventPage(t.db, { scope: { issueId: issue }, query: q('page=99') });
		expect(p.page).toBe(3);
	});

	it('finds an actor’s events as actor or as speaker', async () => {
		const envoy = (await t.db.$client.execute("select id from actor where slug = 'aland-envoy'")).rows[0]![0];
		const p = await eventPage(t.db, { scope: { involving: Number(envoy) }, query: q() });
		expect(p.total).toBe(30);
	});

	it('reads sources with each event', async () => {
		const p = await eventPage(t.db, { scope: { issueId: issue }, query: q('actor=bland') });
		expect(p.events[0]!.sources).toEqual([{ outlet: 'Test outlet', title: null, url: null, publishedOn: null }]);
	});
});

describe('chartPoints', () => {
	it('returns the points in range plus the stance carried in from before it', async () => {
		const aland = (await issueActors(t.db, issue)).find((a) => a.slug === 'aland')!;
		const pts = await chartPoints(t.db, { actorId: aland.id, issueId: issue, from: day(100), to: day(104) });
		expect(pts.map((p) => p.date)).toEqual([day(99), day(100), day(101), day(102), day(103), day(104)]);
		expect(pts.every((p) => typeof p.eventId === 'number' && p.datePrecision === 'day')).toBe(true);
	});
});

describe('series reads are kept until the next write (data version)', () => {
	it('a create, an update, a delete and a restore show at once in points, counts and periods', async () => {
		const aland = (await issueActors(t.db, issue)).find((a) => a.slug === 'aland')!;
		const where = { actorId: aland.id, issueId: issue, from: day(40), to: day(59) };
		const read = async () => ({
			points: (await chartPoints(t.db, where)).map((p) => [p.date, p.position]),
			count: await eventsInView(t.db, where),
			periods: (await periodStats(t.db, { ...where, bucket: 'month' })).map((p) => [p.date, p.count, p.max]),
			first: await firstFinerDate(t.db, { actorId: aland.id, issueId: issue })
		});
		const before = await read();
		// Read twice: the second answer comes from the cache and must equal the first.
		expect(await read()).toEqual(before);
		const { id, version: v1 } = await write.createEvent(t.db, eventInput({ actor: 'aland', issue: 'issue-a', date: day(45), position: 2, summary: 'Aland moves' }), by, NOW);
		const created = await read();
		expect(created.count).toBe(before.count + 1);
		expect(created.points).toContainEqual([day(45), 2]);
		expect(created.periods.some(([, , max]) => max === 2)).toBe(true);
		const { version } = await write.updateEvent(t.db, id, { position: -2, version: v1 }, by, NOW);
		expect((await read()).points).toContainEqual([day(45), -2]);
		await write.deleteEvent(t.db, id, version, by);
		expect(await read()).toEqual(before);
		await write.restoreEvent(t.db, id, by);
		expect((await read()).count).toBe(before.count + 1);
		await write.deleteEvent(t.db, id, undefined, by);
		expect(await read()).toEqual(before);
	});
});

describe('seriesEvents (what markers and narratives read per shown actor)', () => {
	it('gives the same events, fields, sources and order as the general listing', async () => {
		const list = (f: Parameters<typeof eventsQ.list>[1]) => eventsQ.list(t.db, f).then((r) => r.events);
		expect(await seriesEvents(t.db, { actor: 'aland', issue: 'issue-a' })).toEqual(await list({ actors: ['aland'], issues: ['issue-a'] }));
		expect(await seriesEvents(t.db, { actor: 'aland', issue: 'issue-a', from: day(10), to: day(20) })).toEqual(await list({ actors: ['aland'], issues: ['issue-a'], from: day(10), to: day(20) }));
		const latest = await seriesEvents(t.db, { actor: 'aland', issue: 'issue-a', to: day(30), order: 'desc', limit: 5 });
		expect(latest).toEqual(await list({ actors: ['aland'], issues: ['issue-a'], to: day(30), order: 'desc', limit: 5 }));
		expect(latest.map((e) => e.date)).toEqual([day(30), day(29), day(28), day(27), day(26)]);
		expect(latest.every((e) => e.sources.length > 0)).toBe(true);
		expect(await seriesEvents(t.db, { actor: 'nobody', issue: 'issue-a' })).toEqual([]);
	});
});

describe('issueSpeakers and eventDetail', () => {
	it('lists who spoke on the issue', async () => {
		expect(await issueSpeakers(t.db, issue)).toEqual([{ slug: 'aland-envoy', name: 'Envoy of Aland' }]);
	});

	it('gives one event’s quote, speaker name and sources', async () => {
		const [e] = (await eventPage(t.db, { scope: { issueId: issue }, query: q('speaker=aland-envoy') })).events;
		const d = await eventDetail(t.db, e!.id);
		expect(d).toMatchObject({ id: e!.id, actorName: 'Aland', speakerName: 'Envoy of Aland', issueTitle: 'A', sources: [{ outlet: 'Test outlet' }] });
		expect(await eventDetail(t.db, 999_999)).toBeNull();
	});
});

describe('periodStats (aggregation in SQL)', () => {
	it('gives the same periods as aggregateSeries, carried-in stance and changes included', async () => {
		// A busy actor on issue B: 900 events over six years, with bursts of changes.
		const rows: string[] = [];
		let s = 7;
		const rand = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
		let position = 0;
		for (let i = 0; i < 900; i++) {
			if (rand() < 0.2) position = Math.floor(rand() * 5) - 2;
			const date = new Date(Date.UTC(2018, 0, 1) + Math.floor(rand() * 2190) * 86_400_000).toISOString().slice(0, 10);
			rows.push(`((select id from actor where slug = 'aland'), (select id from issue where slug = 'issue-b'), '${date}', ${position}, 'statement', 'x', '2025-01-01T00:00:${String(i % 60).padStart(2, '0')}.${String(i).padStart(3, '0')}Z')`);
		}
		await t.db.$client.execute(`insert into stance_event (actor_id, issue_id, date, position, kind, summary, created_at) values ${rows.join(',')}`);
		const b = (await issueId(t.db, 'issue-b'))!;
		const aland = (await issueActors(t.db, b)).find((a) => a.slug === 'aland')!;
		const all = await chartPoints(t.db, { actorId: aland.id, issueId: b, from: null, to: null });
		for (const [bucket, from, to] of [
			['month', '2019-03-15', '2022-06-30'],
			['year', '2018-01-01', '2023-12-31'],
			['year', '2020-07-01', '2021-12-31']
		] as [Bucket, string, string][]) {
			const where = { actorId: aland.id, issueId: b, from, to };
			const sql = await periodStats(t.db, { ...where, bucket });
			const js = aggregateSeries({ points: all, bucket, from, to }).map(({ opening: _o, closing: _c, ...p }) => p);
			expect(sql.map((p) => ({ ...p, mean: Math.round(p.mean * 1e9) }))).toEqual(js.map((p) => ({ ...p, mean: Math.round(p.mean * 1e9) })));
			expect(await eventsInView(t.db, where)).toBe(all.filter((p) => p.date >= from && p.date <= to).length);
			// Lanes: counts per position from SQL give the same shares as the domain's.
			const lanes = packShares({ actor: 'aland', bucket, counts: await positionCounts(t.db, { ...where, bucket }), periods: sql, scale: scale() });
			const domain = packSeries({ actor: 'aland', points: all, range: { from, to }, scale: scale(), lanes: true, bucket });
			expect(lanes.shares).toEqual(domain.shares);
		}
	});
});

describe('firstFinerDate (what sets a chart’s default range)', () => {
	it('skips events known only to the year, and is null when there are no others', async () => {
		await write.writeDataset(
			t.db,
			dataset({
				actors: [actorInput({ slug: 'cland', name: 'Cland' })],
				issues: [issueInput({ slug: 'issue-c', title: 'C' })],
				events: [
					eventInput({ actor: 'cland', issue: 'issue-b', date: '2022-01-01', datePrecision: 'year', summary: 'Cland year' }),
					eventInput({ actor: 'cland', issue: 'issue-b', date: '2022-11-01', datePrecision: 'month', summary: 'Cland month' }),
					eventInput({ actor: 'cland', issue: 'issue-c', date: '2021-01-01', datePrecision: 'year', summary: 'Cland on A' })
				]
			}),
			NOW
		);
		const cland = (await issueActors(t.db, (await issueId(t.db, 'issue-b'))!)).find((a) => a.slug === 'cland')!;
		expect(cland.first).toBe('2022-01-01');
		expect(await firstFinerDate(t.db, { actorId: cland.id, issueId: (await issueId(t.db, 'issue-b'))! })).toBe('2022-11-01');
		expect(await firstFinerDate(t.db, { actorId: cland.id, issueId: (await issueId(t.db, 'issue-c'))! })).toBeNull();
	});
});

describe('query plans of the events table (EXPLAIN QUERY PLAN on the test database file)', () => {
	const plan = async (s: { sql: string; args: unknown[] }) =>
		(await t.db.$client.execute({ sql: `explain query plan ${s.sql}`, args: s.args as never })).rows.map((r) => String(r.detail));
	const onEvents = (lines: string[]) => lines.filter((l) => /\be\b/.test(l) && !/\b(?:SCAN|SEARCH) (?:a|i|sp|tg)\b/.test(l));

	it('an issue filtered by kind seeks (issue, kind, date) for the count and the page, in both sorts', async () => {
		for (const params of ['kind=statement', 'kind=action&sort=desc', 'kind=statement&from=2024-02-01&to=2024-03-01']) {
			const s = eventPageStatements({ scope: { issueId: issue }, query: q(params), page: 2 });
			for (const lines of [await plan(s.count), await plan(s.rows)]) {
				expect(onEvents(lines), `${params}: ${lines.join(' | ')}`).toEqual([expect.stringMatching(/^SEARCH e USING INDEX event_issue_kind_date_idx \(issue_id=\? AND kind=\?/)]);
			}
		}
		// The count still agrees with the rows (every fourth of Aland's 120 events is an action; Bland's are statements).
		expect((await eventPage(t.db, { scope: { issueId: issue }, query: q('kind=action') })).total).toBe(30);
	});

	it('an actor’s series (first date, points, count, periods, lanes) walks the covering index alone, in its order', async () => {
		for (const sql of [
			SERIES_SQL.firstFiner(),
			SERIES_SQL.pointBefore(),
			SERIES_SQL.points(undefined, true, true),
			SERIES_SQL.points(undefined, false, false),
			SERIES_SQL.count(),
			SERIES_SQL.periods(undefined, 'month'),
			SERIES_SQL.positionCounts(undefined, 'year')
		]) {
			const args = [1, issue, day(10), day(20)].slice(0, sql.split('?').length - 1);
			const lines = (await t.db.$client.execute({ sql: `explain query plan ${sql}`, args })).rows.map((r) => String(r.detail));
			expect(lines.filter((l) => l.includes('stance_event')), sql).toEqual([expect.stringMatching(/^SEARCH stance_event USING COVERING INDEX event_actor_issue_series_idx \(actor_id=\? AND issue_id=\?/)]);
			expect(lines.join(' | '), sql).not.toMatch(/ORDER BY/);
		}
	});

	it('no plan of the issue table scans the events table', async () => {
		for (const params of ['', 'actor=aland', 'speaker=aland-envoy', 'kind=statement&actor=aland', 'from=2024-02-01']) {
			const s = eventPageStatements({ scope: { issueId: issue }, query: q(params), page: 1 });
			for (const lines of [await plan(s.count), await plan(s.rows)]) expect(lines.join(' | ')).not.toMatch(/SCAN e\b/);
		}
	});
});

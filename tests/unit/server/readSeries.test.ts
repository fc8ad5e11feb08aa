import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as seriesQ from '../../../src/lib/server/queries/series';
import { serveSeries } from '../../../src/lib/server/read/series';
import * as write from '../../../src/lib/server/write';
import { loadDemo } from '../../fixtures/demo';
import { eventInput } from '../../fixtures/factories';
import { openTestDb, type TestDb } from './testDb';

const NOW = '2025-12-01';
const by: write.Author = { userId: null, via: 'api' };
let t: TestDb;

beforeAll(async () => {
	t = await openTestDb();
	await write.writeDataset(t.db, loadDemo(), NOW);
});
afterAll(() => t?.close());

const get = (query: string, headers: Record<string, string> = {}, options?: { maxPoints?: number }) => {
	const url = new URL(`http://test.local/api/series?${query}`);
	return serveSeries(t.db, url, new Request(url, { headers }), options);
};

describe('compactSeries', () => {
	it('holds the same points, in the same order, as the full series built from events', async () => {
		for (const issue of loadDemo().issues) {
			const full = await seriesQ.forIssue(t.db, { issue: issue.slug });
			if (!full.ok) throw new Error(full.error);
			const ref = (await seriesQ.issueRef(t.db, issue.slug))!;
			const compact = await seriesQ.compactSeries(t.db, ref, null);
			expect(compact, issue.slug).toEqual(
				full.series.map((s) => ({ actor: s.actor, points: s.points.map((p) => ({ date: p.date, datePrecision: p.datePrecision, position: p.position, positionLow: null, positionHigh: null, eventId: p.eventId })) }))
			);
		}
	});

	it("reads one actor's points (actorPoints) as the full series has them: same-day events in recording order, positions and intervals exact", async () => {
		for (const issue of loadDemo().issues) {
			const full = await seriesQ.forIssue(t.db, { issue: issue.slug });
			if (!full.ok) throw new Error(full.error);
			const ref = (await seriesQ.issueRef(t.db, issue.slug))!;
			for (const s of full.series) {
				const { found } = await seriesQ.actorRefs(t.db, [s.actor]);
				const points = await seriesQ.actorPoints(t.db, ref.id, found[0]!.id);
				expect(points.map((p) => p.eventId), `${issue.slug} ${s.actor}`).toEqual(s.points.map((p) => p.eventId));
			}
		}
		// Three events on one day, the last recorded first in id order would differ: recording order wins.
		const ref = (await seriesQ.issueRef(t.db, 'boat-strikes-legality'))!;
		const { found } = await seriesQ.actorRefs(t.db, ['colombia']);
		const day = '2025-06-15';
		const third = 1 / 3;
		const a = await write.createEvent(t.db, eventInput({ actor: 'colombia', issue: 'boat-strikes-legality', date: day, position: third, positionLow: 0.1 + 0.2, positionHigh: 2 / 3, kind: 'statement', summary: 'Exact', sources: [{ outlet: 'X' }] }), by, NOW);
		const b = await write.createEvent(t.db, eventInput({ actor: 'colombia', issue: 'boat-strikes-legality', date: day, position: -1e-7, kind: 'statement', summary: 'Tiny', sources: [{ outlet: 'X' }] }), by, NOW);
		// The first event recorded later than the second: its place in the series moves after it.
		await t.db.$client.execute({ sql: "update stance_event set created_at = '2099-01-01T00:00:00.000Z' where id = ?", args: [a.id] });
		const points = (await seriesQ.actorPoints(t.db, ref.id, found[0]!.id)).filter((p) => p.date === day);
		expect(points).toEqual([
			{ date: day, datePrecision: 'day', position: -1e-7, positionLow: null, positionHigh: null, eventId: b.id },
			{ date: day, datePrecision: 'day', position: third, positionLow: 0.1 + 0.2, positionHigh: 2 / 3, eventId: a.id }
		]);
		await write.deleteEvent(t.db, a.id, undefined, by);
		await write.deleteEvent(t.db, b.id, undefined, by);
		expect((await seriesQ.actorPoints(t.db, ref.id, found[0]!.id)).filter((p) => p.date === day)).toEqual([]);
	});

	it('keeps the order of the actors asked for and leaves out those without events', async () => {
		const ref = (await seriesQ.issueRef(t.db, 'intelligence-sharing-us'))!;
		const { found } = await seriesQ.actorRefs(t.db, ['united-states', 'colombia', 'gustavo-petro']);
		const list = await seriesQ.compactSeries(t.db, ref, found);
		expect(list.map((s) => s.actor)).toEqual(['united-states', 'colombia']);
	});

	it('counts points no further than the limit asked for', async () => {
		const ref = (await seriesQ.issueRef(t.db, 'intelligence-sharing-us'))!;
		const all = (await seriesQ.compactSeries(t.db, ref, null)).reduce((n, s) => n + s.points.length, 0);
		expect(await seriesQ.countPoints(t.db, ref.id, null, 1000)).toBe(all);
		expect(await seriesQ.countPoints(t.db, ref.id, null, 2)).toBe(3);
	});
});

describe('GET /api/series (serveSeries)', () => {
	it('answers 304 to the ETag it gave, and a new body at once after a write to the issue', async () => {
		const first = await get('issue=intelligence-sharing-us&actors=colombia');
		expect(first.status).toBe(200);
		const etag = first.headers.get('etag')!;
		expect(etag).toMatch(/^W\/".+"$/);
		const before = (await first.json()).series[0].points.length;
		expect((await get('issue=intelligence-sharing-us&actors=colombia', { 'if-none-match': etag })).status).toBe(304);

		// A write to another issue leaves this one's ETag valid.
		await write.createEvent(t.db, eventInput({ actor: 'colombia', issue: 'boat-strikes-legality', date: '2025-11-20', position: 1, kind: 'statement', summary: 'Elsewhere', sources: [{ outlet: 'X' }] }), by, NOW);
		expect((await get('issue=intelligence-sharing-us&actors=colombia', { 'if-none-match': etag })).status).toBe(304);

		const { id } = await write.createEvent(t.db, eventInput({ actor: 'colombia', issue: 'intelligence-sharing-us', date: '2025-11-25', position: 2, kind: 'statement', summary: 'New', sources: [{ outlet: 'X' }] }), by, NOW);
		const created = await get('issue=intelligence-sharing-us&actors=colombia', { 'if-none-match': etag });
		expect(created.status).toBe(200);
		const points = (await created.json()).series[0].points;
		expect(points).toHaveLength(before + 1);
		expect(points.at(-1)).toEqual({ date: '2025-11-25', datePrecision: 'day', position: 2, positionLow: null, positionHigh: null, eventId: id });

		await write.updateEvent(t.db, id, { version: 1, position: -1 }, by, NOW);
		expect((await (await get('issue=intelligence-sharing-us&actors=colombia')).json()).series[0].points.at(-1).position).toBe(-1);
		await write.deleteEvent(t.db, id, undefined, by);
		expect((await (await get('issue=intelligence-sharing-us&actors=colombia')).json()).series[0].points).toHaveLength(before);
		await write.restoreEvent(t.db, id, by);
		expect((await (await get('issue=intelligence-sharing-us&actors=colombia')).json()).series[0].points).toHaveLength(before + 1);
	});

	it('drops the series of a deleted actor at once, and brings it back on restore', async () => {
		const slugs = async () => (await (await get('issue=intelligence-sharing-us')).json()).series.map((s: { actor: string }) => s.actor);
		expect(await slugs()).toContain('united-states');
		await write.setDeleted(t.db, 'actor', 'united-states', true, undefined, by);
		expect(await slugs()).not.toContain('united-states');
		await write.setDeleted(t.db, 'actor', 'united-states', false, undefined, by);
		expect(await slugs()).toContain('united-states');
	});

	it('aggregates per month or year with bucket, keeping each period band over every stance held', async () => {
		const r = await get('issue=intelligence-sharing-us&actors=colombia&bucket=month');
		expect(r.status).toBe(200);
		const body = await r.json();
		expect(body.bucket).toBe('month');
		const nov = body.series[0].points.find((p: { date: string }) => p.date === '2025-11-01');
		expect(nov).toMatchObject({ min: -2, count: expect.any(Number) });
		expect(nov.max).toBeGreaterThanOrEqual(1);
		expect(Object.keys(nov).sort()).toEqual(['changes', 'count', 'date', 'max', 'mean', 'min']);
	});

	it('refuses an unaggregated request over the limit with an error naming the limit and the way out', async () => {
		const r = await get('issue=intelligence-sharing-us', {}, { maxPoints: 3 });
		expect(r.status).toBe(400);
		const body = await r.json();
		expect(body.limit).toBe(3);
		expect(body.error).toMatch(/more than 3 events/);
		expect(body.error).toMatch(/bucket/);
		// The same request aggregated is served.
		expect((await get('issue=intelligence-sharing-us&bucket=year', {}, { maxPoints: 3 })).status).toBe(200);
	});

	it('names unknown issues and actors', async () => {
		const r = await get('issue=intelligence-sharing-us&actors=colombia,atlantis');
		expect(r.status).toBe(404);
		expect((await r.json()).error).toMatch(/atlantis/);
		expect((await get('issue=no-such-issue')).status).toBe(404);
		expect((await get('issue=intelligence-sharing-us&bucket=week')).status).toBe(400);
	});

	it('compresses by Accept-Encoding: brotli first, then gzip, else none', async () => {
		const plain = await (await get('issue=intelligence-sharing-us')).text();
		const br = await get('issue=intelligence-sharing-us', { 'accept-encoding': 'gzip, deflate, br' });
		expect(br.headers.get('content-encoding')).toBe('br');
		expect(br.headers.get('vary')).toMatch(/Accept-Encoding/);
		expect(brotliDecompressSync(Buffer.from(await br.arrayBuffer())).toString()).toBe(plain);
		const gz = await get('issue=intelligence-sharing-us', { 'accept-encoding': 'gzip;q=1, br;q=0' });
		expect(gz.headers.get('content-encoding')).toBe('gzip');
		expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe(plain);
		expect((await get('issue=intelligence-sharing-us', { 'accept-encoding': 'identity' })).headers.get('content-encoding')).toBeNull();
	});
});

import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classConfirmation } from '../../../src/lib/server/db/schema';
import { record, type ChangeRecord, type ChangeScope } from '../../../src/lib/server/queries/changes';
import * as eventsQ from '../../../src/lib/server/queries/events';
import { seriesEvents, wholeSeriesEvents } from '../../../src/lib/server/queries/eventPage';
import * as issuesQ from '../../../src/lib/server/queries/issues';
import { allChanges, rulesOf, whoMoved, type Change, type ClassConfirmation, type Mover } from '../../../src/lib/domain/changes';
import { buildSeries } from '../../../src/lib/domain/series';
import { confirmClass, createEvent, deleteEvent, restoreEvent, updateEvent, updateIssue, writeDataset } from '../../../src/lib/server/write';
import { loadDemo } from '../../fixtures/demo';
import { openTestDb, type TestDb } from './testDb';

// The change records are cached per (actor, issue) series, keyed by what the series depends on in
// the database (its activity row, its series_version counter bumped by triggers, its issue's scale
// and rules, the actors' counter). Whatever is written, by this process or another one, the record
// must equal a fresh derivation from every live event, and a write to one series must leave the
// other series' records as they were.

const WORKER = fileURLToPath(new URL('./changesWorker.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const BY = { userId: null, via: 'api' as const };
const NOW = '2026-01-01';
const COLOMBIA: ChangeScope = { actors: ['colombia'] };
const INTEL = 'intelligence-sharing-us';
let t: TestDb;

beforeAll(async () => {
	t = await openTestDb();
	await writeDataset(t.db, loadDemo(), NOW);
});
afterAll(() => t?.close());

/** What the changes of a scope are derived from, read afresh: every live event through Drizzle, no cache. */
async function freshInputs(scope: ChangeScope) {
	const [{ events }, issues, rows] = await Promise.all([eventsQ.list(t.db, {}), issuesQ.list(t.db), t.db.select().from(classConfirmation)]);
	const inScope = events.filter((e) => (!scope.actors?.length || scope.actors.includes(e.actor)) && (!scope.issues?.length || scope.issues.includes(e.issue)));
	return {
		seriesList: buildSeries({ events: inScope }),
		scales: new Map(issues.map((i) => [i.slug, i.scale])),
		rules: new Map(issues.map((i) => [i.slug, rulesOf(i.rules)])),
		confirmations: new Map<number, ClassConfirmation>(rows.map((c) => [c.eventId, { eventId: c.eventId, class: c.class, reason: c.reason, at: c.at }]))
	};
}

const fresh = async (scope: ChangeScope): Promise<Change[]> => allChanges(await freshInputs(scope));

/** What a change shows: its place, size, class and why, and every event before and after it, whole. */
const shown = (c: Change) => ({
	actor: c.actor,
	issue: c.issue,
	from: c.from.event,
	to: c.to.event,
	delta: c.delta,
	class: c.class,
	basis: c.basis,
	confirmation: c.confirmation,
	before: c.before.map((p) => p.event),
	after: c.after.map((p) => p.event),
	quoteBefore: c.quoteBefore?.eventId ?? null,
	quoteAfter: c.quoteAfter?.eventId ?? null
});

const moverShown = (m: Mover) => ({
	actor: m.actor,
	issue: m.issue,
	net: m.net,
	atStart: m.atStart && [m.atStart.from, m.atStart.position],
	atEnd: [m.atEnd.from, m.atEnd.position],
	changes: m.changes.map(shown)
});

/** The record of a scope equals a fresh derivation: its changes, and who moved over two spans (read from its cached stances). */
async function expectFresh(scope: ChangeScope): Promise<ChangeRecord> {
	const rec = await record(t.db, scope);
	expect(rec.tooLarge).toBeNull();
	const inputs = await freshInputs(scope);
	expect(rec.changes.map(shown)).toEqual(allChanges(inputs).map(shown));
	for (const [from, to] of [['2025-11-10', '2025-11-14'], ['2025-01-01', '2026-01-01']] as const) {
		const cached = whoMoved({ seriesList: rec.seriesList, scales: inputs.scales, rules: rec.rules, confirmations: rec.confirmations, from, to, derived: rec.derived });
		// In series order, which differs; the page sorts them by issue and actor.
		const sorted = (ms: Mover[]) => ms.map(moverShown).sort((a, b) => `${a.actor}|${a.issue}`.localeCompare(`${b.actor}|${b.issue}`));
		expect(sorted(cached)).toEqual(sorted(whoMoved({ ...inputs, from, to })));
		expect(cached.length).toBeGreaterThan(0);
	}
	return rec;
}

const intelSeries = (rec: ChangeRecord, actor = 'colombia') => rec.seriesList.find((s) => s.actor === actor && s.issue === INTEL)!;
const colombiaIntel = async () => intelSeries(await record(t.db, COLOMBIA)).points.map((p) => p.event);
const versionOf = async (id: number) => Number((await t.db.$client.execute({ sql: 'select version from stance_event where id = ?', args: [id] })).rows[0]![0]);

describe('change records cached per series', () => {
	it('equal a fresh derivation, whole and scoped', async () => {
		const whole = await expectFresh({});
		expect(whole.changes.length).toBeGreaterThan(2);
		await expectFresh(COLOMBIA);
		await expectFresh({ issues: [INTEL] });
	});

	it('keep the series a write did not touch, and derive the one it did', async () => {
		const before = await expectFresh({});
		// A new statement by the United States on another issue: Colombia's series are untouched.
		await createEvent(t.db, { actor: 'united-states', issue: 'boat-strikes-legality', date: '2025-12-20', position: -1, kind: 'statement', summary: 'A new US statement.', sources: [{ outlet: 'Test' }] }, BY, NOW);
		const after = await expectFresh({});
		expect(intelSeries(after)).toBe(intelSeries(before));
		const us = (r: ChangeRecord) => r.seriesList.find((s) => s.actor === 'united-states' && s.issue === 'boat-strikes-legality');
		expect(us(after)).not.toBe(us(before));
		expect(us(after)!.points.at(-1)!.event.summary).toBe('A new US statement.');
		await expectFresh(COLOMBIA);
	});

	it('follow a create, an update, a delete and a restore in scope', async () => {
		await expectFresh(COLOMBIA);
		const made = await createEvent(t.db, { actor: 'colombia', issue: INTEL, date: '2025-12-01', position: 2, kind: 'statement', summary: 'Colombia expands it.', quote: 'We expand it.', sources: [{ outlet: 'Test' }] }, BY, NOW);
		let rec = await expectFresh(COLOMBIA);
		expect(rec.changes[0]!.to.eventId).toBe(made.id);
		await updateEvent(t.db, made.id, { version: await versionOf(made.id), position: -2, summary: 'Colombia halts it.', sources: [{ outlet: 'Corrected outlet' }], reason: 'Misread.' }, BY, NOW);
		rec = await expectFresh(COLOMBIA);
		expect(rec.changes[0]!.to.event.summary).toBe('Colombia halts it.');
		expect(rec.changes[0]!.to.event.sources[0]!.outlet).toBe('Corrected outlet');
		await deleteEvent(t.db, made.id, undefined, BY, 'Not said.');
		rec = await expectFresh(COLOMBIA);
		expect((await colombiaIntel()).map((e) => e.id)).not.toContain(made.id);
		await restoreEvent(t.db, made.id, BY);
		rec = await expectFresh(COLOMBIA);
		expect(rec.changes[0]!.to.eventId).toBe(made.id);
		await expectFresh({});
	});

	it('follow a confirmation and an override of a class', async () => {
		const rec = await expectFresh(COLOMBIA);
		const change = rec.changes.find((c) => c.issue === INTEL && c.ruleClass === 'reversal')!;
		await confirmClass(t.db, change.to.eventId, { class: 'reversal', reason: '' }, change.ruleClass, BY);
		let now = (await expectFresh(COLOMBIA)).changes.find((c) => c.to.eventId === change.to.eventId)!;
		expect(now.confirmation?.status).toBe('confirmed');
		await confirmClass(t.db, change.to.eventId, { class: 'shift', reason: 'Only a pause.' }, change.ruleClass, BY);
		now = (await expectFresh(COLOMBIA)).changes.find((c) => c.to.eventId === change.to.eventId)!;
		expect([now.class, now.confirmation?.status, now.confirmation?.reason]).toEqual(['shift', 'overridden', 'Only a pause.']);
		await expectFresh({});
	});

	it('follow a change of the issue’s rules', async () => {
		const version = (await issuesQ.versionOf(t.db, INTEL))!;
		await updateIssue(t.db, INTEL, { version, rules: { minShare: 0.9 } }, BY);
		const rec = await expectFresh(COLOMBIA);
		expect(rec.changes.filter((c) => c.issue === INTEL && Math.abs(c.share) < 0.9)).toEqual([]);
		await updateIssue(t.db, INTEL, { version: version + 1, rules: { minShare: null } }, BY);
		await expectFresh(COLOMBIA);
	});

	it('see writes made by another process on the same file', async () => {
		const warm = await expectFresh(COLOMBIA);
		const target = intelSeries(warm).points[0]!.event;
		const file = join(t.dir, 'test.db');
		const run = (...args: string[]) => JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', WORKER, file, ...args], { cwd: ROOT, encoding: 'utf8' }).trim());
		// An update in scope: same number of events and dates, only the series' counter moves.
		run('update', String(target.id), 'Changed by the other process.', String(target.position === 2 ? -2 : 2));
		let rec = await expectFresh(COLOMBIA);
		expect(intelSeries(rec).points[0]!.event.summary).toBe('Changed by the other process.');
		// A new event in scope.
		const made = run('create', 'colombia', INTEL, '2025-12-24', '1');
		rec = await expectFresh(COLOMBIA);
		expect(intelSeries(rec).points.at(-1)!.eventId).toBe(made.id);
		// Out of scope: Colombia's series object is kept.
		const kept = intelSeries(rec);
		run('create', 'venezuela', 'boat-strikes-legality', '2025-12-24', '-2');
		expect(intelSeries(await expectFresh(COLOMBIA))).toBe(kept);
		await expectFresh({});
	});
});

describe('wholeSeriesEvents (the series read as one JSON text)', () => {
	it('reads the same events, fields and sources as seriesEvents, text and numbers exact', async () => {
		const tricky = {
			actor: 'france',
			issue: 'counter-narcotics-cooperation',
			date: '2025-12-02',
			position: 0.1 + 0.2,
			positionLow: 1 / 3 - 1,
			positionHigh: 2 / 3,
			kind: 'statement',
			summary: 'Quotes " and \\ backslashes,\na newline, a tab\t and «ünïcödé» 🙂',
			quote: '"Nous verrons", a-t-il dit; 50 % | ; ,',
			quoteLanguage: 'fr',
			speaker: 'jean-noel-barrot',
			target: 'united-states',
			sources: [{ outlet: 'Le "Monde"', title: 'Un titre, avec; tout', url: 'https://example.org/a?b=c&d=e', publishedOn: '2025-12-02' }, { outlet: 'Second outlet' }]
		};
		await createEvent(t.db, tricky, BY, NOW);
		await createEvent(t.db, { ...tricky, date: '2025-12-01', datePrecision: 'month', position: -1e-9, positionLow: null, positionHigh: null, quote: null, sources: [{ outlet: 'One' }] }, BY, NOW);
		for (const [actor, issue] of [['france', 'counter-narcotics-cooperation'], ['colombia', INTEL], ['nobody', INTEL]] as const) {
			const whole = await wholeSeriesEvents(t.db, { actor, issue });
			expect(whole).toEqual(await seriesEvents(t.db, { actor, issue }));
			if (actor === 'france') expect(whole.find((e) => e.quote === tricky.quote)).toMatchObject({ position: 0.1 + 0.2, positionLow: 1 / 3 - 1, summary: tricky.summary, sources: [{ outlet: 'Le "Monde"' }, { outlet: 'Second outlet' }] });
		}
	});
});

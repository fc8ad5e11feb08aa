import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'libsql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classConfirmation } from '../../../src/lib/server/db/schema';
import { backgroundRefresh, changesPage, ensureFresh, moverCards, moverRows, staleSeries, type ChangeScope } from '../../../src/lib/server/queries/changes';
import { movedModel } from '../../../src/lib/server/pages/moved';
import * as eventsQ from '../../../src/lib/server/queries/events';
import { seriesEvents, wholeSeriesEvents } from '../../../src/lib/server/queries/eventPage';
import * as issuesQ from '../../../src/lib/server/queries/issues';
import { runImport } from '../../../src/lib/server/import';
import { allChanges, rulesOf, whoMoved, type Change, type ClassConfirmation } from '../../../src/lib/domain/changes';
import type { ChangeCard, MoverCard } from '../../../src/lib/domain/changeView';
import { buildSeries } from '../../../src/lib/domain/series';
import { confirmClass, createEvent, deleteEvent, restoreEvent, updateActor, updateEvent, updateIssue, writeDataset } from '../../../src/lib/server/write';
import { loadDemo } from '../../fixtures/demo';
import { openTestDb, type TestDb } from './testDb';

// The change records are stored per (actor, issue) series (stance_run, change_series) and derived
// again when what a series depends on moved (its activity row, its series_version counter bumped by
// triggers, its issue's scale and rules). Whatever is written, by this process or another one, the
// stored records must equal a fresh derivation from every live event.

const WORKER = fileURLToPath(new URL('./changesWorker.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const BY = { userId: null, via: 'api' as const };
const NOW = '2026-01-01';
const COLOMBIA: ChangeScope = { actors: ['colombia'] };
const INTEL = 'intelligence-sharing-us';
const SPANS = [
	['2025-11-10', '2025-11-14'],
	['2025-01-01', '2026-01-01']
] as const;
let t: TestDb;

beforeAll(async () => {
	t = await openTestDb();
	await writeDataset(t.db, loadDemo(), NOW);
});
afterAll(() => t?.close());

/** What the changes of a scope are derived from, read afresh: every live event through Drizzle, nothing stored. */
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

/** What a change card shows: its place, size, class and why, and the events it shows, whole. */
const shown = (c: ChangeCard | Change) => ({
	actor: c.actor,
	issue: c.issue,
	from: c.from.event,
	to: c.to.event,
	toPoints: c.toPoints.map((p) => p.event),
	delta: c.delta,
	share: c.share,
	direction: c.direction,
	toward: c.toward,
	class: c.class,
	ruleClass: c.ruleClass,
	basis: c.basis,
	ruleBasis: c.ruleBasis,
	confirmation: c.confirmation && { class: c.confirmation.class, reason: c.confirmation.reason, status: c.confirmation.status },
	quoteBefore: c.quoteBefore?.event ?? null,
	quoteAfter: c.quoteAfter?.event ?? null
});

const moverShown = (m: MoverCard) => ({
	actor: m.actor,
	issue: m.issue,
	net: m.net,
	atStart: m.atStart && [m.atStart.from, m.atStart.anchor.datePrecision, m.atStart.position],
	atEnd: [m.atEnd.from, m.atEnd.anchor.datePrecision, m.atEnd.position],
	changes: m.changes.map(shown)
});
const sorted = (ms: MoverCard[]) => ms.map(moverShown).sort((a, b) => `${a.actor}|${a.issue}`.localeCompare(`${b.actor}|${b.issue}`));

/** Every stored change of a scope, newest first, as the changes page reads them. */
const stored = async (scope: ChangeScope) => (await changesPage(t.db, scope, { per: 1_000_000 })).changes;

/** The stored records of a scope equal a fresh derivation: its changes, and who moved over two spans. */
async function expectFresh(scope: ChangeScope): Promise<ChangeCard[]> {
	expect(await ensureFresh(t.db, scope)).toBeNull();
	const inputs = await freshInputs(scope);
	const changes = await stored(scope);
	expect(changes.map(shown)).toEqual(allChanges(inputs).map(shown));
	for (const [from, to] of SPANS) {
		const movers = await moverCards(t.db, await moverRows(t.db, scope, from, to), Infinity);
		expect(sorted(movers)).toEqual(sorted(whoMoved({ ...inputs, from, to })));
		expect(movers.length).toBeGreaterThan(0);
	}
	return changes;
}

const versionOf = async (id: number) => Number((await t.db.$client.execute({ sql: 'select version from stance_event where id = ?', args: [id] })).rows[0]![0]);
const storedStamps = async () => (await t.db.$client.execute('select issue_id, actor_id, stamp from change_series order by 1, 2')).rows.map((r) => [r[0], r[1], r[2]]);

describe('stored change records', () => {
	it('equal a fresh derivation, whole and scoped', async () => {
		const whole = await expectFresh({});
		expect(whole.length).toBeGreaterThan(2);
		await expectFresh(COLOMBIA);
		await expectFresh({ issues: [INTEL] });
		await expectFresh({ actors: ['colombia', 'united-states'], issues: [INTEL, 'boat-strikes-legality'] });
	});

	it('derive again only the series a write touched', async () => {
		await expectFresh({});
		const before = await storedStamps();
		await createEvent(t.db, { actor: 'united-states', issue: 'boat-strikes-legality', date: '2025-12-20', position: -1, kind: 'statement', summary: 'A new US statement.', sources: [{ outlet: 'Test' }] }, BY, NOW);
		expect(await staleSeries(t.db, {})).toBe(1);
		await expectFresh({});
		const after = await storedStamps();
		expect(after.filter((r, k) => String(r) !== String(before[k]))).toHaveLength(1);
	});

	it('follow a create, an update, a delete and a restore', async () => {
		await expectFresh(COLOMBIA);
		const made = await createEvent(t.db, { actor: 'colombia', issue: INTEL, date: '2025-12-01', position: 2, kind: 'statement', summary: 'Colombia expands it.', quote: 'We expand it.', sources: [{ outlet: 'Test' }] }, BY, NOW);
		let changes = await expectFresh(COLOMBIA);
		expect(changes[0]!.to.eventId).toBe(made.id);
		await updateEvent(t.db, made.id, { version: await versionOf(made.id), position: -2, summary: 'Colombia halts it.', sources: [{ outlet: 'Corrected outlet' }], reason: 'Misread.' }, BY, NOW);
		changes = await expectFresh(COLOMBIA);
		expect(changes[0]!.to.event.summary).toBe('Colombia halts it.');
		expect(changes[0]!.to.event.sources[0]!.outlet).toBe('Corrected outlet');
		await deleteEvent(t.db, made.id, undefined, BY, 'Not said.');
		changes = await expectFresh(COLOMBIA);
		expect(changes.map((c) => c.to.eventId)).not.toContain(made.id);
		await restoreEvent(t.db, made.id, BY);
		changes = await expectFresh(COLOMBIA);
		expect(changes[0]!.to.eventId).toBe(made.id);
		await expectFresh({});
	});

	it('follow a confirmation and an override of a class', async () => {
		const changes = await expectFresh(COLOMBIA);
		const change = changes.find((c) => c.issue === INTEL && c.ruleClass === 'reversal')!;
		await confirmClass(t.db, change.to.eventId, { class: 'reversal', reason: '' }, change.ruleClass, BY);
		let now = (await expectFresh(COLOMBIA)).find((c) => c.to.eventId === change.to.eventId)!;
		expect(now.confirmation?.status).toBe('confirmed');
		await confirmClass(t.db, change.to.eventId, { class: 'shift', reason: 'Only a pause.' }, change.ruleClass, BY);
		now = (await expectFresh(COLOMBIA)).find((c) => c.to.eventId === change.to.eventId)!;
		expect([now.class, now.confirmation?.status, now.confirmation?.reason]).toEqual(['shift', 'overridden', 'Only a pause.']);
		// The class filter reads the class shown.
		expect((await changesPage(t.db, { ...COLOMBIA, classes: ['shift'] }, { per: 100 })).changes.map((c) => c.to.eventId)).toContain(change.to.eventId);
		await expectFresh({});
	});

	it('follow a change of the issue’s rules', async () => {
		const version = (await issuesQ.versionOf(t.db, INTEL))!;
		await updateIssue(t.db, INTEL, { version, rules: { minShare: 0.9 } }, BY);
		const changes = await expectFresh(COLOMBIA);
		expect(changes.filter((c) => c.issue === INTEL && Math.abs(c.share) < 0.9)).toEqual([]);
		await updateIssue(t.db, INTEL, { version: version + 1, rules: { minShare: null } }, BY);
		await expectFresh(COLOMBIA);
	});

	it('are not derived again when an actor is renamed, and show the new name', async () => {
		await expectFresh({});
		const before = await storedStamps();
		const version = Number((await t.db.$client.execute("select version from actor where slug = 'colombia'")).rows[0]![0]);
		await updateActor(t.db, 'colombia', { version, name: 'Republic of Colombia' }, BY);
		expect(await staleSeries(t.db, {})).toBe(0);
		await expectFresh({});
		expect(await storedStamps()).toEqual(before);
		const page = await movedModel(t.db, new URL('http://x/changes/between?from=2025-11-10&to=2025-11-14&actors=colombia'));
		expect(page.result!.movers[0]!.actorName).toBe('Republic of Colombia');
	});

	it('follow an import', async () => {
		await expectFresh({});
		const csv = join(t.dir, 'more.csv');
		writeFileSync(
			csv,
			['actor,issue,date,position,summary,source_outlet', 'colombia,intelligence-sharing-us,2025-12-10,2,Colombia resumes sharing.,Imported', 'venezuela,boat-strikes-legality,2025-12-11,1,Venezuela softens.,Imported', ''].join('\n')
		);
		expect(await runImport(t.db, { file: csv, now: NOW })).toMatchObject({ written: true, new: 2 });
		expect(await staleSeries(t.db, {})).toBe(2);
		await expectFresh({});
		expect((await stored(COLOMBIA))[0]!.to.event.summary).toBe('Colombia resumes sharing.');
	});

	it('see writes made by another process on the same file', async () => {
		await expectFresh(COLOMBIA);
		const [target] = await seriesEvents(t.db, { actor: 'colombia', issue: INTEL });
		const file = join(t.dir, 'test.db');
		const run = (...args: string[]) => JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', WORKER, file, ...args], { cwd: ROOT, encoding: 'utf8' }).trim());
		// An update in scope: same number of events and dates, only the series' counter moves.
		run('update', String(target!.id), 'Changed by the other process.', String(target!.position === 2 ? -2 : 2));
		let changes = await expectFresh(COLOMBIA);
		expect(changes.flatMap((c) => [c.from.event, c.to.event]).find((e) => e.id === target!.id)?.summary).toBe('Changed by the other process.');
		// A new event in scope.
		const made = run('create', 'colombia', INTEL, '2025-12-24', '-1');
		changes = await expectFresh(COLOMBIA);
		expect(changes[0]!.to.eventId).toBe(made.id);
		// The other process derives the records itself: this one uses its rows as they are.
		run('create', 'venezuela', 'boat-strikes-legality', '2025-12-24', '-2');
		run('refresh');
		expect(await staleSeries(t.db, {})).toBe(0);
		await expectFresh({});
	});

	it('past the per-request budget: answer at once with what is stored, say what is pending, and finish in the background', async () => {
		await expectFresh({});
		await createEvent(t.db, { actor: 'colombia', issue: INTEL, date: '2025-12-28', position: 2, kind: 'statement', summary: 'Late word.', sources: [{ outlet: 'Test' }] }, BY, NOW);
		await createEvent(t.db, { actor: 'venezuela', issue: 'boat-strikes-legality', date: '2025-12-28', position: 2, kind: 'statement', summary: 'Late word.', sources: [{ outlet: 'Test' }] }, BY, NOW);
		const headers: Record<string, string>[] = [];
		const page = await movedModel(t.db, new URL('http://x/changes/between?from=2025-11-10&to=2025-12-31'), { budget: 1, setHeaders: (h) => headers.push(h) });
		expect(page.pending).toMatchObject({ series: 2 });
		expect(page.pending!.events).toBeGreaterThan(1);
		// Not kept by the page cache nor tagged: the complete page replaces it.
		expect(headers).toEqual([{ 'cache-control': 'no-store' }]);
		await backgroundRefresh(t.db);
		expect(await staleSeries(t.db, {})).toBe(0);
		await expectFresh({});
	});

	it('answer from the stored rows, saying what is pending, while another process holds the write lock', async () => {
		await expectFresh({});
		await createEvent(t.db, { actor: 'colombia', issue: INTEL, date: '2025-12-29', position: -2, kind: 'statement', summary: 'Locked out.', sources: [{ outlet: 'Test' }] }, BY, NOW);
		const other = new Database(join(t.dir, 'test.db'));
		other.exec('begin immediate');
		try {
			expect(await ensureFresh(t.db, COLOMBIA)).toMatchObject({ series: 1 });
			expect((await stored(COLOMBIA)).map((c) => c.to.event.summary)).not.toContain('Locked out.');
		} finally {
			other.exec('rollback');
			other.close();
		}
		expect((await expectFresh(COLOMBIA))[0]!.to.event.summary).toBe('Locked out.');
	});

	it('drop the series whose events are all gone', async () => {
		const made = await createEvent(t.db, { actor: 'france', issue: INTEL, date: '2025-12-02', position: 1, kind: 'statement', summary: 'France on it.', sources: [{ outlet: 'Test' }] }, BY, NOW);
		const other = await createEvent(t.db, { actor: 'france', issue: INTEL, date: '2025-12-03', position: -1, kind: 'statement', summary: 'France again.', sources: [{ outlet: 'Test' }] }, BY, NOW);
		expect((await expectFresh({ actors: ['france'] })).filter((c) => c.issue === INTEL)).toHaveLength(1);
		await deleteEvent(t.db, made.id, undefined, BY, 'Not said.');
		await deleteEvent(t.db, other.id, undefined, BY, 'Not said.');
		await expectFresh({});
		const left = await t.db.$client.execute({ sql: "select count(*) from stance_run r join actor a on a.id = r.actor_id join issue i on i.id = r.issue_id where a.slug = 'france' and i.slug = ?", args: [INTEL] });
		expect(Number(left.rows[0]![0])).toBe(0);
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
		// Month-precision events and a quote-less one: the stored records still equal a fresh derivation.
		await expectFresh({ actors: ['france'] });
	});
});

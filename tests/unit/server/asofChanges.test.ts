import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueModel } from '../../../src/lib/server/pages/issue';
import { actorModel } from '../../../src/lib/server/pages/actor';
import { compareModel } from '../../../src/lib/server/pages/compare';
import { chartChanges, type ChartChanges } from '../../../src/lib/server/pages/issueChanges';
import { pinFor } from '../../../src/lib/server/queries/asof';
import { deltaAt } from '../../../src/lib/server/queries/asofDelta';
import { countViewEventsAt } from '../../../src/lib/server/queries/asofRead';
import { AsOfReader, eventAt } from '../../../src/lib/server/pages/asof';
import { changeStartedAt } from '../../../src/lib/server/pages/issueChanges';
import { markContext } from '../../../src/lib/server/queries/marks';
import { loadView } from '../../../src/lib/server/queries/view';
import * as actors from '../../../src/lib/server/queries/actors';
import * as issues from '../../../src/lib/server/queries/issues';
import { viewPanels } from '../../../src/lib/charts/compareModel';
import { detectChanges, rulesOf } from '../../../src/lib/domain/changes';
import { buildSeries } from '../../../src/lib/domain/series';
import { markInputs } from '../../../src/lib/charts/markers';
import { confirmClass, createEvent, deleteEvent, restoreEvent, updateEvent, updateIssue, type Author } from '../../../src/lib/server/write';
import { eventsAsOf } from './asofReference';
import { openDemoDb, type TestDb } from './testDb';

const editor: Author = { userId: null, via: 'api' };
const ISSUE = 'intelligence-sharing-us';
let t: TestDb;

beforeAll(async () => {
	t = await openDemoDb();
});
afterAll(() => t.close());

const tick = () => new Promise((r) => setTimeout(r, 5));
const issueNow = async () => (await issues.bySlug(t.db, ISSUE))!;
const issuePage = async (asof?: string) => issueModel(t.db, await issueNow(), new URL(`http://x/issues/${ISSUE}?actors=colombia${asof ? `&asof=${asof}` : ''}`));
const actorPage = async (asof?: string) => actorModel(t.db, (await actors.bySlug(t.db, 'colombia'))!, new URL(`http://x/actors/colombia${asof ? `?asof=${asof}` : ''}`));
const viewUrl = (asof?: string) => `actors=colombia&issues=${ISSUE}${asof ? `&asof=${asof}` : ''}`;
/** The compare page's small view and the embed: the panels worked out from the loaded view. */
const smallView = async (asof?: string) => {
	const loaded = await loadView(t.db, new URLSearchParams(viewUrl(asof)));
	const panels = viewPanels(loaded);
	const p = panels.model.panels[0]!;
	return { markers: p.markers, cards: panels.cardsOf(p), narratives: panels.narrativesOf(p) };
};
/** The compare page's large view (compact series, markers read on the bounded path). */
const largeView = async (asof?: string) => (await compareModel(t.db, new URL(`http://x/compare?${viewUrl(asof)}`), { inlineEvents: 1 })).compact!.panels[0]!.marks;
/** What a chart shows of its changes: markers, cards, rings and narratives. */
const shown = (m: ChartChanges) => ({ markers: m.markers, changes: m.changes, corrected: m.corrected, narratives: m.narratives, unmarked: m.unmarked });

interface Snapshot {
	pin: string;
	what: string;
	issue: ReturnType<typeof shown>;
	actor: ReturnType<typeof shown>;
	small: Awaited<ReturnType<typeof smallView>>;
	large: ReturnType<typeof shown>;
}
const snapshots: Snapshot[] = [];
/** The current views' changes, and the pin a "Cite this chart" link would carry now. */
async function snap(what: string) {
	const issue = await issuePage();
	const actor = await actorPage();
	const panel = actor.panels.find((p) => p.issue.slug === ISSUE)!;
	snapshots.push({
		what,
		pin: await pinFor(t.db, { issues: [ISSUE] }),
		issue: shown(issue.marks),
		actor: shown(panel.marks),
		small: await smallView(),
		large: shown(await largeView())
	});
	await tick();
}

describe('change markers and narratives as of a moment', () => {
	it('are those the current views showed then, through an update, a delete, a restore, a rules change and a class override after the moment', async () => {
		await snap('start');
		const first = snapshots[0]!;
		// The demo's Colombia: a reversal (Petro, 11 November) and a clarification (13 November).
		expect(first.issue.markers.map((m) => [m.class, new Date(m.day * 86_400_000).toISOString().slice(0, 10)])).toEqual([
			['reversal', '2025-11-11'],
			['clarification', '2025-11-13']
		]);
		expect(first.issue.narratives[0]!.text).toMatch(/Colombia/);
		const table = (await issuePage()).table.events;
		// Colombia's first event: an action of 2025 (known to the year), at Maintain.
		const first2025 = table.find((e) => e.actor === 'colombia' && e.datePrecision === 'year')!;
		const clarification = first.issue.markers.find((m) => m.class === 'clarification')!;

		// A class override: the 13 November change set to a shift, with a reason.
		await confirmClass(t.db, clarification.eventId, { class: 'shift', reason: 'Sánchez announced a new line, not a walk-back.' }, 'clarification', editor);
		await snap('override');
		expect(snapshots.at(-1)!.issue.markers.find((m) => m.eventId === clarification.eventId)!.class).toBe('shift');

		// A rules change: no walk-back window, and only moves of four fifths of the scale count (none of the demo's).
		await updateIssue(t.db, ISSUE, { version: (await issues.versionOf(t.db, ISSUE))!, rules: { walkBackDays: 0, minShare: 0.8 } }, editor);
		await snap('rules');

		// An update: the 2025 action moved to Expand (under the new rules, November's Halt is a change again).
		await updateEvent(t.db, first2025.id, { version: first2025.version ?? 1, position: 2 }, editor);
		await snap('update');

		// A delete and a restore of that event, and a new event after them.
		await deleteEvent(t.db, first2025.id, (first2025.version ?? 1) + 1, editor);
		await snap('delete');
		await restoreEvent(t.db, first2025.id, editor);
		await createEvent(
			t.db,
			{ actor: 'colombia', issue: ISSUE, date: '2025-11-20', position: 2, kind: 'statement', summary: 'Expanded again', sources: [{ outlet: 'Wire' }] },
			editor
		);
		await snap('restore and create');

		// Every step changed what the chart shows (else the pins below would prove nothing).
		for (let k = 1; k < snapshots.length; k++) expect(snapshots[k]!.issue, snapshots[k]!.what).not.toEqual(snapshots[k - 1]!.issue);

		// Each pinned view shows what its current view showed at its moment: markers, cards, rings, narratives.
		for (const s of snapshots) {
			const issue = await issuePage(s.pin);
			expect(issue.asof).toBe(s.pin);
			expect(shown(issue.marks), `issue page, ${s.what}`).toEqual(s.issue);
			expect(shown((await actorPage(s.pin)).panels.find((p) => p.issue.slug === ISSUE)!.marks), `actor page, ${s.what}`).toEqual(s.actor);
			expect(await smallView(s.pin), `compare (small) and embed, ${s.what}`).toEqual(s.small);
			expect(shown(await largeView(s.pin)), `compare (large), ${s.what}`).toEqual(s.large);
		}
	});

	it('derive the changes with detectChanges over the record then, its rules then and the confirmations then', async () => {
		for (const s of snapshots) {
			const delta = await deltaAt(t.db, s.pin);
			const then = await eventsAsOf(t.db, { actors: ['colombia'], issues: [ISSUE] }, s.pin);
			const issue = (await issues.bySlug(t.db, ISSUE, { at: delta }))!;
			const ctx = markInputs(await markContext(t.db, { eventIds: then.map((e) => e.id), issues: [ISSUE], asof: s.pin }));
			const series = buildSeries({ events: then })[0]!;
			const expected = detectChanges({ series, scale: issue.scale, rules: rulesOf(issue.rules), confirmations: ctx.confirmations });
			expect(ctx.rules.get(ISSUE) ?? {}, s.what).toEqual(rulesOf(issue.rules));
			const marks = await chartChanges(t.db, {
				issue,
				shown: [{ slug: 'colombia', events: then.length, aggregated: false }],
				range: { from: '2025-01-01', to: '2025-12-31' },
				today: '2025-12-01',
				asof: delta
			});
			expect(
				marks.markers.map((m) => [m.eventId, m.class, m.confirmation]),
				s.what
			).toEqual(expected.map((c) => [c.to.eventId, c.class, c.confirmation?.status ?? null]));
		}
		// The rules then: the defaults before the change, and the new ones after it.
		const rulesAt = async (what: string) => (await issues.bySlug(t.db, ISSUE, { at: await deltaAt(t.db, snapshots.find((s) => s.what === what)!.pin) }))!.rules;
		expect(rulesOf(await rulesAt('override'))).toEqual({});
		expect(rulesOf(await rulesAt('rules'))).toEqual({ walkBackDays: 0, minShare: 0.8 });
		// The confirmation then: none before the override, the override after it.
		const overridden = snapshots[0]!.issue.markers.find((m) => m.class === 'clarification')!.eventId;
		const confirmationAt = async (what: string) =>
			(await markContext(t.db, { eventIds: [overridden], issues: [ISSUE], asof: snapshots.find((s) => s.what === what)!.pin })).confirmations;
		expect(await confirmationAt('start')).toEqual([]);
		expect((await confirmationAt('override')).map((c) => c.class)).toEqual(['shift']);
	});

	it('keep a confirmation as it stood when it was overridden since', async () => {
		const id = snapshots[0]!.issue.markers.find((m) => m.class === 'reversal')!.eventId;
		await confirmClass(t.db, id, { class: 'reversal', reason: null }, 'reversal', editor);
		await tick();
		const pin = await pinFor(t.db, { issues: [ISSUE] });
		await tick();
		await confirmClass(t.db, id, { class: 'shift', reason: 'Reads as a partial move.' }, 'reversal', editor);
		const at = async (asof?: string) => (await markContext(t.db, { eventIds: [id], issues: [ISSUE], asof })).confirmations.map((c) => [c.class, c.reason]);
		expect(await at()).toEqual([['shift', 'Reads as a partial move.']]);
		expect(await at(pin)).toEqual([['reversal', null]]);
	});

	it('count a pinned view by the events it held then (the VIEW_MAX_EVENTS check)', async () => {
		const start = snapshots[0]!.pin;
		const delta = await deltaAt(t.db, start);
		for (const f of [{ actors: ['colombia'], issues: [ISSUE] }, { issues: [ISSUE] }, { actors: ['colombia'] }, {}]) {
			expect(await countViewEventsAt(t.db, delta, f), JSON.stringify(f)).toBe((await eventsAsOf(t.db, f, start)).length);
		}
		// Today's view holds one event more than it did then: a limit of then's count refuses today's view only.
		const then = (await eventsAsOf(t.db, { actors: ['colombia'], issues: [ISSUE] }, start)).length;
		const params = (asof?: string) => new URLSearchParams(viewUrl(asof));
		expect((await loadView(t.db, params(), { maxEvents: then })).tooLarge).not.toBeNull();
		expect((await loadView(t.db, params(start), { maxEvents: then })).tooLarge).toBeNull();
	});

	it('show an event as it stood then, or why it was not there (the pinned event page), with the change it started then', async () => {
		const pinOf = (what: string) => snapshots.find((s) => s.what === what)!.pin;
		const [start, update, del] = [pinOf('start'), pinOf('update'), pinOf('delete')];
		const first2025 = (await issuePage()).table.events.find((e) => e.actor === 'colombia' && e.datePrecision === 'year')!;
		const created = (await issuePage()).table.events.find((e) => e.summary === 'Expanded again')!;
		const at = async (asof: string, id: number) => eventAt(t.db, await AsOfReader.at(t.db, asof), id);
		// Updated after the start: its position then; deleted then; recorded after the moment: not yet.
		expect(await at(start, first2025.id)).toMatchObject({ status: 'then', event: { position: 1 } });
		expect(await at(update, first2025.id)).toMatchObject({ status: 'then', event: { position: 2 } });
		expect(await at(del, first2025.id)).toEqual({ status: 'deleted', event: null });
		expect(await at(start, created.id)).toEqual({ status: 'not-yet', event: null });
		expect(await at(start, 999_999)).toBeNull();
		// The change Petro's 11 November statement started: a reversal then; under the stricter rules, none.
		const petro = (await issuePage()).table.events.find((e) => e.actor === 'colombia' && e.date === '2025-11-11')!;
		const started = async (asof: string) => {
			const delta = await deltaAt(t.db, asof);
			const found = await at(asof, petro.id);
			return changeStartedAt(t.db, delta, found!.event!, (await issues.bySlug(t.db, ISSUE, { at: delta }))!);
		};
		expect((await started(start))?.class).toBe('reversal');
		expect(await started(snapshots.find((s) => s.what === 'rules')!.pin)).toBeNull();
	});
});

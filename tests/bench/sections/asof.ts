/**
 * "As of" views on the benchmark database: the cited view of a few busy actors (compare, exports)
 * and the issue page, rebuilt from the history after a round of edits, with time and memory; the
 * pin a "Cite this chart" link gets; and the busiest issue's page as of the pin (bounded).
 */
import { sql } from 'drizzle-orm';
import { issueModel } from '../../../src/lib/server/pages/issue';
import { PIN_WINDOW, pinFor } from '../../../src/lib/server/queries/asof';
import * as issuesQ from '../../../src/lib/server/queries/issues';
import { countViewEvents, loadView, viewMaxEvents } from '../../../src/lib/server/queries/view';
import { updateEvent } from '../../../src/lib/server/write';
import { percentile } from '../measure';
import type { Context, Section } from './types';

const EDITS = 300;

async function timed<T>(f: () => Promise<T>): Promise<{ ms: number; heapMb: number; value: T }> {
	global.gc?.();
	const heap0 = process.memoryUsage().heapUsed;
	const t0 = performance.now();
	const value = await f();
	const ms = performance.now() - t0;
	return { ms, heapMb: (process.memoryUsage().heapUsed - heap0) / 1024 / 1024, value };
}

export const asof: Section = {
	name: 'asof',
	async run(ctx: Context) {
		const db = ctx.db;
		const limit = viewMaxEvents();
		// The busiest issue whose whole record fits one view, and three busy actors on the busiest.
		let issue = ctx.issues[0]!;
		for (const slug of ctx.issues) {
			if ((await countViewEvents(db, { issues: [slug] })) <= limit) {
				issue = slug;
				break;
			}
		}
		const issueEvents = await countViewEvents(db, { issues: [issue] });
		const actors = ctx.actors.slice(0, 3);
		const view = `actors=${actors.join(',')}&issues=${ctx.issues[0]}`;
		const viewEvents = await countViewEvents(db, { actors, issues: [ctx.issues[0]!] });
		const pinned = (await timed(() => pinFor(db, { actors, issues: [ctx.issues[0]!] }))).value;
		// Edits after the pin, through the write path: the reconstruction must undo them.
		const rows = await db.all<{ id: number; version: number; position: number }>(
			sql`select e.id, e.version, e.position from stance_event e join issue i on i.id = e.issue_id where i.slug in (${issue}, ${ctx.issues[0]!}) and e.deleted_at is null order by e.id desc limit ${EDITS}`
		);
		await new Promise((r) => setTimeout(r, 5));
		for (const r of rows) await updateEvent(db, r.id, { version: r.version, position: r.position > 0 ? r.position - 1 : r.position + 1 }, { userId: null, via: 'api' });
		const pinTimes: number[] = [];
		for (let k = 0; k < 20; k++) pinTimes.push((await timed(() => pinFor(db, { issues: [issue] }))).ms);
		const cur = await timed(() => loadView(db, new URLSearchParams(view)));
		const then = await timed(() => loadView(db, new URLSearchParams(`${view}&asof=${pinned}`)));
		const issueRow = (await issuesQ.bySlug(db, issue))!;
		const pageNow = await timed(() => issueModel(db, issueRow, new URL(`http://x/issues/${issue}`)));
		const pageThen = await timed(() => issueModel(db, issueRow, new URL(`http://x/issues/${issue}?asof=${pinned}`)));
		const big = (await issuesQ.bySlug(db, ctx.issues[0]!))!;
		// The busiest issue as of the pin: bounded like its live page (no VIEW_MAX_EVENTS refusal since the as-of pages read today's rows).
		const busiest = await timed(() => issueModel(db, big, new URL(`http://x/issues/${big.slug}?asof=${pinned}`)));
		const refusal = busiest.value.problems.find((p) => p.parameter === 'asof')?.message ?? `bounded: ${busiest.value.series.length} series, ${busiest.value.table.events.length} table rows`;
		const rss = process.memoryUsage().rss / 1024 / 1024;
		return {
			figures: {},
			notes: [
				{ what: 'pin of a view (newest history entry that changes it)', value: `p50 ${percentile(pinTimes, 50).toFixed(1)} ms`, note: `reads at most ${PIN_WINDOW.toLocaleString('en')} history entries, newest first` },
				{ what: `compare view, ${viewEvents.toLocaleString('en')} events, current`, value: `${cur.ms.toFixed(0)} ms`, note: `heap +${cur.heapMb.toFixed(0)} MB` },
				{ what: `same view as of the pin (${EDITS} edits since)`, value: `${then.ms.toFixed(0)} ms`, note: `heap +${then.heapMb.toFixed(0)} MB; ${then.value.events.length.toLocaleString('en')} events` },
				{ what: `issue page "${issue}" (${issueEvents.toLocaleString('en')} events), current`, value: `${pageNow.ms.toFixed(0)} ms`, note: `heap +${pageNow.heapMb.toFixed(0)} MB` },
				{ what: 'same issue page as of the pin', value: `${pageThen.ms.toFixed(0)} ms`, note: `heap +${pageThen.heapMb.toFixed(0)} MB` },
				{ what: `busiest issue page as of the pin (VIEW_MAX_EVENTS ${limit.toLocaleString('en')})`, value: `${busiest.ms.toFixed(0)} ms`, note: `heap +${busiest.heapMb.toFixed(0)} MB; ${refusal.slice(0, 120)}` },
				{ what: 'process RSS after the section', value: `${rss.toFixed(0)} MB` }
			]
		};
	}
};

/**
 * Issue 11's views on the running production server: the changes page, "who moved between two
 * dates" (/changes/between) and an "as of" view (/compare?...&asof=). Each is requested one at a
 * time (no concurrent load): the first request of a data version (it derives the change records
 * or rebuilds the record as it stood) and then the median of up to ten more (about ten seconds'
 * worth, at least three), time to the last byte as
 * a browser asks for it (brotli). A view refused past VIEW_MAX_EVENTS is noted as refused.
 */
import { readFileSync } from 'node:fs';
import { createDb } from '../../../src/lib/server/db/client';
import { log } from '../measure';
import { round } from './data';
import { settle } from './http';
import type { Context, Figures, Note, Section } from './types';

const HEADERS = { 'accept-encoding': 'br, gzip' };

export interface Timed {
	/** The first request, ms. */
	first: number;
	/** Median of the later ones, ms. */
	p50: number;
	max: number;
	status: number;
	/** The URL after redirects (a canonical link). */
	url: string;
	/** The page said it refused the request (VIEW_MAX_EVENTS). */
	refused: boolean;
	/** The first answer was a changes page shown while its records were still being derived (sent with no-store). */
	pending: boolean;
	kb: number;
}

/** Times GET `url`: once, then up to `runs` more; throws on a non-2xx answer. */
export async function timeGet(url: string, runs = 10, timeoutMs = 120_000): Promise<Timed> {
	const one = async (u: string) => {
		const t0 = performance.now();
		const r = await fetch(u, { headers: HEADERS, signal: AbortSignal.timeout(timeoutMs) });
		const bytes = Buffer.from(await r.arrayBuffer());
		const ms = performance.now() - t0;
		const body = bytes.toString('utf8');
		if (!r.ok) throw new Error(`${u} answered ${r.status}: ${body.slice(0, 200)}`);
		return { ms, url: r.url, body, bytes: bytes.byteLength, status: r.status, pending: /no-store/.test(r.headers.get('cache-control') ?? '') };
	};
	const first = await one(url);
	const times: number[] = [];
	// Up to `runs` more, but no more than about ten seconds' worth (at least three).
	const started = performance.now();
	for (let k = 0; k < runs && (k < 3 || performance.now() - started < 10_000); k++) times.push((await one(first.url)).ms);
	times.sort((a, b) => a - b);
	return {
		first: round(first.ms, 1),
		p50: round(times[Math.floor(times.length / 2)] ?? first.ms, 1),
		max: round(times.at(-1) ?? first.ms, 1),
		status: first.status,
		url: first.url,
		refused: first.body.includes('VIEW_MAX_EVENTS'),
		pending: first.pending,
		kb: round(first.bytes / 1024, 1)
	};
}

export const timedNote = (what: string, t: Timed): Note => {
	log(`  ${what}: first ${t.first.toFixed(0)} ms, p50 ${t.p50.toFixed(0)} ms${t.refused ? ' (refused)' : ''}`);
	return timedNoteOnly(what, t);
};

const timedNoteOnly = (what: string, t: Timed): Note => ({
	what,
	value: `p50 ${t.p50.toFixed(0)} ms`,
	note: `first ${t.first.toFixed(0)} ms, max ${t.max.toFixed(0)} ms, ${t.kb} KB HTML${t.refused ? '; REFUSED past VIEW_MAX_EVENTS' : ''}${t.pending ? '; first answer shown while change records were being derived' : ''}`
});

const apiNote = (what: string, t: Timed): Note => {
	log(`  ${what}: first ${t.first.toFixed(0)} ms, p50 ${t.p50.toFixed(0)} ms, ${t.kb} KB`);
	return { what, value: `p50 ${t.p50.toFixed(0)} ms`, note: `first ${t.first.toFixed(0)} ms, max ${t.max.toFixed(0)} ms, ${t.kb} KB decoded` };
};

/**
 * The changes page, who moved and an as-of compare view, each scoped to one issue (and, with
 * `scopeActors`, to the actors too: past VIEW_MAX_EVENTS a whole issue is refused), plus the
 * changes page unfiltered.
 */
export async function measureViews(base: string, o: { issue: string; actors: string[]; from: string; to: string; scopeActors?: boolean }, prefix = '') {
	const figures: Record<string, number> = {};
	const notes: Note[] = [];
	const scope = `issues=${o.issue}${o.scopeActors ? `&actors=${o.actors.join(',')}` : ''}`;
	const all = await timeGet(`${base}/changes`);
	notes.push(timedNote('/changes (every change, first page)', all));
	const changes = await timeGet(`${base}/changes?${scope}`);
	notes.push(timedNote(`/changes?${scope}`, changes));
	const moved = await timeGet(`${base}/changes/between?from=${o.from}&to=${o.to}&${scope}`);
	notes.push(timedNote(`who moved between ${o.from} and ${o.to}, ${scope}`, moved));
	// The record as it stands now, rebuilt through the as-of path (history after it: none).
	const asof = new Date().toISOString().slice(0, 19) + 'Z';
	const asofView = await timeGet(`${base}/compare?actors=${o.actors.join(',')}&issues=${o.issue}&asof=${encodeURIComponent(asof)}`);
	notes.push(timedNote(`/compare of ${o.actors.length} actors as of ${asof}`, asofView));
	const plain = await timeGet(`${base}/compare?actors=${o.actors.join(',')}&issues=${o.issue}`);
	notes.push(timedNote(`/compare of the same ${o.actors.length} actors, live`, plain));
	// The issue page as of the same moment (its default selection, one page of the table).
	const asofIssue = await timeGet(`${base}/issues/${o.issue}?asof=${encodeURIComponent(asof)}`);
	notes.push(timedNote(`/issues/${o.issue} as of ${asof}`, asofIssue));
	// The API and exports pinned to the same moment, each beside its live counterpart (issue 11:
	// they cost what they return). Exports and the unaggregated series of every actor ship every
	// event in view: fewer runs. A PNG or SVG after the first comes from the image cache.
	const pinned = `asof=${encodeURIComponent(asof)}`;
	const view = `actors=${o.actors.join(',')}&issues=${o.issue}`;
	const pinnedApi: [string, string, number][] = [
		['series', `/api/series?issue=${o.issue}&actors=${o.actors.join(',')}`, 10],
		['series_month', `/api/series?issue=${o.issue}&bucket=month`, 3],
		['events', `/api/events?issue=${o.issue}&offset=1000&limit=100`, 10],
		['csv', `/export/data.csv?${view}`, 3],
		['json', `/export/data.json?${view}`, 3],
		['png', `/export/chart.png?${view}`, 3],
		['svg', `/export/chart.svg?${view}`, 3]
	];
	for (const [name, path, runs] of pinnedApi) {
		const live = await timeGet(`${base}${path}`, runs);
		const then = await timeGet(`${base}${path}&${pinned}`, runs);
		notes.push(apiNote(`${path} as of ${asof}`, then), apiNote(`${path}, live`, live));
		figures[`${prefix}asof_${name}_ms`] = then.p50;
		figures[`${prefix}asof_${name}_first_ms`] = then.first;
		figures[`${prefix}asof_${name}_kb`] = then.kb;
		figures[`${prefix}live_${name}_ms`] = live.p50;
		figures[`${prefix}live_${name}_first_ms`] = live.first;
	}
	figures[`${prefix}changes_page_ms`] = changes.p50;
	figures[`${prefix}changes_page_first_ms`] = changes.first;
	figures[`${prefix}changes_all_first_ms`] = all.first;
	figures[`${prefix}who_moved_ms`] = moved.p50;
	figures[`${prefix}who_moved_first_ms`] = moved.first;
	figures[`${prefix}asof_compare_ms`] = asofView.p50;
	figures[`${prefix}asof_compare_kb`] = asofView.kb;
	figures[`${prefix}asof_issue_ms`] = asofIssue.p50;
	figures[`${prefix}asof_issue_first_ms`] = asofIssue.first;
	figures[`${prefix}asof_issue_kb`] = asofIssue.kb;
	figures[`${prefix}compare_ms`] = plain.p50;
	figures[`${prefix}compare_first_ms`] = plain.first;
	const refused = [changes, moved, asofView, plain, asofIssue].filter((t) => t.refused).map((t) => t.url);
	return { figures, notes, refused };
}

export const views: Section = {
	name: 'views',
	async run(ctx: Context) {
		if (!ctx.baseUrl) throw new Error('the http section did not start a server');
		await settle(ctx.baseUrl);
		// The busiest skewed issue of at most 50,000 events (the full run's busiest is over
		// VIEW_MAX_EVENTS), and five of its actors, ranks 6 to 10 (the compare page ships every event).
		const issue = ctx.issues.find((i) => i !== ctx.chartIssue && (ctx.issueEvents.get(i) ?? 0) <= 50_000)!;
		const actors = ctx.actorsByIssue.get(issue)!.slice(5, 10);
		const r = await measureViews(ctx.baseUrl, { issue, actors, from: '2000-01-01', to: '2015-01-01' });
		return { figures: r.figures as Figures, problems: r.refused.map((u) => `${u} was refused (VIEW_MAX_EVENTS)`), notes: [{ what: 'issue measured', value: issue, note: `${(ctx.issueEvents.get(issue) ?? 0).toLocaleString('en')} events; actors ${actors.join(', ')}` }, ...r.notes] };
	}
};

/**
 * How long a server takes to derive every stored change record after it starts on a database that
 * has none (or stale ones): `/changes` is asked every half second until it is no longer sent as a
 * page still being brought up to date (Cache-Control: no-store). Returns the wait, the first
 * answer's time and the server CPU spent meanwhile.
 */
export async function measureChangesFill(base: string, pid: number, timeoutMs = 600_000): Promise<{ fillMs: number; firstMs: number; cpuMs: number; polls: number }> {
	const c0 = cpuMs(pid);
	const t0 = performance.now();
	let firstMs = NaN;
	for (let polls = 1; ; polls++) {
		const t = performance.now();
		const r = await fetch(`${base}/changes`, { headers: HEADERS, signal: AbortSignal.timeout(120_000) });
		await r.arrayBuffer();
		if (!r.ok) throw new Error(`/changes answered ${r.status}`);
		if (polls === 1) firstMs = performance.now() - t;
		if (!/no-store/.test(r.headers.get('cache-control') ?? '')) return { fillMs: round(performance.now() - t0, 0), firstMs: round(firstMs, 1), cpuMs: round(cpuMs(pid) - c0, 0), polls };
		if (performance.now() - t0 > timeoutMs) throw new Error(`the change records were still being derived after ${timeoutMs / 1000} s`);
		await new Promise((res) => setTimeout(res, 500));
	}
}

/** CPU time (user + system) a process has used so far, ms (Linux /proc, 10 ms ticks). */
function cpuMs(pid: number): number {
	const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
	return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/**
 * Issue 11's change records after a write, as a second process (the CLI, another server) makes
 * it on the same file: for each view, a vote's summary is edited for an actor outside the view
 * (`unrelated`) and then the first request timed, then one inside it (`scope`) and the first
 * request timed, then the median of three repeats. Server CPU per request from /proc beside
 * the time to the last byte. A view refused past VIEW_MAX_EVENTS is noted as refused.
 */
export async function measureChangesAfterWrites(
	base: string,
	o: { dbFile: string; pid: number; views: { key: string; what: string; url: string }[]; unrelated: string; scope: string },
	prefix = ''
) {
	const db = createDb({ url: `file:${o.dbFile}` });
	const figures: Record<string, number> = {};
	const notes: Note[] = [];
	const write = (actor: string) =>
		db.$client.execute({
			sql: `update stance_event set summary = summary || '.' where id = (select max(id) from stance_event where deleted_at is null and actor_id = (select id from actor where slug = ?))`,
			args: [actor]
		});
	const once = async (url: string) => {
		const c0 = cpuMs(o.pid);
		const t0 = performance.now();
		const r = await fetch(url, { headers: HEADERS, signal: AbortSignal.timeout(120_000) });
		const body = await r.text();
		const ms = performance.now() - t0;
		if (!r.ok) throw new Error(`${url} answered ${r.status}: ${body.slice(0, 200)}`);
		return { ms: round(ms, 1), cpu: round(cpuMs(o.pid) - c0, 0), refused: body.includes('VIEW_MAX_EVENTS') };
	};
	try {
		for (const v of o.views) {
			await once(v.url);
			await write(o.unrelated);
			const unrelated = await once(v.url);
			await write(o.scope);
			const scope = await once(v.url);
			const repeats = [await once(v.url), await once(v.url), await once(v.url)].sort((a, b) => a.ms - b.ms);
			const repeat = repeats[1]!;
			figures[`${prefix}${v.key}_after_unrelated_write_ms`] = unrelated.ms;
			figures[`${prefix}${v.key}_after_scope_write_ms`] = scope.ms;
			figures[`${prefix}${v.key}_repeat_ms`] = repeat.ms;
			const refused = unrelated.refused ? ' (REFUSED past VIEW_MAX_EVENTS)' : '';
			const value = `after a write elsewhere ${unrelated.ms.toFixed(0)} ms, in scope ${scope.ms.toFixed(0)} ms, repeat ${repeat.ms.toFixed(0)} ms${refused}`;
			log(`  ${v.what}: ${value}`);
			notes.push({ what: v.what, value, note: `server CPU ${unrelated.cpu} / ${scope.cpu} / ${repeat.cpu} ms (10 ms ticks); writes: a vote of ${o.unrelated}, then of ${o.scope}, by another process` });
		}
	} finally {
		db.$client.close();
	}
	return { figures, notes };
}

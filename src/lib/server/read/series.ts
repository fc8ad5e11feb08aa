import { aggregateSeries, type AggregatePoint, type Bucket } from '../../domain/aggregate';
import { seriesQuerySchema } from '../../schemas/query';
import type { Db } from '../db/client';
import { json } from '@sveltejs/kit';
import { jsonError, parseQuery } from '../http';
import { eventsAsOfBounded } from '../queries/view';
import { actorPresent, deltaAt, issuePresent } from '../queries/asofDelta';
import type { StanceEvent } from '../../domain/types';
import { viewVersion } from '../queries/meta';
import { actorPoints, actorRefs, actorsOn, compactSeries, countPoints, issueRef, type IssueRef } from '../queries/series';
import { BodyCache, notModified, sendBody, weakEtag, type EncodedBody } from './http';

/**
 * The most points `/api/series` returns unaggregated. More would cost the server and the client
 * seconds and tens of megabytes for a chart that cannot show them: such a request is refused
 * with an error naming this limit and the ways around it (fewer actors, or `bucket`).
 */
export const MAX_SERIES_POINTS = 100_000;

const bodies = new BodyCache(32 * 1024 * 1024);
const JSON_TYPE = 'application/json';

function encoded(etag: string, status: number, value: unknown): EncodedBody {
	return { etag, status, type: JSON_TYPE, raw: Buffer.from(JSON.stringify(value)) };
}

const publicIssue = ({ id: _id, ...issue }: IssueRef) => issue;

/** A period as /api/series?bucket= shows it: with its mean uncertainty interval when its events have intervals. */
const apiPeriod = (p: AggregatePoint) => ({
	date: p.date,
	mean: p.mean,
	min: p.min,
	max: p.max,
	count: p.count,
	changes: p.changes,
	...(p.interval ? { low: p.interval.low, high: p.interval.high, intervals: p.interval.events } : {})
});

/**
 * GET /api/series: compact series of one issue, or their aggregates per month or year. The
 * data version of the issue (and the actors) is read first: a 304 or a cached body costs that
 * one lookup; a write to the issue or to any actor makes a new key at once.
 */
export async function serveSeries(db: Db, url: URL, request: Request, { maxPoints = MAX_SERIES_POINTS } = {}): Promise<Response> {
	const q = parseQuery(seriesQuerySchema, url);
	if (!q.ok) return q.response;
	const { issue: slug, actors, bucket } = q.data;
	if (q.data.asof) return seriesAsOf(db, slug, actors ?? null, bucket ?? null, q.data.asof);
	const key = `${await viewVersion(db, [slug])}|${slug}|${actors?.join(',') ?? '*'}|${bucket ?? ''}|${maxPoints}`;
	const etag = weakEtag(key);
	const headers = { 'Cache-Control': 'no-cache' };
	if (notModified(request, etag)) return new Response(null, { status: 304, headers: { ...headers, ETag: etag, Vary: 'Accept-Encoding' } });
	let body = bodies.get(key);
	if (!body) {
		body = await build(db, etag, slug, actors ?? null, bucket ?? null, maxPoints);
		bodies.set(key, body);
	}
	return sendBody(request, body, headers);
}

async function build(db: Db, etag: string, slug: string, actors: string[] | null, bucket: Bucket | null, max: number): Promise<EncodedBody> {
	const issue = await issueRef(db, slug);
	if (!issue) return encoded(etag, 404, { error: `unknown issue "${slug}"` });
	let refs = null;
	if (actors) {
		const { found, unknown } = await actorRefs(db, actors);
		if (unknown.length) return encoded(etag, 404, { error: `unknown actor${unknown.length > 1 ? 's' : ''} ${unknown.map((s) => `"${s}"`).join(', ')}` });
		refs = found;
	}
	if (bucket) {
		// One series at a time: memory stays within the busiest actor's events.
		const series = [];
		for (const a of refs ?? (await actorsOn(db, issue.id))) {
			const points = await actorPoints(db, issue.id, a.id);
			if (!points.length) continue;
			series.push({
				actor: a.slug,
				points: aggregateSeries({ points, bucket }).map(apiPeriod)
			});
		}
		return encoded(etag, 200, { issue: publicIssue(issue), bucket, series });
	}
	const n = await countPoints(db, issue.id, refs?.map((a) => a.id) ?? null, max);
	if (n > max) {
		const who = refs ? `the ${refs.length} actor${refs.length > 1 ? 's' : ''} asked for` : 'all actors';
		return encoded(etag, 400, {
			error: `the series of ${who} on "${slug}" hold more than ${max.toLocaleString('en')} events, the most /api/series returns unaggregated: name fewer actors (parameter "actors") or aggregate them (parameter "bucket": month or year)`,
			details: [{ parameter: refs ? 'actors' : 'bucket', message: `more than ${max} points` }],
			limit: max
		});
	}
	return encoded(etag, 200, { issue: publicIssue(issue), series: await compactSeries(db, issue, refs) });
}

/**
 * /api/series?asof=: the series as the record stood then, rebuilt from the history (see
 * eventsAsOf); bounded by VIEW_MAX_EVENTS like every view. Not cached: the moment is in the URL.
 */
async function seriesAsOf(db: Db, slug: string, actors: string[] | null, bucket: Bucket | null, asof: string): Promise<Response> {
	// The issue and actors known now or in the record then: one deleted since is known.
	// (A live one not in the record then has no events then: eventsAsOf leaves them out.)
	const delta = await deltaAt(db, asof);
	const issue = (await issueRef(db, slug)) ?? (issuePresent(delta, slug) ? await issueRef(db, slug, { withDeleted: true }) : null);
	if (!issue) return jsonError(404, `unknown issue "${slug}"`);
	let order: string[] | null = null;
	if (actors) {
		const [live, any] = await Promise.all([actorRefs(db, actors), actorRefs(db, actors, { withDeleted: true })]);
		const found = any.found.filter((a) => live.found.some((l) => l.slug === a.slug) || actorPresent(delta, a.slug));
		const unknown = actors.filter((s) => !found.some((a) => a.slug === s));
		if (unknown.length) return jsonError(404, `unknown actor${unknown.length > 1 ? 's' : ''} ${unknown.map((s) => `"${s}"`).join(', ')}`);
		order = found.map((a) => a.slug);
	}
	const r = await eventsAsOfBounded(db, { issues: [slug], actors: order ?? undefined }, asof);
	if (!r.ok) return jsonError(413, r.tooLarge.message, { count: r.tooLarge.count, limit: r.tooLarge.limit });
	const names = new Map((await actorRefs(db, [...new Set(r.events.map((e) => e.actor))], { withDeleted: true })).found.map((a) => [a.slug, a.name]));
	const bySlug = new Map<string, { date: string; datePrecision: StanceEvent['datePrecision']; position: number; positionLow: number | null; positionHigh: number | null; eventId: number }[]>();
	for (const e of r.events) {
		if (!names.has(e.actor)) continue;
		const list = bySlug.get(e.actor) ?? [];
		list.push({ date: e.date, datePrecision: e.datePrecision, position: e.position, positionLow: e.positionLow ?? null, positionHigh: e.positionHigh ?? null, eventId: e.id });
		bySlug.set(e.actor, list);
	}
	const slugs = order ?? [...bySlug.keys()].sort((a, b) => names.get(a)!.localeCompare(names.get(b)!));
	const present = slugs.filter((a) => bySlug.has(a));
	if (bucket) {
		const series = present.map((a) => ({
			actor: a,
			points: aggregateSeries({ points: bySlug.get(a)!, bucket }).map(apiPeriod)
		}));
		return json({ asof, issue: publicIssue(issue), bucket, series });
	}
	return json({ asof, issue: publicIssue(issue), series: present.map((a) => ({ actor: a, points: bySlug.get(a)! })) });
}

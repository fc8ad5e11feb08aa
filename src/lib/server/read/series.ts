import { aggregateSeries, type AggregatePoint, type Bucket } from '../../domain/aggregate';
import { seriesQuerySchema } from '../../schemas/query';
import type { Db } from '../db/client';
import { parseQuery } from '../http';
import { actorPresent, deltaAt, issuePresent, issueThen, type AsOfDelta } from '../queries/asofDelta';
import { actorPointsAt, actorsOnAt, compactSeriesAt, countPointsAt } from '../queries/asofRead';
import { viewVersion } from '../queries/meta';
import { actorPoints, actorRefs, actorsOn, compactSeries, countPoints, issueRef, type ActorRef, type IssueRef } from '../queries/series';
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
 * one lookup; a write to the issue or to any actor makes a new key at once. Pinned to a moment
 * (`asof`), the same reads over the record as it stood then, kept and tagged the same way.
 */
export async function serveSeries(db: Db, url: URL, request: Request, { maxPoints = MAX_SERIES_POINTS } = {}): Promise<Response> {
	const q = parseQuery(seriesQuerySchema, url);
	if (!q.ok) return q.response;
	const { issue: slug, actors, bucket, asof } = q.data;
	const key = `${await viewVersion(db, [slug])}|${slug}|${actors?.join(',') ?? '*'}|${bucket ?? ''}|${maxPoints}|${asof ?? ''}`;
	const etag = weakEtag(key);
	const headers = { 'Cache-Control': 'no-cache' };
	if (notModified(request, etag)) return new Response(null, { status: 304, headers: { ...headers, ETag: etag, Vary: 'Accept-Encoding' } });
	let body = bodies.get(key);
	if (!body) {
		body = await build(db, etag, slug, actors ?? null, bucket ?? null, maxPoints, asof ?? null);
		bodies.set(key, body);
	}
	return sendBody(request, body, headers);
}

/** The refusal of more than `max` unaggregated points, naming the limit and the ways around it. */
function tooManyPoints(slug: string, refs: readonly ActorRef[] | null, max: number) {
	const who = refs ? `the ${refs.length} actor${refs.length > 1 ? 's' : ''} asked for` : 'all actors';
	return {
		error: `the series of ${who} on "${slug}" hold more than ${max.toLocaleString('en')} events, the most /api/series returns unaggregated: name fewer actors (parameter "actors") or aggregate them (parameter "bucket": month or year)`,
		details: [{ parameter: refs ? 'actors' : 'bucket', message: `more than ${max} points` }],
		limit: max
	};
}

async function build(db: Db, etag: string, slug: string, actors: string[] | null, bucket: Bucket | null, max: number, asof: string | null): Promise<EncodedBody> {
	// Pinned to a moment (?asof=): the same reads over today's rows recorded by then, with the
	// events the history since changed set back (queries/asofRead.ts). The issue and actors known
	// now or in the record then: one deleted since is known (a live one not there then has no events then).
	const delta = asof ? await deltaAt(db, asof) : null;
	const found = (await issueRef(db, slug)) ?? (delta && issuePresent(delta, slug) ? await issueRef(db, slug, { withDeleted: true }) : null);
	if (!found) return encoded(etag, 404, { error: `unknown issue "${slug}"` });
	// As it stood then (title, scale, rules), as on the pinned pages; one created since was not there.
	const then = delta ? issueThen(delta, found) : found;
	if (!then) return encoded(etag, 404, { error: `the issue "${slug}" was not in the record on ${asof}` });
	const issue: IssueRef = { ...then, id: found.id };
	let refs = null;
	if (actors) {
		const { found, unknown } = delta ? await knownThen(db, delta, actors) : await actorRefs(db, actors);
		if (unknown.length) return encoded(etag, 404, { error: `unknown actor${unknown.length > 1 ? 's' : ''} ${unknown.map((s) => `"${s}"`).join(', ')}` });
		refs = found;
	}
	const pinned = asof ? { asof } : {};
	if (bucket) {
		// One series at a time: memory stays within the busiest actor's events.
		const series = [];
		for (const a of refs ?? (delta ? await actorsOnAt(db, delta, issue) : await actorsOn(db, issue.id))) {
			const points = delta ? await actorPointsAt(db, delta, issue, a) : await actorPoints(db, issue.id, a.id);
			if (!points.length) continue;
			series.push({
				actor: a.slug,
				points: aggregateSeries({ points, bucket }).map(apiPeriod)
			});
		}
		return encoded(etag, 200, { ...pinned, issue: publicIssue(issue), bucket, series });
	}
	const n = delta ? await countPointsAt(db, delta, issue, refs, max) : await countPoints(db, issue.id, refs?.map((a) => a.id) ?? null, max);
	if (n > max) return encoded(etag, 400, tooManyPoints(slug, refs, max));
	return encoded(etag, 200, { ...pinned, issue: publicIssue(issue), series: delta ? await compactSeriesAt(db, delta, issue, refs) : await compactSeries(db, issue, refs) });
}

/** Actors by slug known at a moment: live now, or deleted since and in the record then (the given order). */
async function knownThen(db: Db, delta: AsOfDelta, slugs: readonly string[]): Promise<{ found: ActorRef[]; unknown: string[] }> {
	const [live, any] = await Promise.all([actorRefs(db, slugs), actorRefs(db, slugs, { withDeleted: true })]);
	const found = any.found.filter((a) => live.found.some((l) => l.slug === a.slug) || actorPresent(delta, a.slug));
	return { found, unknown: slugs.filter((s) => !found.some((a) => a.slug === s)) };
}

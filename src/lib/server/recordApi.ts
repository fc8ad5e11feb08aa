import { json, type RequestEvent } from '@sveltejs/kit';
import { db } from './db';
import { apiAuthor } from './auth/guard';
import { versionParam } from './api';
import { jsonError, readJson, writeError } from './http';
import * as actors from './queries/actors';
import * as issues from './queries/issues';
import { recordAt } from './queries/asof';
import { readAsOf } from '../domain/asof';
import { createActor, createIssue, setDeleted, updateActor, updateIssue } from './write';

/**
 * The write API of actors and issues, which differ only in their queries and write functions:
 * POST to the collection, GET/PATCH/DELETE by slug, POST …/restore.
 */
const KINDS = {
	actor: { queries: actors, create: createActor, update: updateActor },
	issue: { queries: issues, create: createIssue, update: updateIssue }
} as const;

type Kind = keyof typeof KINDS;
type Handler = (event: RequestEvent) => Promise<Response>;

/** A record by slug with its version, or null. */
async function one(kind: Kind, slug: string) {
	const { queries } = KINDS[kind];
	const [record, version] = await Promise.all([queries.bySlug(db, slug), queries.versionOf(db, slug)]);
	return record ? { ...record, version } : null;
}

function slugOf(event: RequestEvent): string {
	return (event.params as { slug: string }).slug;
}

export function recordApi(kind: Kind): { create: Handler; get: Handler; patch: Handler; remove: Handler; restore: Handler } {
	const plural = `${kind}s`;
	return {
		/** Adds a record: JSON body as in the dataset format. */
		create: async (event) => {
			const author = apiAuthor(event);
			if (author instanceof Response) return author;
			const body = await readJson(event.request);
			if (!body.ok) return body.response;
			try {
				const r = await KINDS[kind].create(db, body.body, author);
				return json(await one(kind, r.slug), { status: 201, headers: { Location: `/api/${plural}/${r.slug}` } });
			} catch (e) {
				return writeError(e);
			}
		},
		get: async (event) => {
			const at = readAsOf(event.url.searchParams);
			if (!at.ok) return jsonError(400, at.message, [{ parameter: 'asof', message: at.message }]);
			if (at.asof) return getAsOf(kind, slugOf(event), at.asof);
			const r = await one(kind, slugOf(event));
			return r ? json(r) : jsonError(404, `${kind} "${slugOf(event)}" not found`);
		},
		/** Changes some fields; the body carries the `version` it was read at. The slug stays. */
		patch: async (event) => {
			const author = apiAuthor(event);
			if (author instanceof Response) return author;
			const body = await readJson(event.request);
			if (!body.ok) return body.response;
			try {
				await KINDS[kind].update(db, slugOf(event), body.body, author);
				return json(await one(kind, slugOf(event)));
			} catch (e) {
				return writeError(e);
			}
		},
		/** Soft delete; its events are hidden with it. `?version=` guards against a newer change. */
		remove: async (event) => {
			const author = apiAuthor(event, { body: false });
			if (author instanceof Response) return author;
			const version = versionParam(event.url);
			if (version instanceof Response) return version;
			try {
				return json({ ...(await setDeleted(db, kind, slugOf(event), true, version, author)), deleted: true });
			} catch (e) {
				return writeError(e);
			}
		},
		restore: async (event) => {
			const author = apiAuthor(event, { body: false });
			if (author instanceof Response) return author;
			try {
				return json(await setDeleted(db, kind, slugOf(event), false, undefined, author));
			} catch (e) {
				return writeError(e);
			}
		}
	};
}

/** A record as it stood at `asof` (GET …?asof=), rebuilt from its history. */
async function getAsOf(kind: Kind, slug: string, asof: string): Promise<Response> {
	const rs = await db.$client.execute({ sql: `select id, created_at from ${kind} where slug = ?`, args: [slug] });
	const row = rs.rows[0];
	const then = row ? await recordAt(db, kind, Number(row[0]), String(row[1]), asof) : null;
	if (then === 'current') {
		const r = await one(kind, slug);
		if (r) return json({ ...r, asof });
	} else if (then) return json({ ...then, asof });
	return jsonError(404, `${kind} "${slug}" did not exist on ${asof} (parameter "asof")`);
}

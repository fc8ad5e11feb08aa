import { json, type RequestEvent } from '@sveltejs/kit';
import { db } from './db';
import { apiAuthor } from './auth/guard';
import { jsonError, readJson, writeError } from './http';
import * as actors from './queries/actors';
import * as issues from './queries/issues';
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

function versionParam(event: RequestEvent): number | undefined | Response {
	const v = event.url.searchParams.get('version');
	if (v === null) return undefined;
	return /^\d+$/.test(v) ? Number(v) : jsonError(400, 'parameter "version" must be a whole number');
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
			const version = versionParam(event);
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

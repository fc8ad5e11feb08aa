import type { RequestEvent } from '@sveltejs/kit';
import { today } from '../../domain/dates';
import { db } from '../db';
import { dataVersion, viewVersion } from '../queries/meta';
import { compressResponse } from './compress';
import { notModified, weakEtag } from './http';

/** Pages that depend on more than the data, the URL and the day: never tagged. */
const UNTAGGED = ['/api/', '/export/', '/_app/', '/login', '/logout', '/edit', '/admin', '/account'];

/**
 * The ETag of an anonymous GET of a page (or its __data.json): the version of what it shows,
 * the day (pages count ranges back from today), the build, and the URL. Null for anything that
 * depends on who asks or on a form. Costs one data-version lookup.
 */
export async function pageEtag(event: RequestEvent, build: string): Promise<string | null> {
	const { request, url, locals, route, params } = event;
	if ((request.method !== 'GET' && request.method !== 'HEAD') || locals.user || !route.id) return null;
	if (UNTAGGED.some((p) => url.pathname.startsWith(p))) return null;
	// An issue's page shows that issue and the actors: writes elsewhere leave it valid.
	const version = route.id.endsWith('/issues/[slug=slug]') && params.slug ? await viewVersion(db, [params.slug]) : await dataVersion(db);
	return weakEtag(`page|${version}|${today()}|${build}|${url.pathname}${url.search}`);
}

/** Before rendering: a 304 for an anonymous page whose data has not changed, or null. */
export function pageNotModified(event: RequestEvent, etag: string | null): Response | null {
	if (!etag || !notModified(event.request, etag)) return null;
	return new Response(null, { status: 304, headers: { ETag: etag, 'Cache-Control': 'no-cache', Vary: 'Cookie, Accept-Encoding' } });
}

/** After rendering: the page's ETag, then compression of HTML and JSON by Accept-Encoding. */
export function finishResponse(event: RequestEvent, response: Response, etag: string | null): Promise<Response> {
	// Ours replaces SvelteKit's (a hash of the rendered page): ours is checked before rendering.
	// A page that says it is not to be kept (a changes page shown while its records are being derived) gets no ETag either.
	if (etag && response.status === 200 && !/no-store/i.test(response.headers.get('cache-control') ?? '')) {
		response.headers.set('ETag', etag);
		if (!response.headers.has('cache-control')) response.headers.set('Cache-Control', 'no-cache');
		response.headers.append('Vary', 'Cookie');
	}
	return compressResponse(event.request, response);
}

import { building, dev, version } from '$app/environment';
import { env } from '$env/dynamic/private';
import { error, redirect, type Handle, type HandleServerError, type ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { db } from '$lib/server/db';
import { syncReplica } from '$lib/server/db/client';
import { migrateDb } from '$lib/server/db/migrate';
import { cleanupAbandonedImports, importLeaseMs } from '$lib/server/import/staging';
import { hasRole } from '$lib/server/auth/guard';
import { authenticate, crossSiteRefusal, isApiPath, isWriteMethod } from '$lib/server/auth/request';
import { bodyTooLargeMessage, jsonError } from '$lib/server/http';
import { uploadLimit } from '$lib/server/import/uploads';
import { seedDemoOnce } from '$lib/server/seed';
import { refreshInBackground } from '$lib/server/queries/changes';
import { finishResponse, pageEtag, pageNotModified } from '$lib/server/read/pages';
import { PageCache, cachedResponse, keepPage, pageCacheBytes, pageCacheKey } from '$lib/server/read/pageCache';
import { answerBusy, noteBusy } from '$lib/server/unavailable';
import { applyHeapGrowing } from '$lib/server/heap';

export const init: ServerInit = async () => {
	if (building) return;
	applyHeapGrowing(env.HEAP_GROWING_PERCENT);
	await syncReplica(db);
	await migrateDb(db);
	// A bulk import killed mid-way left a staging table and a running record: remove them, now and
	// every lease period (an import that died on another machine is noticed by its stale heartbeat).
	const sweep = async () => {
		const abandoned = await cleanupAbandonedImports(db.$client);
		if (abandoned.length) console.log(`Removed what ${abandoned.length} interrupted import(s) left behind`);
	};
	await sweep();
	setInterval(() => void sweep().catch(() => undefined), importLeaseMs()).unref();
	if (env.SEED_DEMO !== 'false') {
		const seeded = await seedDemoOnce(db);
		if (seeded) console.log(`Seeded the demo dataset: ${seeded.actors} actors, ${seeded.issues} issues, ${seeded.events} events`);
	}
	// Stored change records of series written while no server ran (a CLI import, a first start
	// after the migration that adds them) are derived now, in the background (queries/changes.ts).
	void refreshInBackground(db);
};

let pages: PageCache | null = null;
/** Anonymous pages as sent, by ETag and coding (read/pageCache.ts); PAGE_CACHE_MB bounds it. */
const pageCache = () => (pages ??= new PageCache(pageCacheBytes(env.PAGE_CACHE_MB)));

const app: Handle = async ({ event, resolve }) => {
	// An embedded replica catches up with the server first: every version check below reads fresh.
	await syncReplica(db);
	const refused = await authenticate(db, event);
	if (refused) return refused;
	const { pathname } = event.url;
	const isApi = isApiPath(pathname);
	const user = event.locals.user;

	// Coarse role checks here; every action and endpoint checks again (a layout check does not guard them).
	if (isApi && isWriteMethod(event.request.method) && !user) {
		return jsonError(401, 'sign in or send an API token as Authorization: Bearer <token>');
	}
	const crossSite = crossSiteRefusal(event.request, event.url);
	if (crossSite) return crossSite;
	if (!isApi && (pathname.startsWith('/edit') || pathname.startsWith('/admin') || pathname.startsWith('/account'))) {
		if (!user) redirect(303, `/login?next=${encodeURIComponent(pathname + event.url.search)}`);
		const need = pathname.startsWith('/admin') ? 'admin' : pathname.startsWith('/edit') ? 'editor' : 'viewer';
		if (!hasRole(user, need)) error(403, `This needs the ${need} role`);
	}
	// Actions on public pages (restoring from an event's page) are editors' too.
	if (!isApi && pathname.startsWith('/events/') && event.request.method === 'POST' && !hasRole(user, 'editor')) {
		if (!user) redirect(303, `/login?next=${encodeURIComponent(pathname)}`);
		error(403, 'This needs the editor role');
	}
	// A setting can make the whole site require login.
	if (env.REQUIRE_LOGIN === 'true' && !user && pathname !== '/login' && !pathname.startsWith('/_app/')) {
		if (isApi || pathname.startsWith('/export/')) return jsonError(401, 'sign in first');
		redirect(303, `/login?next=${encodeURIComponent(pathname + event.url.search)}`);
	}

	const etag = await pageEtag(event, version);
	const unchanged = pageNotModified(event, etag);
	if (unchanged) return unchanged;
	const cache = pageCache();
	const key = cache.maxBytes > 0 ? pageCacheKey(event, etag) : null;
	const hit = key ? cache.get(key) : undefined;
	if (hit) return cachedResponse(hit);
	const response = await resolve(event);
	response.headers.set('X-Content-Type-Options', 'nosniff');
	response.headers.set('Referrer-Policy', 'strict-origin-when-cross-origin');
	response.headers.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
	if (pathname === '/embed' || pathname.startsWith('/export/')) {
		// Embeds and images are meant to be shown inside other sites.
		const csp = response.headers.get('content-security-policy');
		if (csp) response.headers.set('content-security-policy', csp.replace("frame-ancestors 'none'", 'frame-ancestors *'));
	} else {
		response.headers.set('X-Frame-Options', 'DENY');
	}
	if (!dev && event.url.protocol === 'https:') response.headers.set('Strict-Transport-Security', 'max-age=31536000');
	const finished = await finishResponse(event, response, etag);
	return key ? keepPage(cache, key, finished) : finished;
};

/** A locked database (another process writing) is answered with 503 and Retry-After, not a 500. */
export const handle = sequence(answerBusy, app);

export const handleError: HandleServerError = ({ error, event, status, message }) => {
	const busy = noteBusy(error, event);
	if (busy) return busy;
	if (status >= 500) console.error(error);
	// adapter-node's own words ("Payload Too Large") name neither the limit nor what to do.
	if (status === 413) return { message: bodyTooLargeMessage(event.url.pathname, undefined, uploadLimit()) };
	return { message };
};

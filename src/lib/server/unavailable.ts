/**
 * The server's answer while another process holds the database: 503 with Retry-After, quickly,
 * instead of a 500 after a long wait. JSON for the API, exports and SvelteKit's own data and
 * action requests; a short readable page for browsers. Used by hooks.server.ts: `answerBusy` is
 * the first handle, and `noteBusy` is called from handleError, which sees errors that SvelteKit
 * turns into responses itself (in endpoints, loads and actions).
 */
import { json, type Handle, type RequestEvent } from '@sveltejs/kit';
import { RETRY_AFTER_S, isBusy } from './db/busy';

const MESSAGE = 'The database is busy for a moment (another process is writing to it). Nothing was written. Try again in a few seconds.';

// Keyed by the request's locals: SvelteKit hands handleError a different event object than handle.
const busyRequests = new WeakSet<object>();

/** From handleError: remembers that this request failed on a locked database. @returns the error to show, or null. */
export function noteBusy(error: unknown, event: RequestEvent): { message: string } | null {
	if (!isBusy(error)) return null;
	busyRequests.add(event.locals);
	return { message: MESSAGE };
}

function wantsJson(event: RequestEvent): boolean {
	const { pathname } = event.url;
	if (pathname.startsWith('/api/') || pathname.startsWith('/export/') || event.isDataRequest) return true;
	if (event.request.headers.get('x-sveltekit-action') === 'true') return true;
	const accept = event.request.headers.get('accept') ?? '';
	return accept.includes('application/json') && !accept.includes('text/html');
}

/** The 503 response for this request. */
export function busyResponse(event: RequestEvent): Response {
	const headers = { 'Retry-After': String(RETRY_AFTER_S), 'Cache-Control': 'no-store' };
	if (event.request.headers.get('x-sveltekit-action') === 'true') {
		// What a progressively enhanced form expects: an ActionResult of type error.
		return json({ type: 'error', error: { message: MESSAGE } }, { status: 503, headers });
	}
	if (wantsJson(event)) return json({ error: MESSAGE, retryAfter: RETRY_AFTER_S }, { status: 503, headers });
	const page = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Busy for a moment · Stance Tracker</title></head>
<body>
<main>
<h1>Busy for a moment</h1>
<p>The database is being written to by another process (an import or a backup, say), so this page could not be loaded or saved just now. Nothing was written.</p>
<p>Try again in a few seconds: <a href="${escapeAttr(event.url.pathname + event.url.search)}">reload this page</a>. If you were sending a form, go back and send it again.</p>
</main>
</body>
</html>
`;
	return new Response(page, { status: 503, headers: { ...headers, 'Content-Type': 'text/html; charset=utf-8' } });
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** The first handle: turns a locked database, wherever it surfaced, into the 503 response. */
export const answerBusy: Handle = async ({ event, resolve }) => {
	try {
		const response = await resolve(event);
		return busyRequests.has(event.locals) ? busyResponse(event) : response;
	} catch (e) {
		if (isBusy(e)) return busyResponse(event);
		throw e;
	}
};

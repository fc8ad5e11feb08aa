import type { RequestHandler } from './$types';

const BODY = '{"ok":true}';

/** Liveness for deployments and the benchmark's floor: a constant, through the app's own hooks. */
export const GET: RequestHandler = () =>
	new Response(BODY, { headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' } });

import { env } from '$env/dynamic/private';
import { createDb } from './client';

/** The app's database. The only place that reads DATABASE_URL. */
export const DEFAULT_DATABASE_URL = 'file:data/stance-tracker.db';

export const db = createDb({
	url: env.DATABASE_URL || DEFAULT_DATABASE_URL,
	authToken: env.DATABASE_AUTH_TOKEN || undefined,
	// An embedded replica: DATABASE_URL is then its local file (README: Scale-out).
	syncUrl: env.DATABASE_SYNC_URL || undefined,
	syncInterval: env.DATABASE_SYNC_INTERVAL ? Number(env.DATABASE_SYNC_INTERVAL) : undefined
});

import { env } from '$env/dynamic/private';
import { createDb } from './client';

/** The app's database. The only place that reads DATABASE_URL. */
export const DEFAULT_DATABASE_URL = 'file:data/stance-tracker.db';

export const db = createDb({
	url: env.DATABASE_URL || DEFAULT_DATABASE_URL,
	authToken: env.DATABASE_AUTH_TOKEN || undefined
});

import { building } from '$app/environment';
import { env } from '$env/dynamic/private';
import type { Handle, ServerInit } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { migrateDb } from '$lib/server/db/migrate';
import { seedIfEmpty } from '$lib/server/seed';

export const init: ServerInit = async () => {
	if (building) return;
	await migrateDb(db);
	if (env.SEED_DEMO !== 'false') {
		const seeded = await seedIfEmpty(db);
		if (seeded) console.log(`Seeded the demo dataset: ${seeded.actors} actors, ${seeded.issues} issues, ${seeded.events} events`);
	}
};

export const handle: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	response.headers.set('X-Content-Type-Options', 'nosniff');
	response.headers.set('Referrer-Policy', 'strict-origin-when-cross-origin');
	return response;
};

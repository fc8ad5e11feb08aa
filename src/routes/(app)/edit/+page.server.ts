import { db } from '$lib/server/db';
import { requireRole } from '$lib/server/auth/guard';
import * as history from '$lib/server/queries/history';
import type { PageServerLoad } from './$types';

export const load = (async (event) => {
	requireRole(event, 'editor');
	const recent = await history.recent(db, 15);
	return {
		recent: recent.map((c) => {
			const rec = c.after ?? c.before ?? {};
			// A class confirmation is kept under the id of the event that starts the change.
			const name = c.entity === 'confirmation' ? `class ${String(rec.class ?? '')} for event ${c.entityId}` : String(rec.summary ?? rec.name ?? rec.title ?? rec.slug ?? c.entityId);
			const href =
				c.entity === 'event' || c.entity === 'confirmation' ? `/events/${c.entityId}` : `/${c.entity === 'actor' ? 'actors' : 'issues'}/${String(rec.slug ?? '')}`;
			return { id: c.id, entity: c.entity, action: c.action, at: c.at, via: c.via, by: c.by, name, href };
		})
	};
}) satisfies PageServerLoad;

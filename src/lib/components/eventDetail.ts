import type { EventDetail } from '$lib/charts/detail';

/** Fetches an event's hover card (as of the page's moment, when pinned); null when it cannot be read. */
export async function loadEventDetail(id: number, asof: string | null): Promise<EventDetail | null> {
	const r = await fetch(`/api/events/${id}/detail${asof ? `?asof=${encodeURIComponent(asof)}` : ''}`);
	return r.ok ? ((await r.json()) as EventDetail) : null;
}

import type { StanceEvent } from '../domain/types';
import { jsonError } from './http';

/** An event as the public JSON API shows it (README: GET /api/events). */
export function toApiEvent(e: StanceEvent) {
	return {
		id: e.id,
		actor: e.actor,
		issue: e.issue,
		speaker: e.speaker,
		target: e.target,
		date: e.date,
		datePrecision: e.datePrecision,
		position: e.position,
		positionLow: e.positionLow ?? null,
		positionHigh: e.positionHigh ?? null,
		kind: e.kind,
		summary: e.summary,
		quote: e.quote,
		quoteLanguage: e.quoteLanguage,
		confidence: e.confidence,
		version: e.version,
		sources: e.sources
	};
}

/**
 * The `?version=` a DELETE names to guard against deleting a newer change: undefined when absent,
 * else a whole number, else the 400 response naming the parameter.
 */
export function versionParam(url: URL): number | undefined | Response {
	const v = url.searchParams.get('version');
	if (v === null) return undefined;
	return /^\d+$/.test(v) ? Number(v) : jsonError(400, 'parameter "version" must be a whole number');
}

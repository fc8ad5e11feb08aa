import type { StanceEvent } from '../domain/types';

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

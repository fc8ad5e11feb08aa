import type { ChangeAction } from './types';
import { characterProblem } from './text';

/** An event public for longer than this is corrected, not just edited: a change then needs a reason. */
export const CORRECTION_GRACE_HOURS = 24;

const MAX_REASON = 500;

/** True when a change to an event recorded at `createdAt` is a correction at `now` (both ISO date-times). */
export function isCorrection(createdAt: string, now: string): boolean {
	const created = Date.parse(createdAt.replace(' ', 'T').replace(/Z?$/, 'Z'));
	return Date.parse(now) - created > CORRECTION_GRACE_HOURS * 3_600_000;
}

/**
 * What is wrong with the reason given for a change to an event: required (non-blank) for a
 * correction, at most 500 characters, no control characters but tab and newline.
 * @returns problems with the path `reason`; empty when fine. The reason comes back trimmed (null when blank).
 */
export function checkReason({ createdAt, now, reason }: { createdAt: string; now: string; reason: unknown }): {
	reason: string | null;
	problems: { path: string; message: string }[];
} {
	if (reason !== undefined && reason !== null && typeof reason !== 'string') return { reason: null, problems: [{ path: 'reason', message: 'must be text' }] };
	const r = typeof reason === 'string' ? reason.trim() : '';
	if (r.length > MAX_REASON) return { reason: null, problems: [{ path: 'reason', message: `must be at most ${MAX_REASON} characters` }] };
	const bad = characterProblem(r);
	if (bad) return { reason: null, problems: [{ path: 'reason', message: bad }] };
	if (!r && isCorrection(createdAt, now)) {
		return { reason: null, problems: [{ path: 'reason', message: `is required: this event has been public for more than ${CORRECTION_GRACE_HOURS} hours, so say why it is corrected` }] };
	}
	return { reason: r || null, problems: [] };
}

/** One correction as the public sees it: no editor named. */
export interface PublicCorrection {
	eventId: number;
	action: ChangeAction;
	at: string;
	/** Field labels that changed (for an update). */
	fields: string[];
	reason: string | null;
}

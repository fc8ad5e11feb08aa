import { detectChanges, type Change, type ChangeClass, type ChangeRules } from './changes';
import { formatDate } from './dates';
import { formatDuration, stanceEvidence, type NoKnownPosition, type StanceEvidence } from './evidence';
import { labelFor } from './scale';
import type { Series, SeriesPoint } from './series';
import type { Issue, Scale } from './types';

/** A record of at most this many changes is told change by change. */
export const NARRATE_ALL_UP_TO = 6;
/** A longer one is summed up, then its latest this many told. */
export const NARRATE_LATEST = 3;

/** How a speaker is named in prose: "President Gustavo Petro". */
export interface SpeakerName {
	name: string;
	role: string | null;
}

const CLASS_WORDS: Record<ChangeClass, string> = {
	shift: 'a shift',
	reversal: 'a reversal',
	clarification: 'a clarification'
};

/** "Intelligence sharing with US agencies" reads as "intelligence sharing with US agencies" mid-sentence; "US strikes" stays. */
export function midSentence(title: string): string {
	return /^[A-Z][a-z]/.test(title) ? title[0]!.toLowerCase() + title.slice(1) : title;
}

function joinAnd(parts: string[]): string {
	if (parts.length <= 1) return parts.join('');
	return `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

function when(p: Pick<SeriesPoint, 'date' | 'datePrecision'>): string {
	return p.datePrecision === 'day' ? `on ${formatDate(p.date)}` : `in ${formatDate(p.date, p.datePrecision)}`;
}

function speakerText(slug: string | null, names: ReadonlyMap<string, SpeakerName>): string | null {
	if (!slug) return null;
	const n = names.get(slug);
	if (!n) return slug;
	return n.role ? `${n.role} ${n.name}` : n.name;
}

/** Who spoke for the change and what they said: "President Gustavo Petro (“Intelligence is not for killing”)". */
function voices(change: Change, names: ReadonlyMap<string, SpeakerName>): string {
	const bySpeaker = new Map<string, string | null>();
	for (const p of change.toPoints) {
		const who = speakerText(p.event.speaker, names);
		if (!who) continue;
		const quote = p.event.quote ?? (change.quoteAfter?.event.speaker === p.event.speaker ? change.quoteAfter.event.quote : null);
		if (!bySpeaker.has(who) || (bySpeaker.get(who) === null && quote)) bySpeaker.set(who, quote);
	}
	return joinAnd([...bySpeaker].map(([who, quote]) => (quote ? `${who} (“${quote}”)` : who)));
}

/**
 * A plain-language paragraph on an actor's stance on an issue, from its change records and the
 * evidence for the current stance: the charts' text alternative and the caption under them.
 * @example narrate(...) // "Colombia's stance on intelligence sharing with US agencies moved from Maintain to Halt on 11 November 2025, a reversal, when President Gustavo Petro (“Intelligence is not for killing”) spoke for it. …"
 */
export function narrate({
	actorName,
	issueTitle,
	scale,
	changes,
	evidence,
	names
}: {
	actorName: string;
	issueTitle: string;
	scale: Scale;
	/** The actor's changes on the issue, oldest first (as `detectChanges` gives them). */
	changes: readonly Change[];
	evidence: StanceEvidence | NoKnownPosition;
	/** Speakers by slug. */
	names: ReadonlyMap<string, SpeakerName>;
}): string {
	const issue = midSentence(issueTitle);
	if (evidence.kind === 'none') return `${actorName} has no known position on ${issue}.`;
	const sentences: string[] = [];
	// A long record is summed up (how many changes of each class, over which dates), then its
	// latest few told in full: a paragraph stays a paragraph whatever the series holds.
	const told = changes.length > NARRATE_ALL_UP_TO ? changes.slice(-NARRATE_LATEST) : changes;
	if (told.length < changes.length) {
		const first = changes[0]!.to;
		const last = changes.at(-1)!.to;
		const byClass = (['reversal', 'shift', 'clarification'] as const)
			.map((k) => [k, changes.filter((c) => c.class === k).length] as const)
			.filter(([, n]) => n > 0)
			.map(([k, n]) => `${n.toLocaleString('en')} ${n === 1 ? k : `${k}s`}`);
		sentences.push(
			`${actorName}'s stance on ${issue} changed ${changes.length.toLocaleString('en')} times between ${formatDate(first.date, first.datePrecision)} and ${formatDate(last.date, last.datePrecision)} (${joinAnd(byClass)}). The latest ${told.length}, oldest first:`
		);
	}
	told.forEach((c, j) => {
		const i = j + (changes.length - told.length);
		const fromLabel = labelFor(scale, c.from.position);
		const toLabel = labelFor(scale, c.to.position);
		const who = voices(c, names);
		const cls = CLASS_WORDS[c.class] + (c.confirmation ? ` (${c.confirmation.status} by an editor)` : '');
		const subject = i === 0 ? `${actorName}'s stance on ${issue}` : 'It';
		const back = i > 0 && (c.ruleBasis === 'other-speaker' || c.ruleBasis === 'walk-back') && c.class === 'clarification';
		const moveText = fromLabel === toLabel ? `moved within ${toLabel}` : back ? `moved back to ${toLabel}` : `moved from ${fromLabel} to ${toLabel}`;
		sentences.push(`${subject} ${moveText} ${when(c.to)}, ${cls}${who ? `, stated by ${who}` : ''}.`);
	});
	const since = formatDate(evidence.since, evidence.sincePrecision);
	const held = evidence.label;
	const support = `${evidence.events} ${evidence.events === 1 ? 'event' : 'events'} from ${evidence.sources} ${evidence.sources === 1 ? 'source' : 'sources'}`;
	const last = formatDate(evidence.lastStated.date, evidence.lastStated.datePrecision);
	if (changes.length === 0) {
		sentences.push(`${actorName}'s stance on ${issue} has been ${held} since ${since} (${support}; last stated ${last}).`);
	} else {
		sentences.push(`It has held ${held} since ${since} (${support}; last stated ${last}).`);
	}
	if (evidence.stale) sentences.push(`No recent statement: nothing new for ${formatDuration(evidence.daysSinceStated)}.`);
	return sentences.join(' ');
}

/**
 * The paragraph of one actor's series on an issue: its changes (those given, else detected here)
 * and the evidence for its current stance at `today`, under the issue's rules.
 */
export function narrateSeries({
	series,
	issue,
	actorName,
	names,
	today,
	rules,
	changes
}: {
	series: Series;
	issue: Pick<Issue, 'title' | 'scale'>;
	actorName: string;
	names: ReadonlyMap<string, SpeakerName>;
	today: string;
	rules?: Partial<ChangeRules>;
	/** The series' changes, oldest first, with editors' classes; detected from the series when left out. */
	changes?: readonly Change[];
}): string {
	return narrate({
		actorName,
		issueTitle: issue.title,
		scale: issue.scale,
		changes: changes ?? detectChanges({ series, scale: issue.scale, rules }),
		evidence: stanceEvidence({ series, scale: issue.scale, today, rules }),
		names
	});
}

import { Feed } from 'feed';
import type { ChangeView, StatementView } from '../domain/changeView';
import type { Correction } from './queries/corrections';
import { readAsOf } from '../domain/asof';
import { jsonError } from './http';

// The feed library puts titles and content in CDATA as HTML: escape every text we did not write.
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const CLASS_TEXT = { shift: 'shift', reversal: 'reversal', clarification: 'clarification' } as const;

function statementHtml(title: string, s: StatementView, label: string, origin: string): string {
	const words = s.quote ? `<blockquote>“${esc(s.quote)}”</blockquote>` : `<p>${esc(s.summary)}</p>`;
	const sources = s.sources
		.map((src) => {
			const name = esc(src.outlet) + (src.title ? `: ${esc(src.title)}` : '');
			return src.url ? `<a href="${esc(src.url)}">${name}</a>` : name;
		})
		.join('; ');
	return (
		`<p><strong>${esc(title)}: ${esc(label)}</strong></p>${words}` +
		`<p>${s.speakerName ? `${esc(s.speakerName)}, ` : ''}<a href="${origin}/events/${s.eventId}">${esc(s.when)}</a>${sources ? ` · ${sources}` : ''}</p>`
	);
}

/** The title of a change in a feed or a list: "Colombia on Intelligence sharing: Maintain → Halt (reversal, 11 November 2025)". */
export function changeTitle(c: ChangeView): string {
	return `${c.actorName} on ${c.issueTitle}: ${c.fromLabel} → ${c.toLabel} (${CLASS_TEXT[c.class]}, ${c.when})`;
}

/**
 * An Atom 1.0 feed of changes, newest first: each entry links to the event that starts the change
 * and, in its content, to the events and sources before and after.
 */
export function changesAtom({ origin, self, alternate, title, changes }: { origin: string; self: string; alternate: string; title: string; changes: readonly ChangeView[] }): string {
	const updated = changes.reduce((m, c) => (c.recordedAt > m ? c.recordedAt : m), '1970-01-01T00:00:00.000Z');
	const feed = new Feed({
		id: self,
		title,
		link: alternate,
		feedLinks: { atom: self },
		updated: new Date(updated),
		author: { name: 'Stance Tracker', link: origin },
		copyright: 'Stance Tracker contributors'
	});
	for (const c of changes) {
		feed.addItem({
			id: `${origin}/events/${c.eventId}#change`,
			link: `${origin}/events/${c.eventId}`,
			title: esc(changeTitle(c)),
			date: new Date(c.recordedAt),
			description: esc(`${c.why}${c.speakers.length ? `; ${c.speakers.join(', ')}` : ''}`),
			content:
				`<p>${esc(c.actorName)} on ${esc(c.issueTitle)} moved from ${esc(c.fromLabel)} to ${esc(c.toLabel)} on ${esc(c.when)}: ` +
				`a ${CLASS_TEXT[c.class]} (${esc(c.why)}).</p>` +
				statementHtml('Before', c.before, c.fromLabel, origin) +
				statementHtml('After', c.after, c.toLabel, origin),
			category: [{ term: c.class }, { term: c.issue }, { term: c.actor }]
		});
	}
	return xmlSafe(feed.atom1());
}

// Characters XML 1.0 does not allow at all: C0 controls but tab, newline and carriage return,
// U+FFFE, U+FFFF and unpaired surrogates. Input refuses them (domain/text.ts), but text stored before
// that rule may hold one, and a single one makes the whole feed unreadable to every reader.
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|\p{Cs}/gu;
const xmlSafe = (xml: string) => xml.replace(XML_INVALID, '\ufffd');

/**
 * Feeds follow the current record: `asof` on a feed is refused (400 naming it), a malformed one with
 * the reason, a good one with where pinned views are, rather than a current feed passed off as
 * pinned. @returns the refusal, or null when the URL has no `asof`.
 */
export function feedAsOfRefusal(url: URL): Response | null {
	if (!url.searchParams.has('asof')) return null;
	const at = readAsOf(url.searchParams);
	const message = at.ok
		? 'parameter "asof": feeds follow the current record and cannot be pinned; pinned views are the issue, actor and compare pages, their exports and the API with ?asof='
		: at.message;
	return jsonError(400, message, [{ parameter: 'asof', message }]);
}

/** A response carrying an Atom document. */
export function atomResponse(body: string): Response {
	return new Response(body, { headers: { 'content-type': 'application/atom+xml; charset=utf-8', 'cache-control': 'public, max-age=60' } });
}

/** An Atom 1.0 feed of corrections, newest first; each entry links to the corrected event. No editor is named. */
export function correctionsAtom({ origin, corrections }: { origin: string; corrections: readonly Correction[] }): string {
	const self = `${origin}/corrections.atom`;
	const feed = new Feed({
		id: self,
		title: 'Stance Tracker: corrections',
		link: `${origin}/corrections`,
		feedLinks: { atom: self },
		updated: new Date(corrections[0]?.at ?? '1970-01-01T00:00:00.000Z'),
		author: { name: 'Stance Tracker', link: origin },
		copyright: 'Stance Tracker contributors'
	});
	for (const c of corrections) {
		const what = c.action === 'delete' ? 'withdrawn' : c.action === 'restore' ? 'restored' : c.fields.length ? `corrected: ${c.fields.join(', ').toLowerCase()}` : 'saved again';
		feed.addItem({
			id: `${origin}/events/${c.eventId}#correction-${c.id}`,
			link: `${origin}/events/${c.eventId}`,
			title: esc(`${c.summary} (${what})`),
			date: new Date(c.at),
			content: `<p>${esc(what)}</p>${c.reason ? `<p>Reason: ${esc(c.reason)}</p>` : ''}`
		});
	}
	return xmlSafe(feed.atom1());
}

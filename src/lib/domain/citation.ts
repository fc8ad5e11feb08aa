/**
 * "Cite this chart": a link pinned to the record as it stood (`asof`), and the suggested citation
 * text that goes with it, on pages and in exports alike.
 */
import { formatDate } from './dates';

export const SITE_NAME = 'Stance Tracker';

/** A moment (ISO date-time in UTC) for readers: "1 December 2026, 17:30 UTC". */
export function formatMoment(at: string): string {
	return `${formatDate(at.slice(0, 10))}, ${at.slice(11, 16)} UTC`;
}

/** The link with `asof` set to the moment (replacing any), other parameters kept in order. */
export function pinnedUrl(url: string, asof: string): string {
	const u = new URL(url);
	u.searchParams.delete('asof');
	u.searchParams.append('asof', asof);
	return tidy(u);
}

/** The link without `asof`: the current version of a pinned page. */
export function currentUrl(url: string): string {
	const u = new URL(url);
	u.searchParams.delete('asof');
	return tidy(u);
}

// Commas in slug lists and colons in times read better unescaped, and stay valid in a query.
const tidy = (u: URL) => u.toString().replaceAll('%2C', ',').replaceAll('%3A', ':');

export interface Citation {
	title: string;
	site: string;
	/** The moment the cited record is pinned to (ISO date-time, UTC). */
	asof: string;
	/** The day it was accessed (YYYY-MM-DD). */
	accessed: string;
	/** The pinned link. */
	url: string;
	/** The suggested citation, in one line. */
	text: string;
}

/**
 * The suggested citation of a view pinned to `asof`.
 * @example citationOf({ title: 'Intelligence sharing', url, asof: '2026-12-01T17:30:00.000Z', accessed: '2026-12-02' }).text
 * // '“Intelligence sharing”. Stance Tracker, as recorded on 1 December 2026, 17:30 UTC. Accessed 2 December 2026. https://…?asof=…'
 */
export function citationOf({ title, url, asof, accessed }: { title: string; url: string; asof: string; accessed: string }): Citation {
	const text = `“${title}”. ${SITE_NAME}, as recorded on ${formatMoment(asof)}. Accessed ${formatDate(accessed)}. ${url}`;
	return { title, site: SITE_NAME, asof, accessed, url, text };
}

/** The export files of a view (`search`, its query string or empty) pinned to a moment, for "Cite this chart". */
export function pinnedExports(search: string, asof: string): { label: string; href: string }[] {
	return ['chart.png', 'chart.svg', 'data.csv', 'data.json'].map((f) => ({ label: f.split('.')[1]!.toUpperCase(), href: `/export/${f}${search || '?'}${search ? '&' : ''}asof=${asof}` }));
}

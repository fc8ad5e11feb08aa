import { shareOfScale } from './scale';
import type { Scale } from './types';

/**
 * Distinct, colour-blind-friendly hues (Okabe-Ito and Tableau 10 families) for actors that
 * have no colour of their own. Every hue reads on white and on the dark theme's background.
 */
export const ACTOR_PALETTE = [
	'#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00',
	'#56b4e9', '#8c6d31', '#7f3c8d', '#3969ac', '#e73f74'
] as const;

/** A stable colour for an actor slug, picked from ACTOR_PALETTE by a hash of the slug. */
export function fallbackActorColor(slug: string): string {
	let h = 0;
	for (let i = 0; i < slug.length; i++) h = (h * 31 + slug.charCodeAt(i)) >>> 0;
	return ACTOR_PALETTE[h % ACTOR_PALETTE.length]!;
}

// A diverging scheme (ColorBrewer PuOr-like, safe for red-green colour blindness):
// orange for the low end, grey in the middle, purple-blue for the high end.
const LOW = [179, 88, 6];
const MID = [160, 160, 160];
const HIGH = [84, 39, 136];

function mix(a: number[], b: number[], t: number): string {
	const c = a.map((v, i) => Math.round(v + (b[i]! - v) * t));
	return `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

/** The fill for a stance in lane charts and chips: low end orange, midpoint grey, high end purple. */
export function stanceColor(scale: Scale, position: number): string {
	const s = Math.min(1, Math.max(0, shareOfScale(scale, position)));
	return s < 0.5 ? mix(LOW, MID, s * 2) : mix(MID, HIGH, (s - 0.5) * 2);
}

// WCAG 2 relative luminance of an sRGB channel value 0..255.
const linear = (c: number) => (c / 255 <= 0.03928 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
const DARK_TEXT_LUM = linear(0x11);

/** Black or white, whichever has the higher WCAG contrast on the given #rrggbb background. */
export function textOn(background: string): string {
	const n = parseInt(background.slice(1), 16);
	const lum = 0.2126 * linear((n >> 16) & 255) + 0.7152 * linear((n >> 8) & 255) + 0.0722 * linear(n & 255);
	return (lum + 0.05) / (DARK_TEXT_LUM + 0.05) >= 1.05 / (lum + 0.05) ? '#111111' : '#ffffff';
}

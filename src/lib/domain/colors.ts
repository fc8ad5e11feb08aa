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

/** Black or white, whichever reads better on the given #rrggbb background. */
export function textOn(background: string): string {
	const n = parseInt(background.slice(1), 16);
	const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
	const lum = (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
	return lum > 0.55 ? '#111111' : '#ffffff';
}

import { describe, it, expect } from 'vitest';
import { ACTOR_PALETTE, fallbackActorColor, stanceColor, textOn } from '../../../src/lib/domain/colors';
import { scale } from '../../fixtures/factories';

const rgb = (hex: string) => {
	const n = parseInt(hex.slice(1), 16);
	return [(n >> 16) & 255, (n >> 8) & 255, n & 255] as const;
};

/** WCAG 2 contrast ratio between two #rrggbb colours. */
function contrast(a: string, b: string): number {
	const lum = (hex: string) => {
		const [r, g, bl] = rgb(hex).map((c) => {
			const s = c / 255;
			return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
		}) as [number, number, number];
		return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
	};
	const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x) as [number, number];
	return (hi + 0.05) / (lo + 0.05);
}

describe('fallbackActorColor', () => {
	it('gives the same colour for the same slug every time', () => {
		expect(fallbackActorColor('colombia')).toBe(fallbackActorColor('colombia'));
		expect(fallbackActorColor(['united', 'states'].join('-'))).toBe(fallbackActorColor('united-states'));
	});

	it('picks from the palette', () => {
		for (const slug of ['a', 'colombia', 'united-states', 'x-y-z-1']) {
			expect(ACTOR_PALETTE).toContain(fallbackActorColor(slug));
		}
	});

	it('spreads different slugs over the palette', () => {
		const slugs = Array.from({ length: 40 }, (_, i) => `actor-${i}`);
		const used = new Set(slugs.map(fallbackActorColor));
		expect(used.size).toBeGreaterThanOrEqual(8);
	});

	it('does not crash on an empty slug', () => {
		expect(ACTOR_PALETTE).toContain(fallbackActorColor(''));
	});
});

describe('stanceColor', () => {
	const s = scale();

	it('gives different colours to the two ends', () => {
		expect(stanceColor(s, -2)).not.toBe(stanceColor(s, 2));
	});

	it('colours the low end orange and the high end purple-blue', () => {
		const [lr, , lb] = rgb(stanceColor(s, -2));
		const [hr, , hb] = rgb(stanceColor(s, 2));
		expect(lr).toBeGreaterThan(lb);
		expect(hb).toBeGreaterThan(hr);
	});

	it('colours the midpoint grey', () => {
		const [r, g, b] = rgb(stanceColor(s, 0));
		expect(r).toBe(g);
		expect(g).toBe(b);
		const [r10] = rgb(stanceColor(scale({ min: 0, max: 10 }), 5));
		expect(stanceColor(scale({ min: 0, max: 10 }), 5)).toBe(stanceColor(s, 0));
		expect(r10).toBe(r);
	});

	it('moves steadily away from grey toward each end', () => {
		const greyness = (p: number) => {
			const [r, g, b] = rgb(stanceColor(s, p));
			return Math.max(r, g, b) - Math.min(r, g, b);
		};
		expect(greyness(-1)).toBeGreaterThan(greyness(-0.5));
		expect(greyness(-2)).toBeGreaterThan(greyness(-1));
		expect(greyness(1)).toBeGreaterThan(greyness(0.5));
		expect(greyness(2)).toBeGreaterThan(greyness(1));
	});

	it('clamps positions beyond the scale to its ends', () => {
		expect(stanceColor(s, -5)).toBe(stanceColor(s, -2));
		expect(stanceColor(s, 9)).toBe(stanceColor(s, 2));
	});

	it('writes #rrggbb', () => {
		for (const p of [-2, -1.3, 0, 0.7, 2]) expect(stanceColor(s, p)).toMatch(/^#[0-9a-f]{6}$/);
	});
});

describe('textOn', () => {
	it('puts dark text on white and light text on black', () => {
		expect(textOn('#ffffff')).toBe('#111111');
		expect(textOn('#000000')).toBe('#ffffff');
	});

	it('puts dark text on yellow and white text on blue', () => {
		expect(textOn('#ffff00')).toBe('#111111');
		expect(textOn('#0000ff')).toBe('#ffffff');
	});

	it('picks whichever of the two has the higher contrast, on every stance colour', () => {
		const s = scale();
		for (let i = 0; i <= 40; i++) {
			const bg = stanceColor(s, -2 + i / 10);
			const chosen = textOn(bg);
			const other = chosen === '#111111' ? '#ffffff' : '#111111';
			expect(contrast(bg, chosen), `text on ${bg}`).toBeGreaterThanOrEqual(contrast(bg, other));
		}
	});

	it('picks the higher contrast on every palette colour', () => {
		for (const bg of ACTOR_PALETTE) {
			const chosen = textOn(bg);
			const other = chosen === '#111111' ? '#ffffff' : '#111111';
			expect(contrast(bg, chosen), `text on ${bg}`).toBeGreaterThanOrEqual(contrast(bg, other));
		}
	});
});

import { describe, it, expect } from 'vitest';
import {
	formatPosition,
	isOnScale,
	labelFor,
	levelStep,
	midpoint,
	shareOfScale,
	sortedLabels,
	validateScale
} from '../../../src/lib/domain/scale';
import { scale } from '../../fixtures/factories';

const fields = (s: Parameters<typeof validateScale>[0]) => validateScale(s).map((p) => p.field);

describe('validateScale', () => {
	it('finds nothing wrong with a valid scale', () => {
		expect(validateScale(scale())).toEqual([]);
	});

	it('refuses min equal to max, on the max field', () => {
		const problems = validateScale(scale({ min: 1, max: 1, labels: [{ value: 1, label: 'One' }] }));
		expect(problems).toHaveLength(1);
		expect(problems[0]).toMatchObject({ field: 'max' });
		expect(problems[0]!.message).toContain('greater than min (1)');
	});

	it('refuses min greater than max', () => {
		expect(fields(scale({ min: 2, max: -2 }))).toEqual(['max']);
	});

	it('refuses a min or max that is not a finite number', () => {
		expect(fields(scale({ min: Number.NaN }))).toEqual(['min']);
		expect(fields(scale({ max: Number.POSITIVE_INFINITY }))).toEqual(['max']);
	});

	it('needs at least one label', () => {
		expect(fields(scale({ labels: [] }))).toEqual(['labels']);
	});

	it('names a label whose value lies off the scale', () => {
		const problems = validateScale(
			scale({ labels: [{ value: -2, label: 'Low' }, { value: 3, label: 'Too high' }] })
		);
		expect(problems).toEqual([{ field: 'labels.1.value', message: 'must lie within the scale -2..2' }]);
	});

	it('accepts labels at both ends of the scale', () => {
		expect(validateScale(scale({ labels: [{ value: -2, label: 'Low' }, { value: 2, label: 'High' }] }))).toEqual([]);
	});

	it('names the second of two labels with the same value', () => {
		const problems = validateScale(
			scale({ labels: [{ value: 0, label: 'A' }, { value: 1, label: 'B' }, { value: 0, label: 'C' }] })
		);
		expect(problems).toHaveLength(1);
		expect(problems[0]!.field).toBe('labels.2.value');
		expect(problems[0]!.message).toContain('duplicates the value 0');
	});

	it('refuses a blank label text', () => {
		expect(fields(scale({ labels: [{ value: 0, label: '   ' }] }))).toEqual(['labels.0.label']);
	});

	it('lists every problem, not just the first', () => {
		const problems = validateScale(
			scale({ labels: [{ value: 5, label: '' }, { value: 5, label: 'X' }] })
		);
		expect(problems.map((p) => p.field)).toEqual([
			'labels.0.value',
			'labels.0.label',
			'labels.1.value',
			'labels.1.value'
		]);
	});
});

describe('isOnScale', () => {
	const s = scale();
	it('includes both ends', () => {
		expect(isOnScale(s, -2)).toBe(true);
		expect(isOnScale(s, 2)).toBe(true);
	});
	it('accepts a position between labels', () => {
		expect(isOnScale(s, 0.37)).toBe(true);
	});
	it('refuses positions just beyond either end', () => {
		expect(isOnScale(s, -2.0001)).toBe(false);
		expect(isOnScale(s, 2.0001)).toBe(false);
	});
	it('refuses NaN and infinities', () => {
		expect(isOnScale(s, Number.NaN)).toBe(false);
		expect(isOnScale(s, Number.POSITIVE_INFINITY)).toBe(false);
		expect(isOnScale(s, Number.NEGATIVE_INFINITY)).toBe(false);
	});
});

describe('sortedLabels', () => {
	it('orders labels by value without changing the scale', () => {
		const s = scale({ labels: [{ value: 1, label: 'B' }, { value: -1, label: 'A' }, { value: 2, label: 'C' }] });
		expect(sortedLabels(s).map((l) => l.label)).toEqual(['A', 'B', 'C']);
		expect(s.labels.map((l) => l.label)).toEqual(['B', 'A', 'C']);
	});
});

describe('labelFor', () => {
	const s = scale();
	it('gives the label at an exact value', () => {
		expect(labelFor(s, -2)).toBe('Halt');
		expect(labelFor(s, 1)).toBe('Maintain');
	});
	it('gives the nearest label between values', () => {
		expect(labelFor(s, 1.2)).toBe('Maintain');
		expect(labelFor(s, 1.7)).toBe('Expand');
		expect(labelFor(s, -1.6)).toBe('Halt');
	});
	it('breaks a tie toward the midpoint', () => {
		expect(labelFor(s, 0.5)).toBe('Unclear');
		expect(labelFor(s, -0.5)).toBe('Unclear');
		expect(labelFor(s, 1.5)).toBe('Maintain');
		expect(labelFor(s, -1.5)).toBe('Restrict');
	});
	it('breaks a tie toward the midpoint of an asymmetric scale', () => {
		const s010 = scale({ min: 0, max: 10, labels: [{ value: 10, label: 'Ten' }, { value: 0, label: 'Zero' }, { value: 5, label: 'Five' }] });
		expect(labelFor(s010, 2.5)).toBe('Five');
		expect(labelFor(s010, 7.5)).toBe('Five');
	});
	it('works whatever order the labels are stored in', () => {
		const shuffled = scale({ labels: [...scale().labels].reverse() });
		expect(labelFor(shuffled, 0.5)).toBe('Unclear');
		expect(labelFor(shuffled, -1.9)).toBe('Halt');
	});
	it('falls back to the number when the scale has no labels', () => {
		expect(labelFor(scale({ labels: [] }), 1)).toBe('+1');
	});
});

describe('midpoint', () => {
	it('is halfway between min and max', () => {
		expect(midpoint(scale())).toBe(0);
		expect(midpoint(scale({ min: 0, max: 10 }))).toBe(5);
	});
});

describe('shareOfScale', () => {
	it('runs from 0 at min to 1 at max', () => {
		const s = scale({ min: -10, max: 10 });
		expect(shareOfScale(s, -10)).toBe(0);
		expect(shareOfScale(s, 10)).toBe(1);
		expect(shareOfScale(s, 5)).toBe(0.75);
	});
});

describe('levelStep', () => {
	it('is 1 on a scale labelled at every whole number', () => {
		expect(levelStep(scale())).toBe(1);
	});
	it('is the smallest gap between labelled values', () => {
		const s = scale({ min: -10, max: 10, labels: [{ value: 10, label: 'A' }, { value: -10, label: 'B' }, { value: -5, label: 'C' }, { value: 0, label: 'D' }] });
		expect(levelStep(s)).toBe(5);
	});
	it('is the whole span with a single label', () => {
		expect(levelStep(scale({ min: -1, max: 1, labels: [{ value: 0, label: 'Only' }] }))).toBe(2);
	});
	it('is the whole span when there are no labels', () => {
		expect(levelStep(scale({ min: 0, max: 4, labels: [] }))).toBe(4);
	});
});

describe('formatPosition', () => {
	it('signs positive whole numbers and uses a true minus for negatives', () => {
		expect(formatPosition(1)).toBe('+1');
		expect(formatPosition(-2)).toBe('−2');
		expect(formatPosition(0)).toBe('0');
	});
	it('shows up to two decimals without trailing zeros', () => {
		expect(formatPosition(0.5)).toBe('+0.5');
		expect(formatPosition(-1.25)).toBe('−1.25');
	});
	it('never leaves a bare decimal point when the decimals round away', () => {
		expect(formatPosition(1.001)).toBe('+1');
		expect(formatPosition(-1.999)).toBe('−2');
	});
});

import { describe, expect, it } from 'vitest';
import { eventProblems, intervalProblems, lookupsFrom } from '../../../src/lib/domain/rules';
import { eventInput, scale } from '../../fixtures/factories';

const TODAY = '2025-12-01';
const known = lookupsFrom({ scales: new Map([['test-issue', scale()]]) });
const problemsOf = (overrides: Parameters<typeof eventInput>[0]) => eventProblems(eventInput(overrides), known, TODAY);

describe('intervalProblems', () => {
	it('accepts no interval, or one around the position on the scale', () => {
		expect(intervalProblems(1, null, null, scale())).toEqual([]);
		expect(intervalProblems(1, 0.5, 1.5, scale())).toEqual([]);
		expect(intervalProblems(1, 1, 1, scale())).toEqual([]);
	});

	it('needs both bounds or neither, naming the missing one', () => {
		expect(intervalProblems(1, 0.5, null)).toEqual([{ path: 'positionHigh', message: 'an interval needs both positionLow and positionHigh' }]);
		expect(intervalProblems(1, null, 1.5).map((p) => p.path)).toEqual(['positionLow']);
	});

	it('refuses a lower bound above the position and an upper bound below it', () => {
		expect(intervalProblems(1, 1.2, 1.5)).toEqual([{ path: 'positionLow', message: '1.2 is above the position 1' }]);
		expect(intervalProblems(1, 0, 0.9)).toEqual([{ path: 'positionHigh', message: '0.9 is below the position 1' }]);
	});

	it("refuses bounds off the issue's scale", () => {
		const ps = intervalProblems(1, -3, 2.5, scale(), undefined, 'test-issue');
		expect(ps).toEqual([
			{ path: 'positionLow', message: '-3 is off the scale of "test-issue" (-2 to 2)' },
			{ path: 'positionHigh', message: '2.5 is off the scale of "test-issue" (-2 to 2)' }
		]);
	});

	it("names an importer's columns when asked", () => {
		expect(intervalProblems(1, 0, null, undefined, { low: 'position_low', high: 'position_high' })[0]!.path).toBe('position_high');
	});
});

describe('eventProblems with an interval', () => {
	it('checks the interval of an event against its issue', () => {
		expect(problemsOf({ positionLow: 0.5, positionHigh: 1.5 })).toEqual([]);
		expect(problemsOf({ positionLow: null, positionHigh: null })).toEqual([]);
		expect(problemsOf({ positionLow: 0.5 }).map((p) => p.path)).toEqual(['positionHigh']);
		expect(problemsOf({ positionLow: -2.5, positionHigh: 1.5 }).map((p) => p.path)).toEqual(['positionLow']);
		expect(problemsOf({ positionLow: 1.5, positionHigh: 1.8 }).map((p) => p.path)).toEqual(['positionLow']);
	});
});

import { describe, expect, it } from 'vitest';
import { heapGrowingPercent } from '../../../src/lib/server/heap';

describe('heapGrowingPercent', () => {
	it('defaults when unset or empty, keeps 0 (V8 decides) and names the setting when wrong', () => {
		expect(heapGrowingPercent(undefined)).toBe(20);
		expect(heapGrowingPercent(' ')).toBe(20);
		expect(heapGrowingPercent('0')).toBe(0);
		expect(heapGrowingPercent('50')).toBe(50);
		for (const bad of ['lots', '-5', '12.5', '1001']) expect(() => heapGrowingPercent(bad), bad).toThrow(/HEAP_GROWING_PERCENT/);
	});
});

import { describe, it, expect } from 'vitest';
import { describeSeries } from '../../../src/lib/domain/describe';
import { colombiaIntelligenceEvents, event, scale, series } from '../../fixtures/factories';

describe('describeSeries', () => {
	it("tells Colombia's story once per label change, flagging the month-only date", () => {
		expect(describeSeries(series(colombiaIntelligenceEvents()), scale(), 'Colombia')).toBe(
			'Colombia: Halt from November 2025 (approximate date), then Maintain from 13 November 2025.'
		);
	});

	it('flags a year-only date and writes only the year', () => {
		const text = describeSeries(
			series([event({ date: '2025-06-01', datePrecision: 'year', position: -2 }), event({ date: '2025-10-24', position: 2 })]),
			scale(),
			'Colombia'
		);
		expect(text).toBe('Colombia: Halt from 2025 (approximate date), then Expand from 24 October 2025.');
	});

	it('does not flag exact days', () => {
		const text = describeSeries(series([event({ date: '2025-11-11', position: -2 })]), scale(), 'Colombia');
		expect(text).toBe('Colombia: Halt from 11 November 2025.');
		expect(text).not.toContain('approximate');
	});

	it('reads positions by their nearest label, so small moves within a label are not repeated', () => {
		const text = describeSeries(
			series([
				event({ date: '2025-01-01', position: 1 }),
				event({ date: '2025-02-01', position: 1.2 }),
				event({ date: '2025-03-01', position: -1 })
			]),
			scale(),
			'X'
		);
		expect(text).toBe('X: Maintain from 1 January 2025, then Restrict from 1 March 2025.');
	});

	it('names a label again when the stance comes back to it', () => {
		const text = describeSeries(
			series([
				event({ date: '2025-01-01', position: 1 }),
				event({ date: '2025-02-01', position: -1 }),
				event({ date: '2025-03-01', position: 1 })
			]),
			scale(),
			'X'
		);
		expect(text.match(/Maintain/g)).toHaveLength(2);
	});

	it('says so when there is no stance', () => {
		expect(describeSeries({ actor: 'x', issue: 'y', points: [] }, scale(), 'France')).toBe('France: no recorded stance.');
	});
});

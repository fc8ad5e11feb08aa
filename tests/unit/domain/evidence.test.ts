import { describe, it, expect } from 'vitest';
import { describeEvidence, describePointStance, describeSpan, pointStances, evidenceOfRun, formatDateRange, formatDuration, stanceEvidence, stanceSpans } from '../../../src/lib/domain/evidence';
import { colombiaIntelligenceEvents, event, scale, series } from '../../fixtures/factories';

const s22 = scale();

describe('stanceEvidence', () => {
	it('tells "no known position" apart from a neutral one', () => {
		expect(stanceEvidence({ series: null, scale: s22, today: '2025-12-01' })).toEqual({ kind: 'none' });
		const neutral = stanceEvidence({ series: series([event({ date: '2025-11-01', position: 0 })]), scale: s22, today: '2025-12-01' });
		expect(neutral).toMatchObject({ kind: 'stance', position: 0, label: 'Unclear' });
	});

	it('says since when the stance holds, with how many events and distinct sources, and when last stated', () => {
		const e = colombiaIntelligenceEvents();
		e[2]!.sources = [{ outlet: 'Social media post', title: 'Sánchez', url: null, publishedOn: null }];
		e[3]!.sources = [
			{ outlet: 'Social media post', title: 'Benedetti', url: null, publishedOn: null },
			{ outlet: 'social media post ', title: 'sánchez', url: null, publishedOn: null }
		];
		const ev = stanceEvidence({ series: series(e), scale: s22, today: '2025-12-01' });
		expect(ev).toMatchObject({ kind: 'stance', label: 'Maintain', since: '2025-11-13', sincePrecision: 'day', events: 2, sources: 2, stale: false });
		if (ev.kind === 'stance') expect(ev.lastStated.eventId).toBe(104);
	});

	it('marks a stance not restated for longer than the staleness period as stale (default one year)', () => {
		const s = series([event({ date: '2024-06-01', position: 1 })]);
		expect(stanceEvidence({ series: s, scale: s22, today: '2025-06-01' })).toMatchObject({ stale: false, daysSinceStated: 365 });
		expect(stanceEvidence({ series: s, scale: s22, today: '2025-06-02' })).toMatchObject({ stale: true, daysSinceStated: 366 });
		expect(stanceEvidence({ series: s, scale: s22, today: '2024-08-01', rules: { staleAfterDays: 30 } })).toMatchObject({ stale: true });
	});

	it('counts a statement known only to a year as made at the end of that year', () => {
		const s = series([event({ date: '2024-01-01', datePrecision: 'year', position: 1 })]);
		expect(stanceEvidence({ series: s, scale: s22, today: '2025-12-31' })).toMatchObject({ stale: false, daysSinceStated: 365 });
		expect(stanceEvidence({ series: s, scale: s22, today: '2026-01-01' })).toMatchObject({ stale: true });
	});
});

describe('stanceSpans', () => {
	it('says how long each stance lasted, the current one up to today', () => {
		const spans = stanceSpans({ series: series(colombiaIntelligenceEvents()), scale: s22, today: '2025-11-20' });
		expect(spans.map((s) => [s.label, s.from, s.to, s.days, s.holding, s.events])).toEqual([
			['Halt', '2025-11-11', '2025-11-13', 2, false, 2],
			['Maintain', '2025-11-13', null, 7, true, 2]
		]);
	});
});

describe('formatDuration', () => {
	it.each([
		[0, 'same day'],
		[1, '1 day'],
		[45, '45 days'],
		[90, '3 months'],
		[400, '1 year'],
		[800, '2 years']
	])('%i days read as %s', (days, text) => expect(formatDuration(days)).toBe(text));
});

describe('evidenceOfRun', () => {
	const pt = (date: string, position: number, datePrecision: 'day' | 'month' = 'day', eventId = 1) => ({ eventId, date, datePrecision, position });
	it('tells no known position (no run) apart from a neutral stance', () => {
		expect(evidenceOfRun({ run: null, scale: s22, today: '2025-12-01' })).toEqual({ kind: 'none' });
		expect(evidenceOfRun({ run: { head: [pt('2025-11-01', 0)], last: pt('2025-11-01', 0), events: 1, sources: 1 }, scale: s22, today: '2025-12-01' })).toMatchObject({ kind: 'stance', position: 0 });
	});
	it('dates a stance first known to a month by its exact day within that month, and keeps the counts it is given', () => {
		const run = { head: [pt('2025-11-01', -2, 'month', 1), pt('2025-11-11', -2, 'day', 2)], last: pt('2025-11-20', -2, 'day', 9), events: 40, sources: 12 };
		expect(evidenceOfRun({ run, scale: s22, today: '2025-12-01' })).toMatchObject({ since: '2025-11-11', sincePrecision: 'day', events: 40, sources: 12, daysSinceStated: 11, stale: false });
	});
	it('marks staleness by the issue\'s own period', () => {
		const run = { head: [pt('2025-11-11', -2)], last: pt('2025-11-11', -2), events: 1, sources: 1 };
		expect(evidenceOfRun({ run, scale: s22, today: '2025-12-12', rules: { staleAfterDays: 30 } })).toMatchObject({ stale: true, daysSinceStated: 31 });
		expect(evidenceOfRun({ run, scale: s22, today: '2025-12-11', rules: { staleAfterDays: 30 } })).toMatchObject({ stale: false });
	});
});

describe('describeEvidence', () => {
	it('says since when, how many events and sources, when last stated, and "no recent statement" when stale', () => {
		const pt = { eventId: 1, date: '2025-11-13', datePrecision: 'day' as const, position: 1 };
		const run = { head: [{ ...pt, date: '2025-11-11' }], last: pt, events: 2, sources: 3 };
		const ev = evidenceOfRun({ run, scale: s22, today: '2027-01-01' });
		expect(describeEvidence(ev)).toBe('Maintain since 11 Nov 2025; 2 events, 3 sources; last stated 13 Nov 2025; no recent statement');
		expect(describeEvidence(evidenceOfRun({ run: { ...run, events: 1, sources: 1 }, scale: s22, today: '2025-12-01' }))).toBe('Maintain since 11 Nov 2025; 1 event, 1 source; last stated 13 Nov 2025');
		expect(describeEvidence({ kind: 'none' })).toBe('No known position');
	});
});

describe('describeSpan', () => {
	it("says how long each of Colombia's stances lasted, the current one since when", () => {
		const spans = stanceSpans({ series: series(colombiaIntelligenceEvents()), scale: s22, today: '2025-12-13' });
		expect(spans.map(describeSpan).slice(-2)).toEqual(['Halt, 2 days (11–13 Nov 2025)', 'Maintain, since 13 Nov 2025 (30 days)']);
	});
	it('takes compact chart points (no events) as well as series points', () => {
		const points = [
			{ date: '2025-10-01', datePrecision: 'month' as const, position: 1, eventId: 1 },
			{ date: '2025-11-11', datePrecision: 'day' as const, position: -2, eventId: 2 }
		];
		expect(stanceSpans({ series: { points }, scale: s22, today: '2025-11-12' }).map(describeSpan)).toEqual(['Maintain, 41 days (Oct 2025 – 11 Nov 2025)', 'Halt, since 11 Nov 2025 (1 day)']);
	});
});

describe('formatDateRange', () => {
	it('shares the month and year the two dates share', () => {
		expect(formatDateRange('2025-11-11', 'day', '2025-11-13', 'day')).toBe('11–13 Nov 2025');
		expect(formatDateRange('2025-10-28', 'day', '2025-11-13', 'day')).toBe('28 Oct – 13 Nov 2025');
		expect(formatDateRange('2024-12-28', 'day', '2025-01-03', 'day')).toBe('28 Dec 2024 – 3 Jan 2025');
		expect(formatDateRange('2025-11-11', 'day', '2025-11-11', 'day')).toBe('11 Nov 2025');
		expect(formatDateRange('2024-01-01', 'year', '2025-11-01', 'month')).toBe('2024 – Nov 2025');
	});
});

describe('pointStances', () => {
	const pts = (...rows: [string, number, 'day' | 'month' | 'year', number][]) => rows.map(([date, position, datePrecision, eventId]) => ({ date, position, datePrecision, eventId }));

	it("gives every point of Colombia's series its stance: since when, last stated, until when", () => {
		const at = pointStances({ points: series(colombiaIntelligenceEvents()).points, scale: s22 });
		// Petro's approximate November interview and his 11 November announcement: one stance, dated 11 November.
		expect(at.get(101)).toBe(at.get(102));
		expect(at.get(102)).toMatchObject({ label: 'Halt', since: '2025-11-11', sincePrecision: 'day', lastEventId: 102, lastStated: '2025-11-11', until: '2025-11-13', days: 2, events: 2, orEarlier: false });
		expect(at.get(103)).toMatchObject({ label: 'Maintain', since: '2025-11-13', lastEventId: 104, until: null, events: 2 });
		expect(describePointStance(at.get(102)!)).toBe('Halt since 11 Nov 2025; last stated 11 Nov 2025; held 2 days, until 13 Nov 2025');
		expect(describePointStance(at.get(104)!)).toBe('Maintain since 13 Nov 2025; last stated 13 Nov 2025');
	});

	it('says "or earlier" of a stance carried in from before the range (its one point before it)', () => {
		const points = pts(['2025-03-03', 1, 'day', 1], ['2025-11-02', 1, 'day', 2], ['2025-11-11', -2, 'day', 3]);
		const at = pointStances({ points, scale: s22, from: '2025-11-01' });
		expect(at.get(2)).toMatchObject({ since: '2025-03-03', orEarlier: true });
		expect(describePointStance(at.get(2)!)).toBe('Maintain since 3 Mar 2025 or earlier; last stated 2 Nov 2025; held at least 8 months, until 11 Nov 2025');
		expect(at.get(3)!.orEarlier).toBe(false);
		// A whole series (several points before the range) dates its first stance exactly.
		const whole = pts(['2025-01-01', 1, 'day', 1], ['2025-03-03', 1, 'day', 2], ['2025-11-11', -2, 'day', 3]);
		expect(pointStances({ points: whole, scale: s22, from: '2025-11-01' }).get(2)!.orEarlier).toBe(false);
		// No range start: nothing is carried in.
		expect(pointStances({ points, scale: s22 }).get(2)!.orEarlier).toBe(false);
	});

	it('keeps small moves within one stance under the issue\'s minimum move', () => {
		const points = pts(['2025-01-01', 1, 'day', 1], ['2025-02-01', 1.2, 'day', 2], ['2025-03-01', -1, 'day', 3]);
		const at = pointStances({ points, scale: s22, rules: { minShare: 0.1 } });
		expect(at.get(2)).toMatchObject({ since: '2025-01-01', lastEventId: 2, events: 2, until: '2025-03-01' });
	});

	it("tells the current stance with the whole record's evidence when its last statement is this stance's", () => {
		const at = pointStances({ points: series(colombiaIntelligenceEvents()).points, scale: s22 });
		const ev = stanceEvidence({ series: series(colombiaIntelligenceEvents()), scale: s22, today: '2027-01-01' });
		expect(describePointStance(at.get(103)!, ev)).toBe('Maintain since 13 Nov 2025; 2 events, 1 source; last stated 13 Nov 2025; no recent statement');
		// An earlier stance never takes the current evidence, nor does a stance whose later statements lie outside the points.
		expect(describePointStance(at.get(102)!, ev)).toBe('Halt since 11 Nov 2025; last stated 11 Nov 2025; held 2 days, until 13 Nov 2025');
		const partial = pointStances({ points: series(colombiaIntelligenceEvents()).points.slice(0, 3), scale: s22 });
		expect(describePointStance(partial.get(103)!, ev)).toBe('Maintain since 13 Nov 2025; last stated 13 Nov 2025');
		expect(describePointStance(at.get(103)!, { kind: 'none' })).toBe('Maintain since 13 Nov 2025; last stated 13 Nov 2025');
	});
});

describe('stanceSpans: intervals', () => {
	it('gives each stance the uncertainty interval of its latest event, null without one', () => {
		const points = [
			{ date: '2019-01-01', datePrecision: 'year' as const, position: 0.4, positionLow: 0.1, positionHigh: 0.7, eventId: 1 },
			{ date: '2020-01-01', datePrecision: 'year' as const, position: -0.2, eventId: 2 }
		];
		expect(stanceSpans({ series: { points }, scale: s22, today: '2021-01-01' }).map((s) => s.interval)).toEqual([{ low: 0.1, high: 0.7 }, null]);
	});
});

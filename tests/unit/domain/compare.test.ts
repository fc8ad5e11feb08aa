import { describe, it, expect } from 'vitest';
import {
	alignSeries,
	describeDivergence,
	divergenceIntervals,
	mixedSignals,
	MIXED_SIGNAL_DAYS,
	type DivergenceInterval
} from '../../../src/lib/domain/compare';
import { formatDate } from '../../../src/lib/domain/dates';
import { stanceAt, type Series } from '../../../src/lib/domain/series';
import { colombiaIntelligenceEvents, event, scale, series } from '../../fixtures/factories';

/** One actor's series from [date, position] pairs (day precision). */
const line = (actor: string, ...rows: [string, number][]): Series =>
	series(rows.map(([date, position]) => event({ actor, date, position })));

/** What each row holds, as [date, positions...] with null before a series starts. */
const positions = (rows: ReturnType<typeof alignSeries>) =>
	rows.map((r) => [r.date, ...r.stances.map((s) => (s ? s.position : null))]);

describe('alignSeries', () => {
	it('makes one row per date in the union of all dates, in date order', () => {
		const a = line('colombia', ['2025-11-11', -2], ['2025-11-13', 1]);
		const b = line('united-states', ['2025-11-01', 1], ['2025-11-13', 2]);
		expect(alignSeries([a, b]).map((r) => r.date)).toEqual(['2025-11-01', '2025-11-11', '2025-11-13']);
	});

	it('is null for a series before its first point', () => {
		const a = line('colombia', ['2025-11-11', -2]);
		const b = line('united-states', ['2025-11-01', 1]);
		expect(positions(alignSeries([a, b]))).toEqual([
			['2025-11-01', null, 1],
			['2025-11-11', -2, 1]
		]);
	});

	it('holds each stance between its points (the stance at a date of the other series)', () => {
		const a = line('colombia', ['2025-11-01', -2], ['2025-11-20', 1]);
		const b = line('united-states', ['2025-11-05', 0], ['2025-11-10', 2]);
		const rows = alignSeries([a, b]);
		expect(positions(rows)).toEqual([
			['2025-11-01', -2, null],
			['2025-11-05', -2, 0],
			['2025-11-10', -2, 2],
			['2025-11-20', 1, 2]
		]);
		// The row's stance is the shared stanceAt, point for point.
		for (const row of rows) expect(row.stances).toEqual([stanceAt(a, row.date), stanceAt(b, row.date)]);
	});

	it('keeps one row for a date two events share, holding the later-recorded one', () => {
		const a = series([
			event({ id: 1, date: '2025-11-13', position: 1, createdAt: '2025-11-13T09:00:00.000Z' }),
			event({ id: 2, date: '2025-11-13', position: 2, createdAt: '2025-11-13T10:00:00.000Z' })
		]);
		const rows = alignSeries([a]);
		expect(rows).toHaveLength(1);
		expect(rows[0]!.stances[0]?.eventId).toBe(2);
	});

	it('places a month-precision point at the start of its month', () => {
		const a = series([event({ date: '2025-11-20', datePrecision: 'month', position: -1 })]);
		expect(alignSeries([a]).map((r) => r.date)).toEqual(['2025-11-01']);
	});

	it('keeps the order of the series it was given in each row', () => {
		const a = line('colombia', ['2025-11-11', -2]);
		const b = line('united-states', ['2025-11-11', 1]);
		expect(positions(alignSeries([b, a]))).toEqual([['2025-11-11', 1, -2]]);
	});

	it('gives no rows for no series or only empty ones', () => {
		expect(alignSeries([])).toEqual([]);
		expect(alignSeries([{ actor: 'x', issue: 'y', points: [] }])).toEqual([]);
	});
});

describe('divergenceIntervals', () => {
	it('opens an interval when the gap reaches the threshold (inclusive) and leaves the last one open', () => {
		const a = line('colombia', ['2025-11-01', -1]);
		const b = line('united-states', ['2025-11-05', 1]);
		expect(divergenceIntervals({ a, b, threshold: 2 })).toEqual([{ from: '2025-11-05', to: null, maxGap: 2 }]);
	});

	it('finds nothing just under the threshold', () => {
		const a = line('colombia', ['2025-11-01', -1]);
		const b = line('united-states', ['2025-11-05', 0.99]);
		expect(divergenceIntervals({ a, b, threshold: 2 })).toEqual([]);
	});

	it('closes the interval on the date the gap drops below the threshold (exclusive end)', () => {
		const a = line('colombia', ['2025-11-11', -2], ['2025-11-13', 1]);
		const b = line('united-states', ['2025-11-01', 1]);
		expect(divergenceIntervals({ a, b, threshold: 2 })).toEqual([{ from: '2025-11-11', to: '2025-11-13', maxGap: 3 }]);
	});

	it('makes no comparison before both have a stance', () => {
		// Colombia is at -2 from 1 November, but the US says nothing until the 10th.
		const a = line('colombia', ['2025-11-01', -2]);
		const b = line('united-states', ['2025-11-10', 2]);
		const [first] = divergenceIntervals({ a, b, threshold: 2 });
		expect(first?.from).toBe('2025-11-10');
	});

	it('gives nothing when one series is empty', () => {
		const a = line('colombia', ['2025-11-01', -2]);
		expect(divergenceIntervals({ a, b: { actor: 'united-states', issue: a.issue, points: [] }, threshold: 1 })).toEqual([]);
	});

	it('keeps one interval while the gap changes but stays at or above the threshold, with its largest gap', () => {
		const a = line('colombia', ['2025-11-01', -1], ['2025-11-09', 2]);
		const b = line('united-states', ['2025-11-03', 1], ['2025-11-06', 2]);
		// Gaps: 2 from the 3rd, 3 from the 6th, 0 from the 9th.
		expect(divergenceIntervals({ a, b, threshold: 2 })).toEqual([{ from: '2025-11-03', to: '2025-11-09', maxGap: 3 }]);
	});

	it('gives separate intervals for separate stretches, in date order', () => {
		const a = line('colombia', ['2025-01-01', -2], ['2025-02-01', 1], ['2025-03-01', -2]);
		const b = line('united-states', ['2025-01-01', 1]);
		expect(divergenceIntervals({ a, b, threshold: 2 })).toEqual([
			{ from: '2025-01-01', to: '2025-02-01', maxGap: 3 },
			{ from: '2025-03-01', to: null, maxGap: 3 }
		]);
	});

	it('is symmetric in its two series', () => {
		const a = line('colombia', ['2025-11-11', -2], ['2025-11-13', 1]);
		const b = line('united-states', ['2025-11-01', 1]);
		expect(divergenceIntervals({ a: b, b: a, threshold: 2 })).toEqual(divergenceIntervals({ a, b, threshold: 2 }));
	});

	it('never diverges when the two stand together', () => {
		const a = line('colombia', ['2025-11-01', 1], ['2025-11-05', 2]);
		const b = line('united-states', ['2025-11-02', 1], ['2025-11-06', 2]);
		expect(divergenceIntervals({ a, b, threshold: 2 })).toEqual([]);
	});
});

describe('describeDivergence', () => {
	const say = (intervals: DivergenceInterval[]) =>
		describeDivergence({ intervals, nameA: 'Colombia', nameB: 'the United States', threshold: 2, formatDate: (d) => formatDate(d) });

	it('says "never" when there are no intervals, naming the threshold', () => {
		expect(say([])).toBe('Colombia and the United States never stood 2 or more points apart.');
	});

	it('says "on <date>" for a one-day interval', () => {
		expect(say([{ from: '2025-11-11', to: '2025-11-12', maxGap: 3 }])).toBe(
			'Colombia and the United States diverged (2+ points apart) on 11 November 2025.'
		);
	});

	it('ends "from X to Y" on the day before the exclusive end', () => {
		expect(say([{ from: '2025-11-11', to: '2025-11-13', maxGap: 3 }])).toBe(
			'Colombia and the United States diverged (2+ points apart) from 11 November 2025 to 12 November 2025.'
		);
	});

	it('crosses a month and a year correctly when taking a day off the end', () => {
		expect(say([{ from: '2025-11-11', to: '2026-01-01', maxGap: 3 }])).toContain('from 11 November 2025 to 31 December 2025');
	});

	it('says "and still do" when the last interval is open', () => {
		expect(say([{ from: '2025-11-11', to: null, maxGap: 3 }])).toBe(
			'Colombia and the United States diverged (2+ points apart) from 11 November 2025 and still do.'
		);
	});

	it('joins several intervals with "and again"', () => {
		expect(
			say([
				{ from: '2025-01-01', to: '2025-02-01', maxGap: 3 },
				{ from: '2025-03-01', to: '2025-03-02', maxGap: 2 },
				{ from: '2025-04-01', to: null, maxGap: 4 }
			])
		).toBe(
			'Colombia and the United States diverged (2+ points apart) from 1 January 2025 to 31 January 2025, and again on 1 March 2025, and again from 1 April 2025 and still do.'
		);
	});

	it('does not say "still" when only an earlier interval was open-ended', () => {
		expect(say([{ from: '2025-01-01', to: '2025-02-01', maxGap: 3 }])).not.toContain('still');
	});

	it('uses the date format it is given', () => {
		const text = describeDivergence({
			intervals: [{ from: '2025-11-11', to: null, maxGap: 3 }],
			nameA: 'A',
			nameB: 'B',
			threshold: 1,
			formatDate: (d) => `<${d}>`
		});
		expect(text).toBe('A and B diverged (1+ points apart) from <2025-11-11> and still do.');
	});
});

describe('mixedSignals', () => {
	const say = (date: string, position: number, speaker: string | null, extra: Parameters<typeof event>[0] = {}) =>
		event({ actor: 'colombia', date, position, speaker, ...extra });

	it('finds Petro -2 on 11 November and Sánchez +1 on 13 November as one episode', () => {
		const petro = say('2025-11-11', -2, 'gustavo-petro');
		const sanchez = say('2025-11-13', 1, 'pedro-sanchez');
		const found = mixedSignals({ series: series([petro, sanchez]), scale: scale() });
		expect(found).toEqual([
			{
				actor: 'colombia',
				issue: 'intelligence-sharing-us',
				from: '2025-11-11',
				to: '2025-11-13',
				eventIds: [petro.id, sanchez.id],
				voices: [
					{ speaker: 'gustavo-petro', position: -2, date: '2025-11-11', eventId: petro.id },
					{ speaker: 'pedro-sanchez', position: 1, date: '2025-11-13', eventId: sanchez.id }
				]
			}
		]);
	});

	it('reads the demo story as one episode with all three day-dated voices, leaving out the month-dated one', () => {
		const found = mixedSignals({ series: series(colombiaIntelligenceEvents()), scale: scale() });
		expect(found).toHaveLength(1);
		expect(found[0]).toMatchObject({ from: '2025-11-11', to: '2025-11-13', eventIds: [102, 103, 104] });
	});

	it('is not mixed when the same speaker changes position', () => {
		const s = series([say('2025-11-11', -2, 'gustavo-petro'), say('2025-11-13', 2, 'gustavo-petro')]);
		expect(mixedSignals({ series: s, scale: scale() })).toEqual([]);
	});

	it('is not mixed beyond the window, and is at exactly the window (inclusive)', () => {
		expect(MIXED_SIGNAL_DAYS).toBe(7);
		const beyond = series([say('2025-11-01', -2, 'gustavo-petro'), say('2025-11-09', 1, 'pedro-sanchez')]);
		expect(mixedSignals({ series: beyond, scale: scale() })).toEqual([]);
		const within = series([say('2025-11-01', -2, 'gustavo-petro'), say('2025-11-08', 1, 'pedro-sanchez')]);
		expect(mixedSignals({ series: within, scale: scale() })).toHaveLength(1);
	});

	it('takes another window when given', () => {
		const s = series([say('2025-11-01', -2, 'gustavo-petro'), say('2025-11-04', 1, 'pedro-sanchez')]);
		expect(mixedSignals({ series: s, scale: scale(), windowDays: 2 })).toEqual([]);
		expect(mixedSignals({ series: s, scale: scale(), windowDays: 3 })).toHaveLength(1);
	});

	it('is not mixed when the positions are less than one level of the scale apart', () => {
		const close = series([say('2025-11-11', 0.5, 'gustavo-petro'), say('2025-11-12', 1, 'pedro-sanchez')]);
		expect(mixedSignals({ series: close, scale: scale() })).toEqual([]);
		const oneLevel = series([say('2025-11-11', 0, 'gustavo-petro'), say('2025-11-12', 1, 'pedro-sanchez')]);
		expect(mixedSignals({ series: oneLevel, scale: scale() })).toHaveLength(1);
	});

	it('measures a level on the scale at hand (-10..10 labelled every 5)', () => {
		const wide = scale({
			min: -10,
			max: 10,
			labels: [-10, -5, 0, 5, 10].map((value) => ({ value, label: `L${value}` }))
		});
		const s = series([say('2025-11-11', -2, 'gustavo-petro'), say('2025-11-12', 2, 'pedro-sanchez')]);
		expect(mixedSignals({ series: s, scale: wide })).toEqual([]);
		const far = series([say('2025-11-11', -3, 'gustavo-petro'), say('2025-11-12', 2, 'pedro-sanchez')]);
		expect(mixedSignals({ series: far, scale: wide })).toHaveLength(1);
	});

	it('ignores events known only to a month or a year', () => {
		const month = series([
			say('2025-11-20', -2, 'gustavo-petro', { datePrecision: 'month' }),
			say('2025-11-03', 1, 'pedro-sanchez')
		]);
		expect(mixedSignals({ series: month, scale: scale() })).toEqual([]);
		const year = series([
			say('2025-06-01', -2, 'gustavo-petro', { datePrecision: 'year' }),
			say('2025-01-02', 1, 'pedro-sanchez')
		]);
		expect(mixedSignals({ series: year, scale: scale() })).toEqual([]);
	});

	it('merges overlapping pairs into one episode', () => {
		// Petro and Benedetti are 8 days apart, but Sánchez in between links them.
		const petro = say('2025-11-01', -2, 'gustavo-petro');
		const sanchez = say('2025-11-05', 1, 'pedro-sanchez');
		const benedetti = say('2025-11-09', -2, 'armando-benedetti');
		const found = mixedSignals({ series: series([petro, sanchez, benedetti]), scale: scale() });
		expect(found).toHaveLength(1);
		expect(found[0]).toMatchObject({ from: '2025-11-01', to: '2025-11-09', eventIds: [petro.id, sanchez.id, benedetti.id] });
	});

	it('keeps episodes apart when they do not overlap', () => {
		const found = mixedSignals({
			series: series([
				say('2025-03-01', -2, 'gustavo-petro'),
				say('2025-03-02', 1, 'pedro-sanchez'),
				say('2025-11-11', -2, 'gustavo-petro'),
				say('2025-11-13', 1, 'pedro-sanchez')
			]),
			scale: scale()
		});
		expect(found.map((m) => [m.from, m.to])).toEqual([
			['2025-03-01', '2025-03-02'],
			['2025-11-11', '2025-11-13']
		]);
	});

	it('counts an event without a speaker as the actor’s own voice', () => {
		const own = say('2025-11-11', -2, null);
		const petro = say('2025-11-12', 1, 'gustavo-petro');
		const found = mixedSignals({ series: series([own, petro]), scale: scale() });
		expect(found).toHaveLength(1);
		expect(found[0]!.voices.map((v) => v.speaker)).toEqual([null, 'gustavo-petro']);
	});

	it('is not mixed when the actor contradicts itself, named or not', () => {
		const unnamed = series([say('2025-11-11', -2, null), say('2025-11-12', 1, null)]);
		expect(mixedSignals({ series: unnamed, scale: scale() })).toEqual([]);
		const named = series([say('2025-11-11', -2, null), say('2025-11-12', 1, 'colombia')]);
		expect(mixedSignals({ series: named, scale: scale() })).toEqual([]);
	});

	it('finds nothing in an empty series', () => {
		expect(mixedSignals({ series: { actor: 'colombia', issue: 'x', points: [] }, scale: scale() })).toEqual([]);
	});
});

import { describe, it, expect } from 'vitest';
import { detectChanges } from '../../../src/lib/domain/changes';
import { stanceEvidence } from '../../../src/lib/domain/evidence';
import { midSentence, narrate } from '../../../src/lib/domain/narrative';
import { event, scale, series } from '../../fixtures/factories';

const s22 = scale();
const names = new Map([
	['gustavo-petro', { name: 'Gustavo Petro', role: 'President' }],
	['pedro-sanchez', { name: 'Pedro Arnulfo Sánchez', role: 'Defence Minister' }],
	['armando-benedetti', { name: 'Armando Benedetti', role: 'Interior Minister' }]
]);

function colombia() {
	return series([
		event({ id: 1, date: '2025-01-01', datePrecision: 'year', position: 1, kind: 'action' }),
		event({ id: 2, date: '2025-11-01', datePrecision: 'month', position: -2, speaker: 'gustavo-petro', quote: 'Intelligence is not for killing' }),
		event({ id: 3, date: '2025-11-11', position: -2, speaker: 'gustavo-petro' }),
		event({ id: 4, date: '2025-11-13', position: 1, kind: 'clarification', speaker: 'pedro-sanchez', quote: 'continuous flow of information' }),
		event({ id: 5, date: '2025-11-13', position: 1, kind: 'clarification', speaker: 'armando-benedetti', sources: [{ outlet: 'Post', title: null, url: null, publishedOn: null }] })
	]);
}

const tell = (s = colombia(), today = '2025-12-01') =>
	narrate({
		actorName: 'Colombia',
		issueTitle: 'Intelligence sharing with US agencies',
		scale: s22,
		changes: detectChanges({ series: s, scale: s22 }),
		evidence: stanceEvidence({ series: s, scale: s22, today }),
		names
	});

describe('narrate', () => {
	it("tells Colombia's reversal and clarification with speakers, quotes and the evidence for the current stance", () => {
		expect(tell()).toBe(
			"Colombia's stance on intelligence sharing with US agencies moved from Maintain to Halt on 11 November 2025, a reversal, " +
				'stated by President Gustavo Petro (“Intelligence is not for killing”). ' +
				'It moved back to Maintain on 13 November 2025, a clarification, stated by Defence Minister Pedro Arnulfo Sánchez (“continuous flow of information”) and Interior Minister Armando Benedetti. ' +
				'It has held Maintain since 13 November 2025 (2 events from 2 sources; last stated 13 November 2025).'
		);
	});

	it('says when there is no known position', () => {
		const text = narrate({ actorName: 'France', issueTitle: 'Intelligence sharing', scale: s22, changes: [], evidence: { kind: 'none' }, names });
		expect(text).toBe('France has no known position on intelligence sharing.');
	});

	it('tells a stance that never moved, flagging an approximate date and a stale one', () => {
		const s = series([event({ date: '2023-01-01', datePrecision: 'month', position: -1 })]);
		expect(tell(s, '2025-12-01')).toBe(
			"Colombia's stance on intelligence sharing with US agencies has been Restrict since January 2023 (1 event from 1 source; last stated January 2023). " +
				'No recent statement: nothing new for 2 years.'
		);
	});
});

describe('narrate, a long record', () => {
	// Eight alternating moves a year apart: Maintain (1) and Restrict (-1) cross no midpoint, Halt (-2) and back do.
	const positions = [1, -1, 1, -2, 1, -1, 1, -2, 1];
	const long = () => series(positions.map((position, i) => event({ id: i + 1, date: `${2010 + i}-06-01`, position, speaker: 'gustavo-petro', quote: `Said in ${2010 + i}` })));

	it('sums the record up by class and dates, then tells only its latest three changes', () => {
		const text = tell(long(), '2019-01-01');
		const changes = detectChanges({ series: long(), scale: s22 });
		expect(changes).toHaveLength(8);
		const reversals = changes.filter((c) => c.class === 'reversal').length;
		expect(text.startsWith(`Colombia's stance on intelligence sharing with US agencies changed 8 times between 1 June 2011 and 1 June 2018 (`)).toBe(true);
		expect(text).toContain(`${reversals} reversal${reversals === 1 ? '' : 's'}`);
		expect(text).toContain('The latest 3, oldest first:');
		// The three newest changes are told with their quotes; the older ones are not.
		for (const y of [2016, 2017, 2018]) expect(text).toContain(`Said in ${y}`);
		for (const y of [2011, 2012, 2013, 2014, 2015]) expect(text).not.toContain(`Said in ${y}`);
		expect(text).toMatch(/It has held Maintain since 1 June 2018/);
	});

	it('tells every change of a record of six', () => {
		const six = series(positions.slice(0, 7).map((position, i) => event({ id: i + 1, date: `${2010 + i}-06-01`, position, speaker: 'gustavo-petro', quote: `Said in ${2010 + i}` })));
		const text = tell(six, '2017-01-01');
		expect(text).not.toContain('times between');
		for (const y of [2011, 2012, 2013, 2014, 2015, 2016]) expect(text).toContain(`Said in ${y}`);
	});
});

describe('midSentence', () => {
	it('lowercases a capitalised first word but keeps acronyms', () => {
		expect(midSentence('Legality of the strikes')).toBe('legality of the strikes');
		expect(midSentence('US sanctions on Petro')).toBe('US sanctions on Petro');
	});
});

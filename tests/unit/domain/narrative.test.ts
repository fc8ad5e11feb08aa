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

describe('midSentence', () => {
	it('lowercases a capitalised first word but keeps acronyms', () => {
		expect(midSentence('Legality of the strikes')).toBe('legality of the strikes');
		expect(midSentence('US sanctions on Petro')).toBe('US sanctions on Petro');
	});
});

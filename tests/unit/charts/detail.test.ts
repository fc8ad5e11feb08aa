import { describe, it, expect } from 'vitest';
import { eventDetails, markerName } from '../../../src/lib/charts/detail';
import { actor, event, issue } from '../../fixtures/factories';

const actors = [
	actor(),
	actor({ slug: 'pedro-sanchez', name: 'Pedro Arnulfo Sánchez', kind: 'person', parent: 'colombia', color: '#e86808' }),
	actor({ slug: 'gustavo-petro', name: 'Gustavo Petro', kind: 'person', parent: 'colombia', color: '#b84038' }),
	actor({ slug: 'united-states', name: 'United States', color: '#4060b8' })
];
const issues = [issue()];

describe('eventDetails', () => {
	it('resolves actor, speaker, target and issue names from slugs', () => {
		const e = event({ id: 7, date: '2025-11-13', position: 1, speaker: 'pedro-sanchez', target: 'united-states' });
		const d = eventDetails([e], actors, issues).get(7)!;
		expect(d).toMatchObject({
			actorSlug: 'colombia',
			actorName: 'Colombia',
			color: '#b83808',
			issueTitle: 'Intelligence sharing with US agencies',
			speakerName: 'Pedro Arnulfo Sánchez',
			targetName: 'United States',
			dateLabel: '13 November 2025',
			approximate: false,
			positionText: '+1',
			positionLabel: 'Maintain'
		});
	});

	it('writes the uncertainty interval next to the position when the event has one', () => {
		const details = eventDetails([event({ id: 3, position: 0.42, positionLow: 0.31, positionHigh: 0.55 }), event({ id: 4, position: -0.5, positionLow: null, positionHigh: null })], actors, issues);
		expect(details.get(3)!.positionText).toBe('+0.42, interval +0.31 to +0.55');
		expect(details.get(4)!.positionText).toBe('−0.5');
	});

	it('flags dates known only to a month or year as approximate', () => {
		const details = eventDetails(
			[event({ id: 1, date: '2025-11-01', datePrecision: 'month' }), event({ id: 2, date: '2025-01-01', datePrecision: 'year' })],
			actors,
			issues
		);
		expect(details.get(1)).toMatchObject({ approximate: true, dateLabel: 'November 2025' });
		expect(details.get(2)).toMatchObject({ approximate: true, dateLabel: '2025' });
	});

	it('falls back to slugs and a grey colour for unknown actors and issues', () => {
		const d = eventDetails([event({ id: 3, actor: 'atlantis', issue: 'unknown-issue', speaker: 'nobody', position: -2 })], actors, issues).get(3)!;
		expect(d).toMatchObject({
			actorName: 'atlantis',
			color: '#888888',
			issueTitle: 'unknown-issue',
			speakerName: 'nobody',
			positionLabel: '−2'
		});
	});

	it('leaves speaker and target empty when the event has none', () => {
		const d = eventDetails([event({ id: 4 })], actors, issues).get(4)!;
		expect(d.speakerName).toBeNull();
		expect(d.targetName).toBeNull();
	});

	it('keys every event by its id', () => {
		const details = eventDetails([event({ id: 10 }), event({ id: 11 })], actors, issues);
		expect([...details.keys()]).toEqual([10, 11]);
	});
});

describe('markerName', () => {
	const detailsOf = (...events: Parameters<typeof event>[0][]) => {
		const details = eventDetails(events.map((e) => event(e)), actors, issues);
		return [...details.values()];
	};

	it('names actor, date, stance and speaker', () => {
		const ds = detailsOf({ date: '2025-11-13', position: 1, speaker: 'pedro-sanchez' });
		expect(markerName(ds)).toBe('Colombia, 13 November 2025: Maintain (Pedro Arnulfo Sánchez)');
	});

	it('says when the date is approximate', () => {
		const ds = detailsOf({ date: '2025-11-01', datePrecision: 'month', position: -2, speaker: 'gustavo-petro' });
		expect(markerName(ds)).toBe('Colombia, November 2025 (approximate): Halt (Gustavo Petro)');
	});

	it('leaves out the speaker when there is none', () => {
		expect(markerName(detailsOf({ date: '2025-11-11', position: -1 }))).toBe('Colombia, 11 November 2025: Restrict');
	});

	it('names every speaker once and counts the events when several share a marker', () => {
		const ds = detailsOf(
			{ date: '2025-11-13', position: 1, speaker: 'pedro-sanchez' },
			{ date: '2025-11-13', position: 1, speaker: 'gustavo-petro' },
			{ date: '2025-11-13', position: 1, speaker: 'pedro-sanchez' }
		);
		expect(markerName(ds)).toBe('Colombia, 13 November 2025: Maintain (Pedro Arnulfo Sánchez; Gustavo Petro), 3 events');
	});

	it('is empty for no events', () => {
		expect(markerName([])).toBe('');
	});
});

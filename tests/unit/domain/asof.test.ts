import { describe, it, expect } from 'vitest';
import { absentAt, deltaSince, isAfter, parseAsOf, recordAsOf, recordsAsOf, seriesKey, touchesView, type HistoryRecord } from '../../../src/lib/domain/asof';
import { buildSeries, latest } from '../../../src/lib/domain/series';
import { scale } from '../../fixtures/factories';

const intel = { slug: 'intel', title: 'Intelligence sharing', description: '', scale: scale() };
const colombia = { slug: 'colombia', name: 'Colombia', kind: 'country', parent: null, role: null, countryCode: 'CO', color: '#b83808' };
const ev = (position: number, extra: Record<string, unknown> = {}) => ({
	actor: 'colombia',
	issue: 'intel',
	date: '2025-11-11',
	datePrecision: 'day',
	position,
	kind: 'statement',
	summary: 'Says something',
	quote: null,
	quoteLanguage: null,
	speaker: null,
	target: null,
	confidence: 'high',
	sources: [{ outlet: 'Reuters', title: null, url: null, publishedOn: null }],
	...extra
});

/** A small history: create, update, delete and restore of event 7, around a second event 8. */
const history: HistoryRecord[] = [
	{ id: 1, entity: 'actor', entityId: 1, action: 'create', at: '2025-11-01T09:00:00.000Z', before: null, after: colombia },
	{ id: 2, entity: 'issue', entityId: 1, action: 'create', at: '2025-11-01T09:00:00.000Z', before: null, after: intel },
	{ id: 3, entity: 'event', entityId: 7, action: 'create', at: '2025-11-11T10:00:00.000Z', before: null, after: ev(-2) },
	{ id: 4, entity: 'event', entityId: 7, action: 'update', at: '2025-11-12T10:00:00.000Z', before: ev(-2), after: ev(-1) },
	{ id: 5, entity: 'event', entityId: 8, action: 'create', at: '2025-11-13T10:00:00.000Z', before: null, after: ev(1, { date: '2025-11-13' }) },
	{ id: 6, entity: 'event', entityId: 7, action: 'delete', at: '2025-11-14T10:00:00.000Z', before: ev(-1), after: null },
	{ id: 7, entity: 'event', entityId: 7, action: 'restore', at: '2025-11-15T10:00:00.000Z', before: null, after: ev(-1) }
];

const positionsAt = (asof: string) =>
	recordAsOf({ history, asof })
		.events.map((e) => [e.id, e.position])
		.sort((a, b) => a[0]! - b[0]!);

describe('parseAsOf', () => {
	it('reads a date as the end of that day in UTC', () => {
		expect(parseAsOf('2025-11-12')).toEqual({ at: '2025-11-12T23:59:59.999Z' });
	});
	it('reads a UTC date-time, with or without seconds and fractions', () => {
		expect(parseAsOf('2025-11-12T08:30:00Z')).toEqual({ at: '2025-11-12T08:30:00.000Z' });
		expect(parseAsOf('2025-11-12T08:30Z')).toEqual({ at: '2025-11-12T08:30:00.000Z' });
		expect(parseAsOf('2025-11-12T08:30:00.5Z')).toEqual({ at: '2025-11-12T08:30:00.500Z' });
		expect(parseAsOf('2025-11-12T08:30:00+00:00')).toEqual({ at: '2025-11-12T08:30:00.000Z' });
	});
	it.each(['2025-02-30', '2025-11-12T25:00:00Z', '2025-11-12T08:30:00+02:00', 'yesterday', ''])('refuses %j', (v) => {
		expect(parseAsOf(v)).toHaveProperty('error');
	});
	it('refuses a moment after now, which later records could still change; a date only once its day has ended', () => {
		const now = new Date('2025-11-12T08:30:00.000Z');
		expect(parseAsOf('2025-11-12T08:30:00Z', now)).toEqual({ at: '2025-11-12T08:30:00.000Z' });
		expect(parseAsOf('2025-11-11', now)).toEqual({ at: '2025-11-11T23:59:59.999Z' });
		expect(parseAsOf('2025-11-12T08:30:01Z', now)).toEqual({ error: expect.stringContaining('is after now (2025-11-12T08:30:00.000Z)') });
		expect(parseAsOf('2025-11-12', now)).toHaveProperty('error');
		expect(parseAsOf('2100-01-01')).toHaveProperty('error');
	});
});

describe('recordAsOf', () => {
	it('has nothing before the first write', () => {
		expect(positionsAt('2025-11-10T00:00:00.000Z')).toEqual([]);
	});

	it('shows the value recorded then, through an update', () => {
		expect(positionsAt('2025-11-11T23:59:59.999Z')).toEqual([[7, -2]]);
		expect(positionsAt('2025-11-12T10:00:00.000Z')).toEqual([[7, -1]]);
	});

	it('hides an event while it was deleted, and shows it again after its restore', () => {
		expect(positionsAt('2025-11-13T12:00:00.000Z')).toEqual([[7, -1], [8, 1]]);
		expect(positionsAt('2025-11-14T12:00:00.000Z')).toEqual([[8, 1]]);
		expect(positionsAt('2025-11-15T12:00:00.000Z')).toEqual([[7, -1], [8, 1]]);
	});

	it('keeps when each event was first recorded, for ordering same-day events', () => {
		const { events } = recordAsOf({ history, asof: '2025-11-20T00:00:00.000Z' });
		expect(events.find((e) => e.id === 7)!.createdAt).toBe('2025-11-11T10:00:00.000Z');
		const [s] = buildSeries({ events });
		expect(latest(s!)!.position).toBe(1);
	});

	it('hides events of an actor deleted at the time', () => {
		const withDelete: HistoryRecord[] = [
			...history,
			{ id: 8, entity: 'actor', entityId: 1, action: 'delete', at: '2025-11-16T00:00:00.000Z', before: colombia, after: null }
		];
		expect(recordAsOf({ history: withDelete, asof: '2025-11-16T12:00:00.000Z' }).events).toEqual([]);
		expect(recordAsOf({ history: withDelete, asof: '2025-11-15T12:00:00.000Z' }).events).toHaveLength(2);
	});

	it('gives issues their scale as it then stood', () => {
		const narrowed = { ...intel, scale: { min: -1, max: 1, labels: [{ value: 0, label: 'Mid' }] } };
		const h: HistoryRecord[] = [...history, { id: 9, entity: 'issue', entityId: 1, action: 'update', at: '2025-11-20T00:00:00.000Z', before: intel, after: narrowed }];
		expect(recordAsOf({ history: h, asof: '2025-11-19' }).issues.get('intel')!.scale.min).toBe(-2);
		expect(recordAsOf({ history: h, asof: '2025-11-20' }).issues.get('intel')!.scale.min).toBe(-1);
	});

	it('compares stored times written with a space and without milliseconds', () => {
		const h: HistoryRecord[] = [{ id: 1, entity: 'event', entityId: 1, action: 'create', at: '2025-11-11 10:00:00', before: null, after: ev(2) }];
		expect(recordsAsOf({ history: h, entity: 'event', asof: '2025-11-11T09:59:59.999Z' }).size).toBe(0);
		expect(recordsAsOf({ history: h, entity: 'event', asof: '2025-11-11T10:00:00.000Z' }).size).toBe(1);
	});
});

describe('deltaSince (the record at a moment as a difference from today)', () => {
	const later = (asof: string) => history.filter((h) => isAfter(h, asof));
	it('an event created after the moment did not exist then', () => {
		expect(deltaSince({ later: later('2025-11-12T23:00:00.000Z') }).events.get(8)).toBeNull();
	});
	it('an update since gives the value before it', () => {
		expect(deltaSince({ later: later('2025-11-11T12:00:00.000Z') }).events.get(7)).toMatchObject({ position: -2 });
	});
	it('a delete since gives the event as it stood before the delete', () => {
		expect(deltaSince({ later: later('2025-11-13T12:00:00.000Z') }).events.get(7)).toMatchObject({ position: -1 });
	});
	it('a restore since (deleted at the moment) gives nothing', () => {
		expect(deltaSince({ later: later('2025-11-14T12:00:00.000Z') }).events.get(7)).toBeNull();
	});
	it('names nothing when nothing happened since', () => {
		const d = deltaSince({ later: later('2025-11-16T00:00:00.000Z') });
		expect([d.events.size, d.series.size, d.actors.size]).toEqual([0, 0, 0]);
	});
	it('touches both series of an event moved to another actor, and the speaker’s', () => {
		const moved: HistoryRecord = { id: 9, entity: 'event', entityId: 8, action: 'update', at: '2025-11-20T10:00:00.000Z', before: ev(1, { speaker: 'petro' }), after: ev(1, { actor: 'ecuador' }) };
		expect([...deltaSince({ later: [moved] }).series].sort()).toEqual([seriesKey('actor', 'colombia', 'intel'), seriesKey('actor', 'ecuador', 'intel'), seriesKey('speaker', 'petro', 'intel')].sort());
	});
	it('gives actors, issues and context events as they stood, and those an import created since as absent', () => {
		const d = deltaSince({
			later: [
				{ id: 20, entity: 'actor', entityId: 1, action: 'update', at: '2025-11-20T10:00:00.000Z', before: colombia, after: { ...colombia, name: 'Republic of Colombia' } },
				{ id: 21, entity: 'issue', entityId: 1, action: 'update', at: '2025-11-20T10:00:00.000Z', before: intel, after: { ...intel, title: 'Renamed' } },
				{ id: 22, entity: 'context', entityId: 3, action: 'create', at: '2025-11-20T10:00:00.000Z', before: null, after: { issue: 'intel', date: '2025-11-12', label: 'Later' } },
				{ id: 23, entity: 'import', entityId: 2, action: 'create', at: '2025-11-21T10:00:00.000Z', before: null, after: { actorsCreated: ['ecuador'], issuesCreated: [] } }
			]
		});
		expect(d.actors.get('colombia')).toMatchObject({ name: 'Colombia' });
		expect(d.issues.get('intel')).toMatchObject({ title: 'Intelligence sharing' });
		expect(d.context.get(3)).toBeNull();
		expect(d.actors.get('ecuador')).toBeNull();
		expect(d.imports).toEqual([2]);
	});
	it('agrees with replaying the whole history, at every moment (today’s record, rewound)', () => {
		const now = recordsAsOf({ history, entity: 'event', asof: '2030-01-01T00:00:00.000Z' });
		for (const h of history) {
			const asof = h.at;
			const rewound = new Map([...now].map(([id, s]) => [id, s.record] as const));
			for (const [id, state] of deltaSince({ later: later(asof) }).events) {
				if (state) rewound.set(id, state);
				else rewound.delete(id);
			}
			const replayed = recordsAsOf({ history, entity: 'event', asof });
			expect(new Map([...replayed].map(([id, s]) => [id, s.record]))).toEqual(rewound);
		}
	});
});

describe('touchesView', () => {
	it('a context event changes the views of its issue', () => {
		const h = { entity: 'context' as const, before: null, after: { issue: 'intel', label: 'x' } };
		expect(touchesView(h, { issues: ['intel'] })).toBe(true);
		expect(touchesView(h, { issues: ['other'] })).toBe(false);
	});
});

describe('absentAt: actors and issues not in the record at a moment', () => {
	it('an actor deleted since was there then; one deleted then and restored since, or created since, was not', () => {
		const changed = new Map<string, unknown>([
			['deleted-since', { slug: 'deleted-since' }],
			['restored-since', null],
			['created-since', null],
			['renamed-since', { slug: 'renamed-since', name: 'Old name' }]
		]);
		const absent = absentAt({ deletedNow: ['deleted-since', 'deleted-before'], changed });
		expect([...absent].sort()).toEqual(['created-since', 'deleted-before', 'restored-since']);
	});
	it('with no history since, today’s deleted ones are the absent ones', () => {
		expect([...absentAt({ deletedNow: ['peru'], changed: new Map() })]).toEqual(['peru']);
		expect(absentAt({ deletedNow: [], changed: new Map() }).size).toBe(0);
	});
});

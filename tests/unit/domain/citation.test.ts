import { describe, it, expect } from 'vitest';
import { citationOf, currentUrl, formatMoment, pinnedUrl } from '../../../src/lib/domain/citation';
import { pinOf, readAsOf, touchesView, type HistoryRecord } from '../../../src/lib/domain/asof';

type Entry = Pick<HistoryRecord, 'entity' | 'before' | 'after' | 'at'>;
const ev = (at: string, actor: string, issue: string, extra: Record<string, unknown> = {}): Entry => ({ entity: 'event', at, before: null, after: { actor, issue, ...extra } });

describe('touchesView', () => {
	const scope = { actors: ['colombia'], issues: ['intel'] };
	it('an event of a shown actor on a shown issue, before or after the change', () => {
		expect(touchesView(ev('t', 'colombia', 'intel'), scope)).toBe(true);
		expect(touchesView({ entity: 'event', before: { actor: 'colombia', issue: 'intel' }, after: { actor: 'peru', issue: 'intel' } }, scope)).toBe(true);
	});
	it('not an event of another actor or another issue', () => {
		expect(touchesView(ev('t', 'peru', 'intel'), scope)).toBe(false);
		expect(touchesView(ev('t', 'colombia', 'trade'), scope)).toBe(false);
	});
	it('every actor when the view names none (an issue page)', () => {
		expect(touchesView(ev('t', 'peru', 'intel'), { issues: ['intel'] })).toBe(true);
		expect(touchesView({ entity: 'actor', before: null, after: { slug: 'peru' } }, { issues: ['intel'] })).toBe(true);
	});
	it('an actor page: events the actor made or spoke, on any issue', () => {
		const page = { involving: 'gustavo-petro' };
		expect(touchesView(ev('t', 'colombia', 'trade', { speaker: 'gustavo-petro' }), page)).toBe(true);
		expect(touchesView(ev('t', 'colombia', 'trade', { speaker: 'pedro-sanchez' }), page)).toBe(false);
	});
	it('the issue itself, any bulk import and any class confirmation (pinned charts mark the classes of their moment)', () => {
		expect(touchesView({ entity: 'issue', before: { slug: 'intel' }, after: { slug: 'intel' } }, scope)).toBe(true);
		expect(touchesView({ entity: 'issue', before: null, after: { slug: 'trade' } }, scope)).toBe(false);
		expect(touchesView({ entity: 'import', before: null, after: {} }, scope)).toBe(true);
		expect(touchesView({ entity: 'confirmation', before: null, after: { class: 'shift', reason: null } }, scope)).toBe(true);
	});
});

describe('pinOf', () => {
	const scope = { actors: ['colombia'], issues: ['intel'] };
	it('pins to the newest entry that changes the view, past later ones that do not', () => {
		const recent = [ev('2025-11-14T10:00:00Z', 'peru', 'intel'), ev('2025-11-13T09:00:00Z', 'colombia', 'intel'), ev('2025-11-12T09:00:00Z', 'colombia', 'intel')];
		expect(pinOf({ recent, scope })).toBe('2025-11-13T09:00:00.000Z');
	});
	it('when none of the recent entries changes it, the oldest of them (nothing after it touches the view)', () => {
		expect(pinOf({ recent: [ev('2025-11-14T10:00:00Z', 'peru', 'intel'), ev('2025-11-13 09:00:00', 'peru', 'intel')], scope })).toBe('2025-11-13T09:00:00.000Z');
	});
	it('null without history', () => {
		expect(pinOf({ recent: [], scope })).toBeNull();
	});
});

describe('readAsOf', () => {
	it('absent is the current record', () => {
		expect(readAsOf(new URLSearchParams('issues=x'))).toEqual({ ok: true, asof: null, raw: null });
	});
	it('a date or date-time in UTC', () => {
		expect(readAsOf(new URLSearchParams('asof=2025-11-12T08:30:00Z'))).toEqual({ ok: true, asof: '2025-11-12T08:30:00.000Z', raw: '2025-11-12T08:30:00Z' });
	});
	it('a bad value names the parameter and shows the forms it takes', () => {
		const r = readAsOf(new URLSearchParams('asof=12/11/2025'));
		expect(r.ok).toBe(false);
		expect(!r.ok && r.message).toMatch(/^parameter "asof" must be a date .*e\.g\. 2025-11-12 or 2025-11-12T08:30:00Z$/);
	});
});

describe('citation', () => {
	const url = 'https://stances.example.org/issues/intel?actors=colombia,peru&view=lanes';
	it('pins a link with asof, keeping its other parameters, and gives the current one back', () => {
		const pinned = pinnedUrl(url, '2026-12-01T17:30:05.123Z');
		expect(pinned).toBe('https://stances.example.org/issues/intel?actors=colombia,peru&view=lanes&asof=2026-12-01T17:30:05.123Z');
		expect(pinnedUrl(pinned, '2026-12-02T00:00:00.000Z')).toBe('https://stances.example.org/issues/intel?actors=colombia,peru&view=lanes&asof=2026-12-02T00:00:00.000Z');
		expect(currentUrl(pinned)).toBe(url);
	});
	it('suggests a citation with title, site, the moment, the day accessed and the pinned link', () => {
		const c = citationOf({ title: 'Intelligence sharing with US agencies', url: pinnedUrl(url, '2026-12-01T17:30:05.123Z'), asof: '2026-12-01T17:30:05.123Z', accessed: '2026-12-03' });
		expect(c.text).toBe(
			'“Intelligence sharing with US agencies”. Stance Tracker, as recorded on 1 December 2026, 17:30 UTC. Accessed 3 December 2026. https://stances.example.org/issues/intel?actors=colombia,peru&view=lanes&asof=2026-12-01T17:30:05.123Z'
		);
		expect(c).toMatchObject({ site: 'Stance Tracker', asof: '2026-12-01T17:30:05.123Z', accessed: '2026-12-03' });
		expect(formatMoment('2025-11-12T08:30:00.000Z')).toBe('12 November 2025, 08:30 UTC');
	});
});

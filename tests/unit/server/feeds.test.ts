import { describe, it, expect } from 'vitest';
import { changeView } from '../../../src/lib/domain/changeView';
import { detectChanges } from '../../../src/lib/domain/changes';
import { changesAtom, feedAsOfRefusal } from '../../../src/lib/server/feeds';
import { actor, event, issue, series } from '../../fixtures/factories';

describe('changesAtom', () => {
	const names = {
		actors: new Map([['colombia', actor({ name: 'Colombia <b>& co</b>' })]]),
		issues: new Map([['intelligence-sharing-us', issue()]])
	};
	const s = series([
		event({ id: 1, date: '2025-01-01', position: 1, createdAt: '2025-12-01T10:00:00.000Z' }),
		event({ id: 2, date: '2025-11-11', position: -2, quote: 'End ]]> here <script>alert(1)</script>', createdAt: '2025-12-02T10:00:00.000Z' })
	]);
	const views = detectChanges({ series: s, scale: issue().scale }).map((c) => changeView(c, names));
	const xml = changesAtom({ origin: 'https://st.example', self: 'https://st.example/changes.atom', alternate: 'https://st.example/changes', title: 'Changes', changes: views });

	it('escapes what people typed, so no CDATA section or tag can be closed or opened from the data', () => {
		expect(xml).not.toContain('<script>');
		expect(xml).not.toContain('<b>');
		expect(xml.match(/]]>/g)!.length).toBe(xml.match(/<!\[CDATA\[/g)!.length);
		expect(xml).toContain('End ]]&#62; here &#60;script&#62;');
	});

	it('dates the feed by its newest entry and links each entry to its event', () => {
		expect(xml).toContain('<updated>2025-12-02T10:00:00.000Z</updated>');
		expect(xml).toContain('<id>https://st.example/events/2#change</id>');
		expect(xml).toContain('<link href="https://st.example/events/2"/>');
		expect(xml).toContain('<link rel="self" href="https://st.example/changes.atom"/>');
	});

	it('stays well-formed XML when stored text holds characters XML forbids (U+FFFF, a control, a lone surrogate)', () => {
		const bad = series([
			event({ id: 1, date: '2025-01-01', position: 1, quote: 'before \uffff\ufffe', createdAt: '2025-12-01T10:00:00.000Z' }),
			event({ id: 2, date: '2025-11-11', position: -2, quote: 'after \u0001 \ud800 end', createdAt: '2025-12-02T10:00:00.000Z' })
		]);
		const changes = detectChanges({ series: bad, scale: issue().scale }).map((c) => changeView(c, names));
		const out = changesAtom({ origin: 'https://st.example', self: 'https://st.example/changes.atom', alternate: 'https://st.example/changes', title: 'Changes', changes });
		expect(out).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|\p{Cs}/u);
		expect(out).toContain('after \ufffd \ufffd end');
	});
});

describe('feedAsOfRefusal', () => {
	const answer = async (q: string) => {
		const r = feedAsOfRefusal(new URL(`https://st.example/changes.atom?${q}`));
		return r && { status: r.status, body: (await r.json()) as { error: string; details: { parameter: string }[] } };
	};
	it('lets a feed without asof through', async () => {
		expect(await answer('actors=colombia')).toBeNull();
	});
	it('refuses a malformed asof with the reason, naming asof', async () => {
		for (const bad of ['yesterday', '2025-13-01', '2025-11-12T08:30:00%2B02:00', 'x'.repeat(5000)]) {
			const r = await answer(`asof=${bad}`);
			expect(r?.status, bad).toBe(400);
			expect(r!.body.error, bad).toContain('"asof" must be a date');
			expect(r!.body.details, bad).toEqual([{ parameter: 'asof', message: r!.body.error }]);
		}
	});
	it('refuses a good asof too: a feed follows the current record and is never passed off as pinned', async () => {
		const r = await answer('asof=2025-11-12');
		expect(r?.status).toBe(400);
		expect(r!.body.error).toContain('cannot be pinned');
	});
});

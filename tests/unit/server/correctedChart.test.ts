import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportContext, sizeFor, specFor } from '../../../src/lib/server/export';
import { renderSvg } from '../../../src/lib/server/render';
import { updateEvent, writeDataset, type Author } from '../../../src/lib/server/write';
import { openTestDb, type TestDb } from './testDb';

/** Alpha on two issues; on "fixed" its first event is corrected after publication, on "plain" nothing is. */
const dataset = {
	format: 'stance-tracker/v1',
	actors: [{ slug: 'alpha', name: 'Alpha', kind: 'country', color: '#0072b2' }],
	issues: ['fixed', 'plain'].map((slug) => ({ slug, title: slug, scale: { min: -2, max: 2, labels: [{ value: -2, label: 'Against' }, { value: 2, label: 'For' }] } })),
	events: ['fixed', 'plain'].flatMap((issue) => [
		{ actor: 'alpha', issue, date: '2025-03-01', position: -2, kind: 'statement', summary: 'No', sources: [{ outlet: 'Wire' }] },
		{ actor: 'alpha', issue, date: '2025-06-01', position: 2, kind: 'statement', summary: 'Yes', sources: [{ outlet: 'Wire' }] }
	])
};
const editor: Author = { userId: null, via: 'api' };

let t: TestDb;
beforeAll(async () => {
	t = await openTestDb();
	await writeDataset(t.db, dataset, '2026-01-01');
	const [row] = await t.db.all<{ id: number }>(sql`select e.id from stance_event e join issue i on i.id = e.issue_id where i.slug = 'fixed' and e.date = '2025-03-01'`);
	await t.db.run(sql`update stance_event set created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-2 days') where id = ${row!.id}`);
	await updateEvent(t.db, row!.id, { version: 1, summary: 'No, as said in March', reason: 'The summary left out the month.' }, editor);
});
afterAll(() => t.close());

const svgOf = async (issue: string, mode: string) => {
	const r = await exportContext(t.db, new URL(`http://example.test/export/chart.svg?issues=${issue}&mode=${mode}&from=2025-01-01&to=2025-12-31`));
	if (!r.ok) throw new Error(await r.response.text());
	return renderSvg(await specFor(r.ctx, sizeFor(r.ctx, { width: 800, height: 500, scale: 1 }))).toString('utf8');
};

// The SVG canvas writes a dashed stroke as a filled outline: the corrected mark is a path filled in the
// ring colour (the theme's muted grey), which nothing else on these charts fills.
const ringPaths = (svg: string) => svg.match(/<path fill="#59636E"/g)?.length ?? 0;

describe('corrected events on the shared charts (server image export)', () => {
	it('rings a corrected event on the lines view', async () => {
		expect(ringPaths(await svgOf('fixed', 'overlay'))).toBe(1);
		expect(ringPaths(await svgOf('plain', 'overlay'))).toBe(0);
	});

	it('outlines the lane segment a corrected event states on the lanes view', async () => {
		// In the colour of the segment's label: the one shape the uncorrected chart lacks.
		const shapes = (svg: string) => svg.match(/<path /g)?.length ?? 0;
		expect(shapes(await svgOf('fixed', 'lanes')) - shapes(await svgOf('plain', 'lanes'))).toBe(1);
		expect(ringPaths(await svgOf('plain', 'lanes'))).toBe(0);
	});
});

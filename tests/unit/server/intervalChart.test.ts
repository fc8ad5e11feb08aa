import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportContext, sizeFor, specFor } from '../../../src/lib/server/export';
import { renderSvg } from '../../../src/lib/server/render';
import { writeDataset } from '../../../src/lib/server/write';
import { openTestDb, type TestDb } from './testDb';

/** Alpha with an interval on one issue, Beta without one on another: the same chart otherwise. */
const dataset = {
	format: 'stance-tracker/v1',
	actors: [{ slug: 'alpha', name: 'Alpha', kind: 'country', color: '#0072b2' }],
	issues: ['banded', 'plain'].map((slug) => ({ slug, title: slug, scale: { min: -2, max: 2, labels: [{ value: -2, label: 'Against' }, { value: 2, label: 'For' }] } })),
	events: [
		{ actor: 'alpha', issue: 'banded', date: '2025-03-01', position: 0.5, positionLow: -0.5, positionHigh: 1.5, kind: 'statement', summary: 'Maybe', sources: [{ outlet: 'Wire' }] },
		{ actor: 'alpha', issue: 'plain', date: '2025-03-01', position: 0.5, kind: 'statement', summary: 'Maybe', sources: [{ outlet: 'Wire' }] }
	]
};

let t: TestDb;
beforeAll(async () => {
	t = await openTestDb();
	await writeDataset(t.db, dataset, '2026-01-01');
});
afterAll(() => t.close());

const svgOf = async (issue: string) => {
	const r = await exportContext(t.db, new URL(`http://example.test/export/chart.svg?issues=${issue}&from=2025-01-01&to=2025-12-31`));
	if (!r.ok) throw new Error(await r.response.text());
	return renderSvg(await specFor(r.ctx, sizeFor(r.ctx, { width: 800, height: 500, scale: 1 }))).toString('utf8');
};

describe('the shared line chart (server image export)', () => {
	it("draws an event's uncertainty interval as a translucent band in the actor's colour", async () => {
		const band = /<rect fill="#0072B2" fill-opacity="0\.18\d*"[^>]*height="([\d.]+)"/;
		const banded = await svgOf('banded');
		const found = band.exec(banded);
		expect(found).not.toBeNull();
		// The band spans -0.5 to +1.5: half the height between the axis labels at -2 and +2.
		const labelY = (label: string) => Number(new RegExp(`translate\\([\\d.]+ ([\\d.]+)\\)"[^>]*>${label}<`).exec(banded)![1]);
		expect(Number(found![1])).toBeCloseTo((labelY('Against') - labelY('For')) / 2, 1);
		expect(await svgOf('plain')).not.toMatch(band);
	});
});

import { describe, expect, it } from 'vitest';
import { periodRows, rowsHtml } from '../../../src/lib/charts/periodTable';
import type { ChartSeries } from '../../../src/lib/charts/stanceLine';
import { scale } from '../../fixtures/factories';

const actor = { slug: 'aland', name: 'Aland', color: '#123456' };
const period = (date: string, mean: number, min: number, max: number, count: number, changes: number) => ({ date, end: date, mean, min, max, count, changes, opening: null, closing: mean });

describe('periodRows and rowsHtml (the text alternative of an aggregated series)', () => {
	it('gives one row per period: the period, events, average with its label, the range of stances and the changes', () => {
		const s = scale();
		const series: ChartSeries = { actor, points: [], bucket: 'year', periods: [period('2020-01-01', 1, 1, 1, 3, 0), period('2021-01-01', 0.5, -1, 2, 4, 2)], shares: null };
		const rows = periodRows(series, s);
		expect(rows.map((r) => [r[0], r[1], r[4]])).toEqual([
			['2020', '3', '0'],
			['2021', '4', '2']
		]);
		expect(rows[1]![3]).toMatch(/ to /);
		expect(rows[0]![3]).not.toMatch(/ to /);
	});

	it('escapes every text, so a label an editor typed cannot become markup', () => {
		const html = rowsHtml([['<b>2020</b>', 'A & B "quoted" \'single\'', '<script>x</script>']]);
		expect(html).toBe(
			'<tr><th scope="row">&lt;b&gt;2020&lt;/b&gt;</th><td>A &amp; B &quot;quoted&quot; &#39;single&#39;</td><td>&lt;script&gt;x&lt;/script&gt;</td></tr>'
		);
	});
});

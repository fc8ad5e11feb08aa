import { expect, test } from './fixtures';
import { open } from './helpers';

const ISSUE = '/issues/intelligence-sharing-us';
const REVERSAL = 'Colombia, 11 November 2025: reversal, Maintain to Halt';
const CLARIFICATION = 'Colombia, 13 November 2025: clarification, Halt to Maintain';

test('the demo issue chart marks Colombia’s reversal and clarification; a marker shows the quotes before and after', async ({ page }) => {
	await open(page, ISSUE);
	const chart = page.getByRole('group', { name: /Intelligence sharing with US agencies: stance of/ });
	// A marker per change, named by its class, reachable as a button.
	await expect(chart.getByRole('button', { name: `Change: ${REVERSAL}` })).toBeVisible();
	await expect(chart.getByRole('button', { name: `Change: ${CLARIFICATION}` })).toBeVisible();
	// Hovering the reversal shows its card: the quote before and the quote after, with speakers.
	await chart.getByRole('button', { name: `Change: ${REVERSAL}` }).hover();
	const card = chart.getByRole('tooltip').getByRole('article', { name: 'Colombia, 11 November 2025: Reversal' });
	await expect(card).toBeVisible();
	await expect(card).toContainText('Before: Maintain');
	await expect(card).toContainText('After: Halt');
	await expect(card).toContainText('Gustavo Petro');
	// The list under the chart says the same and takes the keyboard to each marker.
	const list = page.getByRole('list', { name: 'Changes on this chart' });
	await expect(list.getByRole('listitem')).toHaveText([new RegExp(REVERSAL), new RegExp(CLARIFICATION)]);
	await list.getByRole('button', { name: `Show the quotes of: ${CLARIFICATION}` }).click();
	await expect(chart.getByRole('button', { name: `Change: ${CLARIFICATION}` })).toBeFocused();
	await expect(chart.getByRole('tooltip').getByRole('article', { name: 'Colombia, 13 November 2025: Clarification' })).toContainText('Pedro Arnulfo Sánchez');
	await page.keyboard.press('Escape');
	await expect(chart.getByRole('tooltip')).toHaveCount(0);
	// The narrative describes the chart, and the chart as text lists the changes.
	await expect(page.locator('#issue-narratives')).toContainText("Colombia's stance on intelligence sharing with US agencies moved from Maintain to Halt on 11 November 2025, a reversal");
	await expect(chart).toHaveAttribute('aria-describedby', 'issue-narratives');
	await page.getByText('Chart as text').click();
	await expect(page.locator('.text-alt')).toContainText(`Changes marked on the chart: ${REVERSAL}; ${CLARIFICATION}.`);
});

test('the actor page, compare small multiples and the embed mark the same changes', async ({ page }) => {
	await open(page, '/actors/colombia');
	await expect(page.getByRole('button', { name: `Change: ${REVERSAL}` })).toBeVisible();
	await open(page, '/compare?actors=colombia,united-states&issues=intelligence-sharing-us&mode=side');
	await expect(page.getByRole('button', { name: `Change: ${CLARIFICATION}` })).toBeVisible();
	await open(page, '/embed?actors=colombia&issues=intelligence-sharing-us');
	await expect(page.getByRole('button', { name: `Change: ${REVERSAL}` })).toBeVisible();
	await expect(page.locator('.narr')).toContainText('moved from Maintain to Halt on 11 November 2025');
});

import { describe, expect, it } from 'vitest';
import {
	createChecker,
	eventProblems,
	isFutureDate,
	lookupsFrom,
	parentProblems,
	positionProblem,
	scaleProblems,
	strandedEventsProblem,
	under
} from '../../../src/lib/domain/rules';
import { eventInput, scale } from '../../fixtures/factories';

const TODAY = '2025-12-01';

/** Colombia, and Petro who speaks for it; "gone" is deleted; one -2..2 issue. */
const known = () =>
	lookupsFrom({
		actors: new Map([
			['colombia', { parent: null }],
			['petro', { parent: 'colombia' }],
			['gone', { parent: null, deleted: true }]
		]),
		scales: new Map([['test-issue', scale()]])
	});

const paths = (ps: { path: string }[]) => ps.map((p) => p.path);

describe('positionProblem', () => {
	it('accepts the ends of the scale and refuses beyond them', () => {
		expect(positionProblem(scale(), 2)).toBeNull();
		expect(positionProblem(scale(), -2)).toBeNull();
		expect(positionProblem(scale(), 2.5)?.message).toBe("2.5 is off this issue's scale (-2 to 2)");
	});
	it('names the issue when told', () => {
		expect(positionProblem(scale(), 3, 'boats')?.message).toBe('3 is off the scale of "boats" (-2 to 2)');
	});
});

describe('isFutureDate', () => {
	it('counts an approximate date from the start of its period', () => {
		expect(isFutureDate('2025-12-02', 'day', TODAY)).toBe(true);
		expect(isFutureDate('2025-12-20', 'month', TODAY)).toBe(false);
		expect(isFutureDate('2026-01-01', 'year', TODAY)).toBe(true);
	});
});

describe('eventProblems', () => {
	it('accepts a good event', () => {
		expect(eventProblems(eventInput({ actor: 'colombia', speaker: 'petro' }), known(), TODAY)).toEqual([]);
	});
	it('names every unknown reference at once, deleted actors included', () => {
		const e = eventInput({ actor: 'atlantis', speaker: 'gone', target: 'nowhere', issue: 'no-issue' });
		expect(paths(eventProblems(e, known(), TODAY))).toEqual(['actor', 'speaker', 'target', 'issue']);
	});
	it('finds a position off the scale, a future date and a future source together', () => {
		const e = eventInput({ actor: 'colombia', position: 7, date: '2026-01-05', sources: [{ outlet: 'A' }, { outlet: 'B', publishedOn: '2026-01-01' }] });
		expect(eventProblems(e, known(), TODAY)).toEqual([
			{ path: 'position', message: '7 is off the scale of "test-issue" (-2 to 2)' },
			{ path: 'date', message: 'must not be in the future' },
			{ path: 'sources[1].publishedOn', message: 'must not be in the future' }
		]);
	});
	it('skips the checks whose lookups are not given, and fields not yet typed', () => {
		const e = { actor: 'atlantis', issue: 'no-issue', position: 'seven', date: '2025-13-99x' };
		expect(eventProblems(e, {}, TODAY)).toEqual([]);
	});
});

describe('scaleProblems', () => {
	it('puts the scale rules under "scale"', () => {
		expect(paths(scaleProblems(scale({ min: 2, max: -2 })))).toEqual(['scale.max']);
		expect(paths(scaleProblems(scale({ labels: [{ value: 5, label: 'Far' }] })))).toEqual(['scale.labels.0.value']);
	});
});

describe('strandedEventsProblem', () => {
	it('says how many events would fall off, and nothing for none', () => {
		expect(strandedEventsProblem(0)).toBeNull();
		expect(strandedEventsProblem(3)?.message).toBe('3 event(s) on this issue would fall off the new scale');
	});
});

describe('parentProblems', () => {
	it('refuses an actor speaking for itself, for an unknown actor, or in a cycle', () => {
		expect(parentProblems({ slug: 'colombia', parent: 'colombia' }, known())[0]?.message).toBe('an actor cannot speak for itself');
		expect(parentProblems({ slug: 'x', parent: 'atlantis' }, known())[0]?.message).toMatch(/unknown actor "atlantis"/);
		expect(parentProblems({ slug: 'colombia', parent: 'petro' }, known())[0]?.message).toBe('"petro" already speaks for "colombia"');
		expect(parentProblems({ slug: 'benedetti', parent: 'petro' }, known())).toEqual([]);
	});
});

describe('createChecker', () => {
	it('checks a stream row by row, learning the actors and issues it defines', () => {
		const check = createChecker(known(), TODAY);
		expect(check.actor({ slug: 'sanchez', parent: 'colombia' })).toEqual([]);
		expect(check.issue({ slug: 'wide', scale: scale({ min: -10, max: 10, labels: [{ value: 0, label: 'Zero' }] }) })).toEqual([]);
		expect(check.event(eventInput({ actor: 'sanchez', issue: 'wide', position: 9 }))).toEqual([]);
		expect(paths(check.event(eventInput({ actor: 'sanchez', issue: 'wide', position: 11 })))).toEqual(['position']);
	});
	it('refuses a slug defined twice, and a cycle made within the stream', () => {
		const check = createChecker(known(), TODAY);
		check.actor({ slug: 'a', parent: null });
		check.actor({ slug: 'b', parent: 'a' });
		expect(check.actor({ slug: 'a', parent: 'b' }).map((p) => p.message)).toEqual(['"a" appears twice', '"b" already speaks for "a"']);
	});
	it('collects every problem of every row, each under its own row', () => {
		const check = createChecker(known(), TODAY);
		const rows = [eventInput({ actor: 'atlantis' }), eventInput({ actor: 'colombia' }), eventInput({ actor: 'colombia', position: 9, date: '2030-01-01' })];
		const problems = rows.flatMap((e, i) => under(`line ${i + 2}`, check.event(e)));
		expect(paths(problems)).toEqual(['line 2.actor', 'line 4.position', 'line 4.date']);
	});
});

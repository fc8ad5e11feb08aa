import { describe, it, expect } from 'vitest';
import { datasetSchema, toProblems } from '../../src/lib/schemas/dataset';
import { eventsQuerySchema, searchParamsObject, seriesQuerySchema } from '../../src/lib/schemas/query';
import { actorInput, dataset, eventInput, issueInput } from '../fixtures/factories';
import { loadDemo } from '../fixtures/demo';
import { parseQuery } from '../../src/lib/server/http';
import { readAsOf } from '../../src/lib/domain/asof';

/** Problem paths of a dataset the schema refuses (fails the test if it is accepted). */
function problemPaths(input: unknown): string[] {
	const result = datasetSchema.safeParse(input);
	if (result.success) expect.fail('the schema accepted it');
	return toProblems(result.error).map((p) => p.path);
}

const withEvent = (overrides: Parameters<typeof eventInput>[0]) =>
	dataset({ actors: [actorInput()], issues: [issueInput()], events: [eventInput(overrides)] });

describe('datasetSchema', () => {
	it('accepts the demo dataset', () => {
		const demo = loadDemo();
		const result = datasetSchema.safeParse(demo);
		expect(result.success ? [] : toProblems(result.error)).toEqual([]);
		expect(result.data?.events).toHaveLength(demo.events.length);
	});

	it('fills defaults: day precision, medium confidence, no quote, no parent', () => {
		const parsed = datasetSchema.parse(withEvent({}));
		expect(parsed.events[0]).toMatchObject({ datePrecision: 'day', confidence: 'medium', quote: null, speaker: null, target: null });
		expect(parsed.events[0]!.sources[0]).toEqual({ outlet: 'Test outlet', title: null, url: null, publishedOn: null });
		expect(parsed.actors[0]!.parent).toBeNull();
	});

	it('accepts a file with only some sections', () => {
		expect(datasetSchema.parse({ format: 'stance-tracker/v1' })).toEqual({ format: 'stance-tracker/v1', actors: [], issues: [], events: [], context: [] });
	});

	it('refuses another format', () => {
		expect(problemPaths({ ...dataset(), format: 'stance-tracker/v2' })).toEqual(['format']);
	});

	it('refuses bad slugs', () => {
		for (const slug of ['Colombia', 'united_states', 'a--b', '-a', 'a-', '', 'ünïcode', 'x'.repeat(81)]) {
			expect(new Set(problemPaths(dataset({ actors: [actorInput({ slug })] }))), slug).toEqual(new Set(['actors[0].slug']));
		}
	});

	it('accepts a good slug of digits and single hyphens', () => {
		expect(datasetSchema.safeParse(dataset({ actors: [actorInput({ slug: 'g7-2025' })] })).success).toBe(true);
	});

	it('refuses dates that are not real YYYY-MM-DD dates', () => {
		for (const date of ['2025-02-30', '2025-2-3', '13/11/2025', '2025-11']) {
			expect(problemPaths(withEvent({ date })), date).toEqual(['events[0].date']);
		}
	});

	it('refuses source URLs that are not http(s)', () => {
		for (const url of ['ftp://x', 'javascript:alert(1)', 'not a url', 'file:///etc/passwd']) {
			expect(problemPaths(withEvent({ sources: [{ outlet: 'X', url }] })), url).toEqual(['events[0].sources[0].url']);
		}
	});

	it('accepts http and https source URLs', () => {
		for (const url of ['https://example.org/a?b=c', 'http://example.org']) {
			expect(datasetSchema.safeParse(withEvent({ sources: [{ outlet: 'X', url }] })).success, url).toBe(true);
		}
	});

	it('refuses an event without sources', () => {
		const result = datasetSchema.safeParse(withEvent({ sources: [] }));
		expect(result.success).toBe(false);
		expect(toProblems(result.error!)).toEqual([{ path: 'events[0].sources', message: 'needs at least one source' }]);
	});

	it('refuses colours not written #rrggbb', () => {
		for (const color of ['#fff', 'red', '#12345g', '123456']) {
			expect(problemPaths(dataset({ actors: [actorInput({ color })] })), color).toEqual(['actors[0].color']);
		}
	});

	it('refuses unknown kinds, precisions and confidences', () => {
		expect(problemPaths(withEvent({ kind: 'rumour', datePrecision: 'week', confidence: 'certain' })).sort()).toEqual([
			'events[0].confidence',
			'events[0].datePrecision',
			'events[0].kind'
		]);
	});

	it('refuses a position that is not a finite number', () => {
		expect(problemPaths(withEvent({ position: '1' }))).toEqual(['events[0].position']);
		expect(problemPaths(withEvent({ position: Number.POSITIVE_INFINITY }))).toEqual(['events[0].position']);
	});
});

describe('toProblems', () => {
	it('writes paths with indexes in brackets and fields after dots', () => {
		const events = [eventInput(), eventInput(), eventInput(), eventInput({ position: 'high' })];
		const result = datasetSchema.safeParse(dataset({ actors: [actorInput({ slug: 'Bad Slug' })], events }));
		expect(result.success).toBe(false);
		const problems = toProblems(result.error!);
		expect(problems.map((p) => p.path).sort()).toEqual(['actors[0].slug', 'events[3].position']);
		expect(problems.find((p) => p.path === 'actors[0].slug')?.message).toBe('must be lowercase letters, digits and single hyphens');
	});

	it('names nested items inside arrays', () => {
		const input = withEvent({ sources: [{ outlet: 'A' }, { outlet: 'B', publishedOn: '2025-13-01' }] });
		expect(problemPaths(input)).toEqual(['events[0].sources[1].publishedOn']);
	});

	it('writes a top-level array path without a leading dot', () => {
		expect(problemPaths({ format: 'stance-tracker/v1', actors: 'none' })).toEqual(['actors']);
	});
});

describe('eventsQuerySchema', () => {
	it('defaults to the first 100 events', () => {
		expect(eventsQuerySchema.parse({})).toEqual({ limit: 100, offset: 0 });
	});

	it('turns limit and offset into numbers within bounds', () => {
		expect(eventsQuerySchema.parse({ limit: '1', offset: '0' })).toMatchObject({ limit: 1, offset: 0 });
		expect(eventsQuerySchema.parse({ limit: '1000', offset: '250' })).toMatchObject({ limit: 1000, offset: 250 });
	});

	it('refuses limits out of bounds or not whole numbers', () => {
		for (const limit of ['0', '1001', '-1', '2.5', 'ten', '']) {
			const result = eventsQuerySchema.safeParse({ limit });
			expect(result.success, limit).toBe(false);
			expect(result.error!.issues[0]!.path, limit).toEqual(['limit']);
		}
	});

	it('refuses a negative offset', () => {
		expect(eventsQuerySchema.safeParse({ offset: '-5' }).success).toBe(false);
	});

	it('accepts from equal to to, and refuses from after to on the "to" field', () => {
		expect(eventsQuerySchema.safeParse({ from: '2025-11-13', to: '2025-11-13' }).success).toBe(true);
		const result = eventsQuerySchema.safeParse({ from: '2025-11-14', to: '2025-11-13' });
		expect(result.success).toBe(false);
		expect(result.error!.issues).toHaveLength(1);
		expect(result.error!.issues[0]!.path).toEqual(['to']);
		expect(result.error!.issues[0]!.message).toBe('must not be before from');
	});

	it('refuses bad dates and slugs', () => {
		const result = eventsQuerySchema.safeParse({ from: '2025-02-30', actor: 'Colombia' });
		expect(result.success).toBe(false);
		expect(result.error!.issues.map((i) => i.path[0]).sort()).toEqual(['actor', 'from']);
	});
});

describe('seriesQuerySchema', () => {
	it('reads a comma-separated list of actors, dropping blanks and spaces', () => {
		expect(seriesQuerySchema.parse({ issue: 'intelligence-sharing-us', actors: 'colombia, united-states,,' })).toEqual({
			issue: 'intelligence-sharing-us',
			actors: ['colombia', 'united-states']
		});
	});

	it('leaves actors out when not given', () => {
		expect(seriesQuerySchema.parse({ issue: 'intelligence-sharing-us' }).actors).toBeUndefined();
	});

	it('refuses a bad slug in the list, naming its position', () => {
		const result = seriesQuerySchema.safeParse({ issue: 'x', actors: 'colombia,United-States' });
		expect(result.success).toBe(false);
		expect(result.error!.issues[0]!.path).toEqual(['actors', 1]);
	});

	it('refuses more than 100 actors', () => {
		const many = Array.from({ length: 101 }, (_, i) => `a${i}`).join(',');
		expect(seriesQuerySchema.safeParse({ issue: 'x', actors: many }).success).toBe(false);
		const hundred = Array.from({ length: 100 }, (_, i) => `a${i}`).join(',');
		expect(seriesQuerySchema.safeParse({ issue: 'x', actors: hundred }).success).toBe(true);
	});

	it('needs an issue', () => {
		const result = seriesQuerySchema.safeParse({ actors: 'colombia' });
		expect(result.success).toBe(false);
		expect(result.error!.issues[0]!.path).toEqual(['issue']);
	});
});

describe('searchParamsObject', () => {
	it('reads every parameter, keeping the last of a repeated key', () => {
		const url = new URL('https://x.test/api/events?actor=colombia&limit=5&actor=france');
		expect(searchParamsObject(url)).toEqual({ actor: 'france', limit: '5' });
	});
});

describe('a repeated asof', () => {
	const url = (q: string) => new URL(`https://x.test/api/events?${q}`);
	it('is a 400 naming asof in the API when its values differ, not the last one silently', async () => {
		const r = parseQuery(eventsQuerySchema, url('asof=2025-11-12&asof=2025-11-13'));
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.response.status).toBe(400);
		expect(await r.response.json()).toEqual({
			error: 'parameter "asof" is given 2 times with different values: give one moment',
			details: [{ parameter: 'asof', message: 'is given 2 times with different values: give one moment' }]
		});
	});
	it('is refused by the pages\' reader too, and the same value twice is one moment', () => {
		expect(readAsOf(url('asof=2025-11-12&asof=2025-11-13').searchParams)).toEqual({ ok: false, message: 'parameter "asof" is given 2 times with different values: give one moment' });
		expect(readAsOf(url('asof=2025-11-12&asof=2025-11-12').searchParams)).toMatchObject({ ok: true, asof: '2025-11-12T23:59:59.999Z' });
		const same = parseQuery(eventsQuerySchema, url('asof=2025-11-12&asof=2025-11-12'));
		expect(same.ok && same.data.asof).toBe('2025-11-12T23:59:59.999Z');
	});
});

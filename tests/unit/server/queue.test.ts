import { describe, it, expect } from 'vitest';
import { enqueueWrite } from '../../../src/lib/server/db/queue';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('enqueueWrite', () => {
	it('runs writes on one key one at a time, in the order asked', async () => {
		const key = {};
		const log: string[] = [];
		const job = (name: string, ms: number) => async () => {
			log.push(`start ${name}`);
			await tick(ms);
			log.push(`end ${name}`);
			return name;
		};
		const results = await Promise.all([enqueueWrite(key, job('a', 20)), enqueueWrite(key, job('b', 1)), enqueueWrite(key, job('c', 5))]);
		expect(results).toEqual(['a', 'b', 'c']);
		expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
	});

	it('gives the caller a failure and carries on with the next write', async () => {
		const key = {};
		const failing = enqueueWrite(key, async () => {
			throw new Error('boom');
		});
		const next = enqueueWrite(key, async () => 'after');
		await expect(failing).rejects.toThrow('boom');
		await expect(next).resolves.toBe('after');
	});

	it('lets writes on different keys run side by side', async () => {
		const log: string[] = [];
		const job = (name: string, ms: number) => async () => {
			log.push(`start ${name}`);
			await tick(ms);
			log.push(`end ${name}`);
		};
		await Promise.all([enqueueWrite({}, job('a', 20)), enqueueWrite({}, job('b', 1))]);
		expect(log.slice(0, 2)).toEqual(['start a', 'start b']);
	});
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportCacheHeaders, exportContext, sizeFor, specFor, specInputFor } from '../../../src/lib/server/export';
import { renderPng, renderSvg, stableSvgIds } from '../../../src/lib/server/render';
import { ImageCache } from '../../../src/lib/server/render/cache';
import { clientKey, defaultLimits, limitsFromEnv, RenderGate, type Admission, type RenderLimits } from '../../../src/lib/server/render/limits';
import { RenderPool } from '../../../src/lib/server/render/pool';
import { taskPixels } from '../../../src/lib/server/render/task';
import { writeDataset } from '../../../src/lib/server/write';
import { openTestDb, type TestDb } from './testDb';

const limits = (over: Partial<RenderLimits> = {}): RenderLimits => ({
	concurrency: 2,
	queue: 2,
	pixelBudget: 1000,
	perClient: 2,
	timeoutMs: 10_000,
	...over
});

/** Whether a promise has settled by the time the queued callbacks have run. */
async function settled<T>(p: Promise<T>): Promise<boolean> {
	let done = false;
	p.then(() => (done = true));
	await new Promise((r) => setImmediate(r));
	return done;
}

const granted = (a: Admission) => {
	if (!a.ok) throw new Error(`refused: ${a.error}`);
	return a;
};

describe('RenderGate', () => {
	it('runs up to `concurrency` renders and starts a waiting one when one ends', async () => {
		const gate = new RenderGate(limits());
		const a = granted(await gate.acquire(100, null));
		granted(await gate.acquire(100, null));
		const third = gate.acquire(100, null);
		expect(await settled(third)).toBe(false);
		expect(gate.state).toEqual({ running: 2, waiting: 1, runningPixels: 200 });
		a.release();
		expect((await third).ok).toBe(true);
		expect(gate.state).toEqual({ running: 2, waiting: 0, runningPixels: 200 });
	});

	it('refuses with 503 and a Retry-After once the queue is full', async () => {
		const gate = new RenderGate(limits({ concurrency: 1, queue: 2 }));
		granted(await gate.acquire(100, null));
		gate.acquire(100, null);
		gate.acquire(100, null);
		const r = await gate.acquire(100, null);
		expect(r).toMatchObject({ ok: false, status: 503 });
		if (!r.ok) {
			expect(r.error).toContain('busy');
			expect(r.retryAfter).toBeGreaterThanOrEqual(1);
		}
	});

	it('holds a render back until its pixels fit the budget, and refuses one larger than the budget with 413', async () => {
		const gate = new RenderGate(limits({ concurrency: 3, pixelBudget: 1000 }));
		const big = granted(await gate.acquire(700, null));
		const next = gate.acquire(400, null);
		expect(await settled(next)).toBe(false);
		expect(gate.state.runningPixels).toBe(700);
		big.release();
		expect((await next).ok).toBe(true);
		const tooBig = await gate.acquire(1001, null);
		expect(tooBig).toMatchObject({ ok: false, status: 413, retryAfter: null });
		if (!tooBig.ok) expect(tooBig.error).toContain('RENDER_PIXEL_BUDGET');
	});

	it('keeps first come, first served: a small render does not overtake a waiting large one', async () => {
		const gate = new RenderGate(limits({ concurrency: 3, pixelBudget: 1000, queue: 5 }));
		const first = granted(await gate.acquire(600, null));
		const large = gate.acquire(900, null);
		const small = gate.acquire(10, null);
		expect(await settled(small)).toBe(false);
		first.release();
		expect((await large).ok).toBe(true);
		expect(await settled(small)).toBe(true);
	});

	it('limits each anonymous client to its share with 429, and signed-in callers (null) only by the queue', async () => {
		const gate = new RenderGate(limits({ concurrency: 1, queue: 10, perClient: 2 }));
		const a1 = granted(await gate.acquire(10, '203.0.113.5'));
		gate.acquire(10, '203.0.113.5');
		const refused = await gate.acquire(10, '203.0.113.5');
		expect(refused).toMatchObject({ ok: false, status: 429 });
		if (!refused.ok) expect(refused.retryAfter).toBeGreaterThanOrEqual(1);
		// Another address, and signed-in callers, still get in line.
		expect(await settled(gate.acquire(10, '203.0.113.6'))).toBe(false);
		for (let i = 0; i < 3; i++) gate.acquire(10, null);
		expect(gate.state.waiting).toBe(5);
		// The client's share comes back as its renders end.
		a1.release();
		expect(await settled(gate.acquire(10, '203.0.113.5'))).toBe(false);
		expect(gate.state.waiting).toBe(5);
	});

	it('refuses with 503 a render that waited past the timeout', async () => {
		let now = 0;
		const gate = new RenderGate(limits({ concurrency: 1, timeoutMs: 5000 }), () => now);
		granted(await gate.acquire(10, null));
		const waiting = gate.acquire(10, 'x');
		now = 4999;
		gate.expire();
		expect(await settled(waiting)).toBe(false);
		now = 5000;
		gate.expire();
		expect(await waiting).toMatchObject({ ok: false, status: 503 });
		expect(gate.state.waiting).toBe(0);
		// Its client slot is free again.
		expect(await settled(gate.acquire(10, 'x'))).toBe(false);
	});

	it('a release twice counts once', async () => {
		const gate = new RenderGate(limits());
		const a = granted(await gate.acquire(100, null));
		a.release();
		a.release();
		expect(gate.state).toEqual({ running: 0, waiting: 0, runningPixels: 0 });
	});
});

describe('clientKey', () => {
	it.each([
		['203.0.113.5', '203.0.113.5'],
		['::ffff:203.0.113.5', '203.0.113.5'],
		['2001:db8:1:2:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
		['2001:db8:1:2::1', '2001:db8:1:2::/64'],
		['2001:0db8:0001:0002:0000:0000:0000:0009', '2001:db8:1:2::/64'],
		['2001:db8::1', '2001:db8:0:0::/64'],
		['fe80::1%eth0', 'fe80:0:0:0::/64'],
		['::1', '0:0:0:0::/64']
	])('counts %s as %s', (address, key) => expect(clientKey(address)).toBe(key));
});

describe('limitsFromEnv', () => {
	it('gives the defaults when nothing is set: a core left for requests', () => {
		expect(limitsFromEnv({}, 2)).toEqual(defaultLimits(2));
		expect(defaultLimits(2).concurrency).toBe(1);
		expect(defaultLimits(1).concurrency).toBe(1);
		expect(defaultLimits(16).concurrency).toBe(4);
		// Two maximal images (3000 x 3000 at scale 4) fit the default budget at once.
		expect(defaultLimits(2).pixelBudget).toBeGreaterThanOrEqual(2 * 12_000 * 12_000);
	});
	it('reads every setting, the timeout in seconds', () => {
		expect(
			limitsFromEnv({ RENDER_CONCURRENCY: '3', RENDER_QUEUE: '0', RENDER_PIXEL_BUDGET: '50_000_000', RENDER_PER_CLIENT: '1', RENDER_TIMEOUT: '30' }, 2)
		).toEqual({ concurrency: 3, queue: 0, pixelBudget: 50_000_000, perClient: 1, timeoutMs: 30_000 });
	});
	it.each([
		['RENDER_CONCURRENCY', '0'],
		['RENDER_QUEUE', '-1'],
		['RENDER_PIXEL_BUDGET', 'lots'],
		['RENDER_PER_CLIENT', '1.5'],
		['RENDER_TIMEOUT', '0']
	])('refuses %s=%s naming the variable', (name, value) => {
		expect(() => limitsFromEnv({ [name]: value }, 2)).toThrow(name);
	});
});

describe('ImageCache', () => {
	const ok = (s: string) => ({ ok: true as const, body: Buffer.from(s) });

	it('renders a key once, for requests that come while it renders too', async () => {
		const cache = new ImageCache<{ ok: boolean; body?: Buffer }>();
		let renders = 0;
		let finish!: () => void;
		const render = () => {
			renders++;
			return new Promise<{ ok: true; body: Buffer }>((r) => (finish = () => r(ok('png'))));
		};
		const a = cache.get('k', render);
		const b = cache.get('k', render);
		finish();
		expect((await a).body!.toString()).toBe('png');
		expect((await b).body!.toString()).toBe('png');
		await cache.get('k', render);
		expect(renders).toBe(1);
	});

	it('gives a cached image and its note without rendering, and nothing for an unknown key', async () => {
		const cache = new ImageCache<{ ok: boolean; body?: Buffer }>();
		expect(cache.peek('k')).toBeUndefined();
		await cache.get('k', async () => ok('png'), 'colombia.png');
		const hit = cache.peek('k');
		expect(hit?.body.toString()).toBe('png');
		expect(hit?.note).toBe('colombia.png');
	});

	it('does not keep refusals', async () => {
		const cache = new ImageCache<{ ok: boolean; body?: Buffer }>();
		let renders = 0;
		await cache.get('k', async () => (renders++, { ok: false }));
		await cache.get('k', async () => (renders++, ok('x')));
		expect(renders).toBe(2);
	});

	it('stays within its byte budget, dropping the least recently used', async () => {
		const cache = new ImageCache<{ ok: boolean; body?: Buffer }>(40);
		let renders = 0;
		const render = async () => (renders++, ok('0123456789'));
		await cache.get('a', render);
		await cache.get('b', render);
		await cache.get('c', render);
		await cache.get('a', render); // a is now the most recent
		await cache.get('d', render); // 40 bytes: still all four
		await cache.get('e', render); // b goes
		expect(renders).toBe(5);
		await cache.get('a', render);
		expect(renders).toBe(5);
		await cache.get('b', render);
		expect(renders).toBe(6);
	});
});

describe('exportCacheHeaders', () => {
	it('keeps signed-in deployments out of shared caches, varying on who asks', () => {
		expect(exportCacheHeaders({ requireLogin: true, validator: true })).toEqual({ 'Cache-Control': 'private, no-cache', Vary: 'Cookie, Authorization' });
		expect(exportCacheHeaders({ requireLogin: true, validator: false })['Cache-Control']).toBe('private, no-store');
	});
	it('has public copies revalidated every time, never a blind max-age', () => {
		for (const validator of [true, false]) {
			const h = exportCacheHeaders({ requireLogin: false, validator });
			expect(h['Cache-Control']).toBe('public, no-cache');
			expect(h['Cache-Control']).not.toMatch(/max-age=[1-9]/);
		}
	});
});

describe('stableSvgIds', () => {
	it('numbers ids in order of appearance and follows every reference', () => {
		const svg = '<svg><clipPath id="cl_7"/><clipPath id="cl_a"/><g clip-path="url(#cl_a)"/><use xlink:href="#cl_7"/><g clip-path="url(#cl_7)"/></svg>';
		expect(stableSvgIds(svg)).toBe('<svg><clipPath id="c1"/><clipPath id="c2"/><g clip-path="url(#c2)"/><use xlink:href="#c1"/><g clip-path="url(#c1)"/></svg>');
	});
});

describe('rendering', () => {
	let t: TestDb;
	let pool: RenderPool;
	const dataset = {
		format: 'stance-tracker/v1',
		actors: [
			{ slug: 'alpha', name: 'Alpha', kind: 'country', color: '#0072b2' },
			{ slug: 'beta', name: 'Beta', kind: 'country', color: '#d55e00' }
		],
		issues: [{ slug: 'treaty', title: 'The treaty', scale: { min: -2, max: 2, labels: [{ value: -2, label: 'Against' }, { value: 2, label: 'For' }] } }],
		events: [
			{ actor: 'alpha', issue: 'treaty', date: '2025-03-01', position: -2, kind: 'statement', summary: 'No', sources: [{ outlet: 'Wire' }] },
			{ actor: 'alpha', issue: 'treaty', date: '2025-05-01', position: 2, kind: 'statement', summary: 'Yes', sources: [{ outlet: 'Wire' }] },
			{ actor: 'beta', issue: 'treaty', date: '2025-04-01', position: 2, kind: 'statement', summary: 'Yes', sources: [{ outlet: 'Post' }] }
		]
	};
	const context = async (q: string) => {
		const r = await exportContext(t.db, new URL(`http://example.test/export/chart.png${q}`));
		if (!r.ok) throw new Error(`refused: ${await r.response.text()}`);
		return r.ctx;
	};

	beforeAll(async () => {
		t = await openTestDb();
		await writeDataset(t.db, dataset, '2026-01-01');
		pool = new RenderPool({ limits: limits({ concurrency: 1, pixelBudget: 200_000_000, queue: 4, timeoutMs: 110_000 }) });
	});
	afterAll(async () => {
		await pool.close();
		t.close();
	});

	it('gives the same SVG bytes for the same data, whatever was rendered before', async () => {
		const ctx = await context('?issues=treaty');
		const spec = () => specFor(ctx, sizeFor(ctx, { width: 800, height: 500, scale: 1 }));
		const first = renderSvg(await spec());
		renderSvg(await specFor(await context('?actors=beta&issues=treaty&mode=lanes'), { width: 700, height: 400, scale: 1 }));
		const second = renderSvg(await spec());
		expect(first.toString('utf8')).toMatch(/clip-path="url\(#c1\)"/);
		expect(second.equals(first)).toBe(true);
	});

	it('renders in a worker thread the same PNG and SVG as on this thread', async () => {
		const ctx = await context('?issues=treaty');
		const size = sizeFor(ctx, { width: 640, height: 400, scale: 2 });
		const png = await pool.render({ format: 'png', scale: 2, input: await specInputFor(ctx, size) }, null);
		if (!png.ok) throw new Error(png.error);
		expect(png.body.readUInt32BE(16)).toBe(1280);
		expect(png.body.readUInt32BE(20)).toBe(800);
		expect(png.body.equals(renderPng(await specFor(ctx, size), 2))).toBe(true);
		const svg = await pool.render({ format: 'svg', scale: 1, input: await specInputFor(ctx, size) }, null);
		if (!svg.ok) throw new Error(svg.error);
		expect(svg.body.equals(renderSvg(await specFor(ctx, size)))).toBe(true);
	});

	it('keeps this thread free while a large image renders', async () => {
		const ctx = await context('?issues=treaty');
		const task = { format: 'png' as const, scale: 1, input: await specInputFor(ctx, { width: 3000, height: 3000, scale: 1 }) };
		expect(taskPixels(task)).toBe(9_000_000);
		const rendering = pool.render(task, null).then((r) => ({ rendered: r }));
		// A timer set after the render began fires first: this thread is not the one drawing.
		const first = await Promise.race([rendering, new Promise<'timer'>((r) => setTimeout(() => r('timer'), 1))]);
		expect(first).toBe('timer');
		const { rendered } = await rendering;
		if (!rendered.ok) throw new Error(rendered.error);
		expect([rendered.body.readUInt32BE(16), rendered.body.readUInt32BE(20)]).toEqual([3000, 3000]);
	}, 60_000);
});

/**
 * Browser figures: build the app, serve it on loopback from a given database file, and time the
 * compare page in real Chromium (first drawn chart, hover).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { log } from './measure';

const HOST = '127.0.0.1';
const running = new Set<ChildProcess>();

/** Newest modification time of any file under a folder (0 when it does not exist). */
function newest(dir: string): number {
	if (!existsSync(dir)) return 0;
	let max = 0;
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const p = join(dir, entry.name);
		max = Math.max(max, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
	}
	return max;
}

export interface BuildResult {
	ok: boolean;
	built: boolean;
	ms: number;
	error?: string;
}

/** Newest input of the build: the sources, the static files and the configuration. */
function buildInputs(root: string): number {
	const files = ['package.json', 'package-lock.json', 'svelte.config.js', 'vite.config.ts', 'tsconfig.json'].map((f) => join(root, f)).filter(existsSync);
	return Math.max(newest(join(root, 'src')), newest(join(root, 'static')), ...files.map((f) => statSync(f).mtimeMs));
}

/** vite's own script, run with this Node (no npx process in between, so stopping it stops the build). */
const vite = (root: string) => join(root, 'node_modules', 'vite', 'bin', 'vite.js');

function upToDate(root: string): boolean {
	const output = existsSync(join(root, 'build', 'index.js')) ? newest(join(root, 'build')) : 0;
	return process.env.BENCH_BUILD !== 'always' && output > buildInputs(root);
}

function buildError(status: number | null, stdout: string, stderr: string): string {
	// eslint-disable-next-line no-control-regex
	const text = `${stdout}\n${stderr}`.replace(/\x1b\[[0-9;]*m/g, '').trim();
	const first = text.split('\n').find((l) => /error/i.test(l) && !/^\s*at /.test(l));
	return `${first ?? `vite build exited with ${status}`}\n${text.split('\n').slice(-20).join('\n')}`;
}

/**
 * Builds the app with `vite build` unless build/ is newer than every input (BENCH_BUILD=always
 * forces a build). A fresh clone has no build/, so it always builds.
 */
export function buildApp(root: string): BuildResult {
	if (upToDate(root)) return { ok: true, built: false, ms: 0 };
	const t0 = performance.now();
	const r = spawnSync(process.execPath, [vite(root), 'build'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
	const ms = performance.now() - t0;
	if (r.status !== 0) return { ok: false, built: true, ms, error: buildError(r.status, r.stdout ?? '', r.stderr ?? '') };
	return { ok: true, built: true, ms };
}

/** The same in a child process the caller does not wait for: the bench builds while it writes its database. */
export function buildAppInBackground(root: string): Promise<BuildResult> {
	if (upToDate(root)) return Promise.resolve({ ok: true, built: false, ms: 0 });
	const t0 = performance.now();
	const child = spawn(process.execPath, [vite(root), 'build'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
	running.add(child);
	let stdout = '';
	let stderr = '';
	child.stdout!.on('data', (d) => (stdout += d));
	child.stderr!.on('data', (d) => (stderr += d));
	return new Promise((resolve) => {
		child.once('exit', (status) => {
			running.delete(child);
			const ms = performance.now() - t0;
			resolve(status === 0 ? { ok: true, built: true, ms } : { ok: false, built: true, ms, error: buildError(status, stdout, stderr) });
		});
	});
}

export interface Server {
	url: string;
	child: ChildProcess;
	output: () => string;
	stop: () => Promise<void>;
}

/** Kills every server still running (also called from the process's exit handler). */
export function killAllServers(): void {
	for (const child of running) {
		if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
	}
	running.clear();
}

async function responds(url: string): Promise<boolean> {
	try {
		const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
		await res.arrayBuffer();
		return res.ok;
	} catch {
		return false;
	}
}

/** Starts `node build` on a database file and waits until /api/issues answers. */
export async function startServer(root: string, dbFile: string, port: number): Promise<Server> {
	const url = `http://${HOST}:${port}`;
	if (await responds(`${url}/api/issues`)) throw new Error(`something already answers on ${url}; not measuring another server`);
	const child = spawn(process.execPath, ['build'], {
		cwd: root,
		env: {
			...process.env,
			DATABASE_URL: `file:${dbFile}`,
			SEED_DEMO: 'false',
			PORT: String(port),
			HOST,
			ORIGIN: url,
			NODE_ENV: 'production'
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	running.add(child);
	let out = '';
	child.stdout!.on('data', (d) => (out += d));
	child.stderr!.on('data', (d) => (out += d));
	const stop = async () => {
		running.delete(child);
		if (child.exitCode !== null || child.signalCode !== null) return;
		const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
		child.kill('SIGTERM');
		const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
		await exited;
		clearTimeout(timer);
	};
	const deadline = Date.now() + 30_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`server on port ${port} exited with ${child.exitCode}:\n${out.slice(-2000)}`);
		if (await responds(`${url}/api/issues`)) return { url, child, output: () => out, stop };
		await new Promise((r) => setTimeout(r, 200));
	}
	await stop();
	throw new Error(`server on port ${port} did not answer /api/issues within 30 s:\n${out.slice(-2000)}`);
}

/** What the page recorded about itself, in milliseconds since navigation start. */
export interface PageLoad {
	/** First canvas with a non-transparent pixel. */
	firstChart: number | null;
	/** Every expected canvas drawn. */
	allCharts: number | null;
	charts: number;
	responseStart: number;
	responseEnd: number;
	domContentLoaded: number;
	load: number;
	/** Size of the HTML document, decoded. */
	htmlBytes: number;
}

/**
 * Runs in every document from its start: polls the chart canvases once a frame and notes when
 * the first (and then every expected) one holds a drawn pixel.
 */
function drawWatcher({ expected, maxMs }: { expected: number; maxMs: number }) {
	const w = window as unknown as { __bench: { first: number | null; all: number | null; drawn: number } };
	w.__bench = { first: null, all: null, drawn: 0 };
	const drawn = (c: HTMLCanvasElement) => {
		if (!c.width || !c.height) return false;
		const ctx = c.getContext('2d', { willReadFrequently: true });
		if (!ctx) return false;
		const data = ctx.getImageData(0, 0, c.width, c.height).data;
		for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) return true;
		return false;
	};
	const seen = new WeakSet<HTMLCanvasElement>();
	const tick = () => {
		for (const c of document.querySelectorAll<HTMLCanvasElement>('.stance-chart canvas')) {
			if (seen.has(c) || !drawn(c)) continue;
			seen.add(c);
			w.__bench.drawn++;
			w.__bench.first ??= performance.now();
		}
		if (w.__bench.drawn >= expected) {
			w.__bench.all = performance.now();
			return;
		}
		if (performance.now() < maxMs) requestAnimationFrame(tick);
	};
	requestAnimationFrame(tick);
}

/** Loads a page and waits until `expected` charts are drawn (or the time is up). */
export async function loadPage(browser: Browser, url: string, { expected = 1, timeoutMs = 60_000 } = {}) {
	const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
	// tsx compiles with esbuild's keepNames, which wraps functions in `__name(...)`: functions sent
	// to the page need that helper there too.
	await context.addInitScript({ content: 'globalThis.__name ??= (f) => f;' });
	await context.addInitScript(drawWatcher, { expected, maxMs: timeoutMs });
	const page = await context.newPage();
	await page.goto(url, { waitUntil: 'commit', timeout: timeoutMs });
	let timedOut = false;
	try {
		await page.waitForFunction(() => (window as unknown as { __bench?: { all: number | null } }).__bench?.all != null, null, {
			timeout: timeoutMs,
			polling: 100
		});
		await page.waitForLoadState('load', { timeout: timeoutMs });
	} catch {
		timedOut = true;
	}
	const figures: PageLoad = await page.evaluate(() => {
		const b = (window as unknown as { __bench: { first: number | null; all: number | null; drawn: number } }).__bench;
		const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
		return {
			firstChart: b.first,
			allCharts: b.all,
			charts: b.drawn,
			responseStart: nav?.responseStart ?? NaN,
			responseEnd: nav?.responseEnd ?? NaN,
			domContentLoaded: nav?.domContentLoadedEventEnd ?? NaN,
			load: nav?.loadEventEnd ?? NaN,
			htmlBytes: nav?.decodedBodySize ?? NaN
		};
	});
	return { context, page, figures, timedOut };
}

export interface HoverResult {
	/** Milliseconds from each mousemove to the next animation frame, for the moves that came back. */
	times: number[];
	/** Canvas clears (chart renders) each move caused. */
	renders: number[];
	/** Moves that had not come back after `hoverTimeoutMs` (the page was then closed). */
	hung: number;
	/** Errors the page threw while hovering (e.g. Svelte's effect_update_depth_exceeded). */
	errors: string[];
}

/**
 * Hovers the first chart: dispatches mousemove at `positions` x-positions across the canvas, one
 * at a time, and times each until the next animation frame (Chart.js handles moves in a frame
 * callback; Svelte's effects run in microtasks before ours). A move that does not come back
 * within `hoverTimeoutMs` ends the measurement: the page's main thread is stuck. With `onMarkers`,
 * the moves go to the canvas right under the chart's event markers (where a pointer near an
 * event lands), at most `positions` of them.
 */
export async function hoverTimes(
	page: Page,
	{ positions = 20, hoverTimeoutMs = 10_000, budgetMs = 30_000, onMarkers = false } = {}
): Promise<HoverResult> {
	const result: HoverResult = { times: [], renders: [], hung: 0, errors: [] };
	const onError = (e: Error) => result.errors.push(e.message);
	page.on('pageerror', onError);
	await page.evaluate(async () => {
		const canvas = document.querySelector<HTMLCanvasElement>('.stance-chart canvas');
		if (!canvas) throw new Error('no chart canvas');
		canvas.scrollIntoView({ block: 'center' });
		// Count renders: Chart.js clears the canvas once per draw.
		const w = window as unknown as { __renders: number };
		w.__renders = 0;
		const proto = CanvasRenderingContext2D.prototype;
		const clear = proto.clearRect;
		proto.clearRect = function (this: CanvasRenderingContext2D, ...args: Parameters<typeof clear>) {
			w.__renders++;
			return clear.apply(this, args);
		};
		for (let i = 0; i < 2; i++) await new Promise((r) => requestAnimationFrame(r));
	});
	const started = Date.now();
	for (let i = 0; i < positions && Date.now() - started < budgetMs; i++) {
		const move = page.evaluate(
			async ({ i, n, onMarkers }) => {
				const chart = document.querySelector<HTMLElement>('.stance-chart')!;
				const canvas = chart.querySelector('canvas')!;
				const w = window as unknown as { __renders: number };
				const frame = () => new Promise<void>((r) => requestAnimationFrame(() => r()));
				const rect = canvas.getBoundingClientRect();
				let clientX = rect.left + rect.width * (0.06 + (0.88 * i) / Math.max(1, n - 1));
				// Move across the levels too, so some moves land on lines and some between them.
				let clientY = rect.top + rect.height * (0.15 + 0.7 * (((i * 7) % n) / Math.max(1, n - 1)));
				if (onMarkers) {
					const mark = chart.querySelectorAll<HTMLElement>('.mark')[i];
					if (!mark) return null;
					const m = mark.getBoundingClientRect();
					clientX = m.left + m.width / 2;
					clientY = m.top + m.height / 2;
				}
				const init = { clientX, clientY, bubbles: true, cancelable: true, view: window };
				const before = w.__renders;
				const t0 = performance.now();
				canvas.dispatchEvent(new PointerEvent('pointermove', { ...init, pointerType: 'mouse' }));
				canvas.dispatchEvent(new MouseEvent('mousemove', init));
				await frame();
				const ms = performance.now() - t0;
				const renders = w.__renders - before;
				// Let the frame finish painting before the next move.
				await frame();
				return { ms, renders };
			},
			{ i, n: positions, onMarkers }
		);
		let timer: NodeJS.Timeout | undefined;
		const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), hoverTimeoutMs)));
		const r = await Promise.race([move, timeout]);
		clearTimeout(timer);
		if (r === 'timeout') {
			move.catch(() => undefined);
			result.hung++;
			break;
		}
		// No marker left to move onto.
		if (r === null) break;
		result.times.push(r.ms);
		result.renders.push(r.renders);
	}
	page.off('pageerror', onError);
	return result;
}

export function describeServerLog(server: Server): string {
	return server.output().trim().split('\n').slice(-5).join(' | ');
}

export { log };

/**
 * A bench run's temporary folder (under the OS's), removed at exit, also on SIGINT or SIGTERM,
 * after every server the run started is stopped. `cleanup` does it early (idempotent).
 */
export function benchTmp(): { tmp: string; cleanup: () => void } {
	const tmp = mkdtempSync(join(tmpdir(), 'stance-bench-'));
	let cleaned = false;
	const cleanup = () => {
		if (cleaned) return;
		cleaned = true;
		killAllServers();
		rmSync(tmp, { recursive: true, force: true });
	};
	process.on('exit', cleanup);
	for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));
	return { tmp, cleanup };
}

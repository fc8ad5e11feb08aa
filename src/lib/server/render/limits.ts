/**
 * Admission to the render workers: how many images render at once, how many may wait, how many
 * pixels may be in memory at once, and how many renders one anonymous client may have in flight.
 * Pure bookkeeping (no threads, no clock of its own), so it is tested on its own.
 */

export interface RenderLimits {
	/** Renders running at once (worker threads). */
	concurrency: number;
	/** Renders that may wait for a worker; past that, 503 with Retry-After. */
	queue: number;
	/** Pixels (width x height x scale²) rendering at once; a render waits until its pixels fit. */
	pixelBudget: number;
	/** Renders one anonymous client (by address) may have running or waiting; past that, 429. */
	perClient: number;
	/** Longest time a render may wait plus run, in milliseconds; then 503. */
	timeoutMs: number;
}

export interface Refusal {
	status: 413 | 429 | 503;
	error: string;
	/** Seconds, for Retry-After (none for 413: asking again will not help). */
	retryAfter: number | null;
}

export type Admission = { ok: true; release: () => void } | ({ ok: false } & Refusal);

interface Waiting {
	pixels: number;
	client: string | null;
	since: number;
	start: (a: Admission) => void;
}

/** Throughput before any render was measured: about what a 2-core machine draws (16 million pixels a second). */
const INITIAL_PIXELS_PER_MS = 16_000;

export class RenderGate {
	private running = 0;
	private runningPixels = 0;
	private readonly waiting: Waiting[] = [];
	private readonly perClient = new Map<string, number>();
	private pixelsPerMs = INITIAL_PIXELS_PER_MS;

	constructor(
		readonly limits: RenderLimits,
		private readonly now: () => number = Date.now
	) {}

	/**
	 * Asks to render `pixels`. Resolves when the render may start (call `release` when it ends), or
	 * with a refusal: the image is larger than the whole budget (413), the client already has its
	 * share in flight (429), the queue is full (503), or it waited past the timeout (503).
	 * `client` is the anonymous caller's address; null for signed-in callers (no per-client limit).
	 */
	acquire(pixels: number, client: string | null): Promise<Admission> {
		const { limits } = this;
		if (pixels > limits.pixelBudget) {
			return Promise.resolve({
				ok: false,
				status: 413,
				error: `the image would have ${pixels.toLocaleString('en')} pixels; this server renders at most ${limits.pixelBudget.toLocaleString('en')} at once (RENDER_PIXEL_BUDGET): ask for a smaller width, height or scale`,
				retryAfter: null
			});
		}
		if (client !== null && (this.perClient.get(client) ?? 0) >= limits.perClient) {
			return Promise.resolve({
				ok: false,
				status: 429,
				error: `too many images rendering for this client (at most ${limits.perClient} at once without signing in); try again shortly`,
				retryAfter: this.retryAfter()
			});
		}
		if (!this.waiting.length && this.fits(pixels)) return Promise.resolve(this.start(pixels, client));
		if (this.waiting.length >= limits.queue) {
			return Promise.resolve({
				ok: false,
				status: 503,
				error: `the server is busy rendering images (${this.running} rendering, ${this.waiting.length} waiting); try again shortly`,
				retryAfter: this.retryAfter()
			});
		}
		this.count(client, +1);
		return new Promise((resolve) => {
			this.waiting.push({ pixels, client, since: this.now(), start: resolve });
		});
	}

	/** Renders running and waiting, and the pixels running: for the benchmark and tests. */
	get state(): { running: number; waiting: number; runningPixels: number } {
		return { running: this.running, waiting: this.waiting.length, runningPixels: this.runningPixels };
	}

	/** Refuses every render that has waited longer than the timeout. Called on each release and by the pool's timer. */
	expire(): void {
		const cutoff = this.now() - this.limits.timeoutMs;
		for (let i = this.waiting.length - 1; i >= 0; i--) {
			const w = this.waiting[i]!;
			if (w.since > cutoff) continue;
			this.waiting.splice(i, 1);
			this.count(w.client, -1);
			w.start({
				ok: false,
				status: 503,
				error: `the image waited ${Math.round(this.limits.timeoutMs / 1000)} s for a free renderer; try again shortly`,
				retryAfter: this.retryAfter()
			});
		}
		this.pump();
	}

	private fits(pixels: number): boolean {
		const { concurrency, pixelBudget } = this.limits;
		return this.running < concurrency && (this.running === 0 || this.runningPixels + pixels <= pixelBudget);
	}

	private start(pixels: number, client: string | null, counted = false): Admission {
		this.running++;
		this.runningPixels += pixels;
		if (!counted) this.count(client, +1);
		const started = this.now();
		let released = false;
		return {
			ok: true,
			release: () => {
				if (released) return;
				released = true;
				this.running--;
				this.runningPixels -= pixels;
				this.count(client, -1);
				const took = this.now() - started;
				// A running average of throughput, for Retry-After; tiny renders say little about it.
				if (pixels > 1_000_000 && took > 0) this.pixelsPerMs = 0.7 * this.pixelsPerMs + 0.3 * (pixels / took);
				this.expire();
			}
		};
	}

	/** Starts waiting renders in order while the head fits (first come, first served: a large one is not starved). */
	private pump(): void {
		while (this.waiting.length && this.fits(this.waiting[0]!.pixels)) {
			const w = this.waiting.shift()!;
			w.start(this.start(w.pixels, w.client, true));
		}
	}

	private count(client: string | null, delta: number): void {
		if (client === null) return;
		const n = (this.perClient.get(client) ?? 0) + delta;
		if (n > 0) this.perClient.set(client, n);
		else this.perClient.delete(client);
	}

	/** Seconds until the renders now running and waiting are likely done, at the measured throughput: 1 to 120. */
	retryAfter(): number {
		const pending = this.runningPixels + this.waiting.reduce((s, w) => s + w.pixels, 0);
		const ms = pending / (this.pixelsPerMs * Math.max(1, this.limits.concurrency));
		return Math.min(120, Math.max(1, Math.ceil(ms / 1000)));
	}
}

/** The defaults: one renderer per core but one (the rest answer requests), at most 4. */
export function defaultLimits(cores: number): RenderLimits {
	return {
		concurrency: Math.max(1, Math.min(4, cores - 1)),
		queue: 8,
		// Two maximal images (12,000 x 12,000 pixels, about 576 MB of memory each while drawn).
		pixelBudget: 300_000_000,
		perClient: 2,
		timeoutMs: 120_000
	};
}

/**
 * Reads the limits from the environment: RENDER_CONCURRENCY, RENDER_QUEUE, RENDER_PIXEL_BUDGET,
 * RENDER_PER_CLIENT, RENDER_TIMEOUT (seconds). Unset means the default; a bad value throws, naming
 * the variable.
 */
export function limitsFromEnv(env: Record<string, string | undefined>, cores: number): RenderLimits {
	const d = defaultLimits(cores);
	const read = (name: string, fallback: number, min: number): number => {
		const raw = env[name];
		if (raw === undefined || raw.trim() === '') return fallback;
		const n = Number(raw.replace(/_/g, ''));
		if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be a whole number of at least ${min}, not "${raw}"`);
		return n;
	};
	return {
		concurrency: read('RENDER_CONCURRENCY', d.concurrency, 1),
		queue: read('RENDER_QUEUE', d.queue, 0),
		pixelBudget: read('RENDER_PIXEL_BUDGET', d.pixelBudget, 1),
		perClient: read('RENDER_PER_CLIENT', d.perClient, 1),
		timeoutMs: read('RENDER_TIMEOUT', d.timeoutMs / 1000, 1) * 1000
	};
}

/**
 * The key a client's renders are counted under: its IPv4 address (also when written as an
 * IPv4-mapped IPv6 one), or the /64 prefix of an IPv6 address, since one host usually holds a
 * whole /64 and could otherwise take a new address for every request.
 */
export function clientKey(address: string): string {
	const a = address.trim().toLowerCase().replace(/%.*$/, '');
	const mapped = /^(?:::ffff:|::ffff:0:)?(\d{1,3}(?:\.\d{1,3}){3})$/.exec(a);
	if (mapped) return mapped[1]!;
	if (!a.includes(':')) return a;
	const [head = '', tail] = a.split('::') as [string, string | undefined];
	const left = head ? head.split(':') : [];
	const right = tail ? tail.split(':') : [];
	const groups = tail === undefined ? left : [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
	return `${groups.slice(0, 4).map((g) => (g || '0').replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

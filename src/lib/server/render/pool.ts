/**
 * Renders images in worker threads, so a large PNG never holds up the requests the server is
 * answering meanwhile. Piscina runs the threads (starting, reusing, replacing a crashed one,
 * stopping one whose render ran past its time); RenderGate decides what may run, wait, or is
 * refused. The workers run at a lower CPU priority than the thread that answers requests.
 */
import { Piscina } from 'piscina';
import { RenderGate, type Refusal, type RenderLimits } from './limits';
import { taskPixels, type RenderTask } from './task';

export type RenderResult = { ok: true; body: Buffer } | ({ ok: false } & Refusal);

export interface PoolOptions {
	limits: RenderLimits;
	/** Added to the workers' nice value (Linux: per thread), so answering requests comes first. */
	niceIncrement?: number;
	/** Idle workers stop after this long (milliseconds), giving their memory back. */
	idleTimeoutMs?: number;
}

/** The worker file: the bundled chunk in a build; the TypeScript source (run through tsx) in dev and tests. */
async function workerFile(): Promise<{ filename: string; execArgv: string[] }> {
	const worker = await import('./worker');
	// Naming the handler here also keeps the bundler from dropping it as unused.
	if (typeof worker.default !== 'function') throw new Error('the render worker has no handler');
	const { workerUrl } = worker;
	return { filename: workerUrl, execArgv: /\.ts$/.test(new URL(workerUrl).pathname) ? ['--import', 'tsx'] : [] };
}

export class RenderPool {
	readonly gate: RenderGate;
	private piscina: Promise<Piscina<RenderTask, Uint8Array>> | null = null;
	private readonly timer: NodeJS.Timeout;

	constructor(private readonly options: PoolOptions) {
		this.gate = new RenderGate(options.limits);
		// Renders left waiting past the timeout are refused even when no render ends meanwhile.
		this.timer = setInterval(() => this.gate.expire(), 1000);
		this.timer.unref();
	}

	private workers(): Promise<Piscina<RenderTask, Uint8Array>> {
		this.piscina ??= workerFile().then(
			({ filename, execArgv }) =>
				new Piscina<RenderTask, Uint8Array>({
					filename,
					execArgv,
					minThreads: 0,
					maxThreads: this.options.limits.concurrency,
					// The gate admits at most `concurrency` renders, so Piscina's own queue stays empty.
					maxQueue: this.options.limits.concurrency,
					idleTimeout: this.options.idleTimeoutMs ?? 60_000,
					niceIncrement: this.options.niceIncrement ?? 10
				})
		);
		return this.piscina;
	}

	/**
	 * Renders a task in a worker once the gate admits it. `client` is an anonymous caller's
	 * address (null when signed in). A render that runs past the timeout is stopped (its worker
	 * is replaced) and answered with 503.
	 */
	async render(task: RenderTask, client: string | null): Promise<RenderResult> {
		const admission = await this.gate.acquire(taskPixels(task), client);
		if (!admission.ok) return admission;
		try {
			const pool = await this.workers();
			const signal = AbortSignal.timeout(this.options.limits.timeoutMs);
			const bytes = await pool.run(task, { signal });
			return { ok: true, body: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
		} catch (e) {
			if ((e as Error).name === 'AbortError' || (e as Error).name === 'TimeoutError') {
				return {
					ok: false,
					status: 503,
					error: `the image took longer than ${Math.round(this.options.limits.timeoutMs / 1000)} s to render and was stopped`,
					retryAfter: this.gate.retryAfter()
				};
			}
			throw e;
		} finally {
			admission.release();
		}
	}

	/** Stops the workers (tests, shutdown). */
	async close(): Promise<void> {
		clearInterval(this.timer);
		const p = this.piscina;
		this.piscina = null;
		if (p) await (await p).destroy();
	}
}

/** A cached image: its bytes and a note kept with them (the file name it is served under). */
export interface CachedImage {
	body: Buffer;
	note: string;
}

/**
 * Rendered images by key, least recently used out first, bounded in bytes. Requests for a key
 * that is rendering share that one render. Refusals (busy, over a limit) are not kept.
 */
export class ImageCache<R extends { ok: boolean; body?: Buffer }> {
	private readonly entries = new Map<string, CachedImage>();
	private readonly pending = new Map<string, Promise<R>>();
	private bytes = 0;

	constructor(private readonly maxBytes = 64 * 1024 * 1024) {}

	/** The cached image under `key`, marked as just used; nothing is rendered. */
	peek(key: string): CachedImage | undefined {
		const hit = this.entries.get(key);
		if (hit) {
			this.entries.delete(key);
			this.entries.set(key, hit);
		}
		return hit;
	}

	/** The cached bytes, or the render's result (shared with every request for the same key meanwhile). */
	async get(key: string, render: () => Promise<R>, note = ''): Promise<R | { ok: true; body: Buffer }> {
		const hit = this.peek(key);
		if (hit) return { ok: true, body: hit.body };
		let p = this.pending.get(key);
		if (!p) {
			p = render()
				.then((r) => {
					if (r.ok && r.body) this.put(key, { body: r.body, note });
					return r;
				})
				.finally(() => this.pending.delete(key));
			this.pending.set(key, p);
		}
		return p;
	}

	private put(key: string, image: CachedImage): void {
		if (image.body.byteLength > this.maxBytes / 4) return; // one huge image would push out all the rest
		const old = this.entries.get(key);
		if (old) {
			this.entries.delete(key);
			this.bytes -= old.body.byteLength;
		}
		this.entries.set(key, image);
		this.bytes += image.body.byteLength;
		for (const [k, v] of this.entries) {
			if (this.bytes <= this.maxBytes) break;
			this.entries.delete(k);
			this.bytes -= v.body.byteLength;
		}
	}

	get size(): number {
		return this.entries.size;
	}
}

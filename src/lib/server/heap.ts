import { setFlagsFromString } from 'node:v8';

/**
 * How much V8 lets the heap grow past what survived the last full collection before it runs the
 * next one (HEAP_GROWING_PERCENT, default 20). V8's own factor (0 keeps it) lets a server that has
 * built a few large views (exports, images) sit on up to four times its live data as garbage in the
 * old generation; on the UN votes that took the process from about 300 to 480-580 MB while its
 * live heap stayed small. This is not a limit: the heap still grows as far as live data needs, it
 * only collects sooner (no measurable CPU cost on the bench's export sequence; README Performance).
 */
export function heapGrowingPercent(raw: string | undefined, fallback = 20): number {
	if (raw === undefined || raw.trim() === '') return fallback;
	const n = Number(raw);
	if (!Number.isInteger(n) || n < 0 || n > 1000) throw new Error(`HEAP_GROWING_PERCENT must be a whole number from 0 to 1000 (0 keeps V8's own heap growth), not "${raw}"`);
	return n;
}

/** Sets the growth for this process (every isolate: the render workers too). Read at each collection. */
export function applyHeapGrowing(raw: string | undefined): void {
	const n = heapGrowingPercent(raw);
	if (n > 0) setFlagsFromString(`--heap-growing-percent=${n}`);
}

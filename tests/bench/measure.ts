/** Timing helpers for the benchmark: figures only, never pass/fail. */
import { performance } from 'node:perf_hooks';

export interface Stats {
	runs: number;
	p50: number;
	p95: number;
	min: number;
	max: number;
}

/** Nearest-rank percentile of a list of numbers. */
export function percentile(values: readonly number[], p: number): number {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
	return sorted[rank - 1]!;
}

export function stats(values: readonly number[]): Stats {
	return {
		runs: values.length,
		p50: percentile(values, 50),
		p95: percentile(values, 95),
		min: Math.min(...values),
		max: Math.max(...values)
	};
}

export interface SampleOptions {
	/** Runs wanted. */
	runs?: number;
	/** Stop early (after at least `minRuns`) once this much time has gone: the bench has a time budget. */
	budgetMs?: number;
	minRuns?: number;
	/** Untimed runs first (JIT, caches). */
	warmup?: number;
}

/** Times `fn` over several runs and returns the spread in milliseconds. */
export async function sample(fn: () => unknown, { runs = 30, budgetMs = 15_000, minRuns = 5, warmup = 1 }: SampleOptions = {}): Promise<Stats> {
	for (let i = 0; i < warmup; i++) await fn();
	const times: number[] = [];
	const started = performance.now();
	while (times.length < runs) {
		const t0 = performance.now();
		await fn();
		times.push(performance.now() - t0);
		if (times.length >= minRuns && performance.now() - started > budgetMs) break;
	}
	return stats(times);
}

export const ms = (v: number) => (Number.isFinite(v) ? (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)) : '—');

/** One line of the final table. */
export interface Row {
	section: string;
	what: string;
	value: string;
	note?: string;
}

export const statsValue = (s: Stats) => `p50 ${ms(s.p50)} ms, p95 ${ms(s.p95)} ms`;
export const statsNote = (s: Stats, extra = '') => `${s.runs} runs, max ${ms(s.max)} ms${extra ? `; ${extra}` : ''}`;

/** Prints rows as a plain-text table that survives a CI log. */
export function printTable(rows: readonly Row[]): void {
	const w = {
		section: Math.max(7, ...rows.map((r) => r.section.length)),
		what: Math.max(4, ...rows.map((r) => r.what.length)),
		value: Math.max(5, ...rows.map((r) => r.value.length))
	};
	const line = (a: string, b: string, c: string, d: string) => `${a.padEnd(w.section)}  ${b.padEnd(w.what)}  ${c.padEnd(w.value)}  ${d}`.trimEnd();
	console.log(line('section', 'what', 'value', 'note'));
	console.log(line('-'.repeat(w.section), '-'.repeat(w.what), '-'.repeat(w.value), '-'.repeat(4)));
	for (const r of rows) console.log(line(r.section, r.what, r.value, r.note ?? ''));
}

/** Logs a step as it happens, with the seconds since the bench started. */
const t0 = performance.now();
export function log(message: string): void {
	console.log(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(5)} s] ${message}`);
}

/** Loose views of Chart.js config parts, so tests can call the callbacks the configs carry. */
import type { ChartConfiguration } from 'chart.js';

export interface FakeTick {
	value: number;
	label?: string | string[];
}

export interface AxisView {
	type?: string;
	min?: number;
	max?: number;
	afterBuildTicks: (axis: { ticks: FakeTick[] }) => void;
	ticks: { callback: (value: number, index: number, ticks: FakeTick[]) => string };
}

// Any chart type: these helpers read only option paths that line and bar configs share.
type AnyConfig = ChartConfiguration<any, any, any>;

export function axis(config: AnyConfig, id: 'x' | 'y'): AxisView {
	const scale = config.options?.scales?.[id];
	if (!scale) throw new Error(`no ${id} axis`);
	return scale as unknown as AxisView;
}

/** The ticks an axis sets for itself once Chart.js has built its own (which it discards). */
export function builtTicks(config: AnyConfig, id: 'x' | 'y'): FakeTick[] {
	const fake = { ticks: [{ value: 12345 }] as FakeTick[] };
	axis(config, id).afterBuildTicks(fake);
	return fake.ticks;
}

export function pluginOptions(config: AnyConfig, id: string): Record<string, unknown> | undefined {
	return (config.options?.plugins as Record<string, Record<string, unknown> | undefined> | undefined)?.[id];
}

/** Calls a scriptable dataset option with a context holding one raw data point. */
export function scripted<T>(option: unknown, raw: unknown): T {
	if (typeof option !== 'function') return option as T;
	return (option as (ctx: { raw: unknown }) => T)({ raw });
}

/**
 * The benchmark's sections: each a file whose `run` returns figures (the JSON keys it measures)
 * and notes. A section that throws makes the bench exit non-zero; the others still run.
 */
import type { Db } from '../../../src/lib/server/db/client';

/** Every key the bench writes (numbers; times in ms). */
export const KEYS = [
	'series_query_p50_ms',
	'series_query_p99_ms',
	'latest_by_issue_p50_ms',
	'limit_rps',
	'kit_floor_rps',
	'api_series_rps',
	'api_series_p99_ms',
	'api_series_ratio',
	/** The same request on the demo data, over a libSQL server and an embedded replica (sections/scaleout.ts). */
	'api_series_rps_sqld',
	'api_series_rps_replica',
	'home_rps',
	'issue_page_rps',
	'issue_page_kb',
	'chart_render_ms',
	'page_js_kb_gz',
	'png_render_ms',
	'png_cached_rps',
	'import_rows_per_s',
	'import_peak_rss_mb',
	'db_file_mb'
] as const;
export type Key = (typeof KEYS)[number];
export type Figures = Partial<Record<Key, number>>;

export interface Context {
	root: string;
	tmp: string;
	quick: boolean;
	/** The benchmark database (built by the data section). */
	dbFile: string;
	/** True when dbFile was given (--use-db) and is used as it is. */
	reuse?: boolean;
	db: Db;
	/** Busiest first. */
	actors: string[];
	issues: string[];
	/** Seconds per autocannon run. */
	loadSeconds: number;
	/** The production server on dbFile, once the http section started it. */
	baseUrl?: string;
}

export interface Note {
	what: string;
	value: string;
	note?: string;
}

export interface SectionResult {
	figures: Figures;
	notes: Note[];
	/** What failed while the rest was measured: the section counts as failed (exit code 1). */
	problems?: string[];
}

export interface Section {
	name: string;
	run(ctx: Context): Promise<SectionResult>;
}

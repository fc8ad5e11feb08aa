/**
 * The benchmark's sections: each a file whose `run` returns figures (the JSON keys it measures)
 * and notes. A section that throws makes the bench exit non-zero; the others still run.
 */
import type { Db } from '../../../src/lib/server/db/client';
import type { BuildResult } from '../browser';

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
	/** A plain node:http server sending the cached PNG's bytes, under the same load (sections/http.ts). */
	'png_limit_rps',
	'import_rows_per_s',
	'import_peak_rss_mb',
	/** The CSV's rows per CPU second (all threads; sections/importer.ts). The UN votes' peak RSS (import_unvotes_peak_rss_mb) follows as an extra figure when ../shared/datasets is there. */
	'import_rows_per_cpu_s',
	/** The longest time between two answers of a read polled every 50 ms in a process running a 200,000-row import, as a server runs a web import (sections/importer.ts). */
	'import_read_max_gap_ms',
	'db_file_mb',
	/** Issue 11's views, one request at a time (sections/views.ts): the first request, then the median of ten. */
	'changes_page_ms',
	'changes_page_first_ms',
	'changes_all_first_ms',
	'changes_fill_ms',
	'who_moved_ms',
	'who_moved_first_ms',
	'asof_compare_ms',
	/** HTML of that as-of compare page, KB (decoded). */
	'asof_compare_kb',
	/** The issue page as of a moment: median, first request, HTML KB. */
	'asof_issue_ms',
	'asof_issue_first_ms',
	'asof_issue_kb',
	'compare_ms',
	'compare_first_ms',
	/** The API and exports as of the same moment (sections/views.ts): median and first request; their live counterparts follow as extra figures (live_*). */
	'asof_series_ms',
	'asof_series_first_ms',
	'asof_series_month_ms',
	'asof_series_month_first_ms',
	'asof_events_ms',
	'asof_events_first_ms',
	'asof_csv_ms',
	'asof_csv_first_ms',
	'asof_json_ms',
	'asof_json_first_ms',
	'asof_png_first_ms',
	'asof_svg_first_ms'
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
	/** Events per issue slug, and each issue's actors busiest first. */
	issueEvents: Map<string, number>;
	actorsByIssue: Map<string, string[]>;
	/** The issue of 20 countries x 5,000 events, and those countries (chart_render_ms). */
	chartIssue: string;
	chartActors: string[];
	/** Seconds per autocannon run. */
	loadSeconds: number;
	/** The production build, started in the background before the data section. */
	build?: Promise<BuildResult>;
	/** sqld's binary, installed in the background when missing (sections/scaleout.ts). */
	sqld?: Promise<string>;
	/** The production server on dbFile, once the http section started it. */
	baseUrl?: string;
}

export interface Note {
	what: string;
	value: string;
	note?: string;
}

export interface SectionResult {
	figures: Figures | Record<string, number>;
	notes: Note[];
	/** What failed while the rest was measured: the section counts as failed (exit code 1). */
	problems?: string[];
}

export interface Section {
	name: string;
	run(ctx: Context): Promise<SectionResult>;
}

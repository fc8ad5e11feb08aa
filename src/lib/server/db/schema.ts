import { sql } from 'drizzle-orm';
import {
	sqliteTable,
	integer,
	text,
	real,
	index,
	uniqueIndex,
	primaryKey,
	check,
	type AnySQLiteColumn
} from 'drizzle-orm/sqlite-core';
import { CHANGE_CLASSES } from '../../domain/changes';
import {
	ACTOR_KINDS,
	CHANGE_ACTIONS,
	CONFIDENCES,
	DATE_PRECISIONS,
	ENTITIES,
	EVENT_KINDS,
	IMPORT_FORMATS,
	IMPORT_STATUSES,
	ROLES,
	TOKEN_SCOPES,
	WRITE_CHANNELS
} from '../../domain/types';

const timestamps = {
	createdAt: text('created_at')
		.notNull()
		.default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`),
	updatedAt: text('updated_at')
		.notNull()
		.default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`)
};

export const actor = sqliteTable(
	'actor',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		slug: text('slug').notNull(),
		name: text('name').notNull(),
		kind: text('kind', { enum: ACTOR_KINDS }).notNull(),
		parentId: integer('parent_id').references((): AnySQLiteColumn => actor.id),
		role: text('role'),
		countryCode: text('country_code'),
		color: text('color').notNull(),
		version: integer('version').notNull().default(1),
		/** Soft delete: set when deleted, cleared on restore. */
		deletedAt: text('deleted_at'),
		...timestamps
	},
	(t) => [uniqueIndex('actor_slug_unique').on(t.slug), index('actor_parent_idx').on(t.parentId)]
);

export const issue = sqliteTable(
	'issue',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		slug: text('slug').notNull(),
		title: text('title').notNull(),
		description: text('description').notNull().default(''),
		scaleMin: real('scale_min').notNull(),
		scaleMax: real('scale_max').notNull(),
		/** Change rules of this issue (domain/changes.ts); null: the defaults. Smallest move, as a share of the scale. */
		changeMinShare: real('change_min_share'),
		/** Days within which a move back toward the earlier stance is a walk-back. */
		walkBackDays: integer('walk_back_days'),
		/** Days after which a stance not restated is marked "no recent statement". */
		staleAfterDays: integer('stale_after_days'),
		version: integer('version').notNull().default(1),
		deletedAt: text('deleted_at'),
		...timestamps
	},
	(t) => [uniqueIndex('issue_slug_unique').on(t.slug)]
);

/** A labelled value on an issue's scale (-2 "Halt", ..., +2 "Expand"). */
export const scaleLabel = sqliteTable(
	'scale_label',
	{
		issueId: integer('issue_id')
			.notNull()
			.references(() => issue.id, { onDelete: 'cascade' }),
		value: real('value').notNull(),
		label: text('label').notNull()
	},
	(t) => [primaryKey({ columns: [t.issueId, t.value] })]
);

/**
 * Actors an editor marked as featured for an issue: the issue page charts them first (in
 * `ordinal` order) when its URL names no actors.
 */
export const issueFeaturedActor = sqliteTable(
	'issue_featured_actor',
	{
		issueId: integer('issue_id')
			.notNull()
			.references(() => issue.id, { onDelete: 'cascade' }),
		actorId: integer('actor_id')
			.notNull()
			.references(() => actor.id, { onDelete: 'cascade' }),
		ordinal: integer('ordinal').notNull().default(0)
	},
	(t) => [primaryKey({ columns: [t.issueId, t.actorId] })]
);

/**
 * How many live events each actor has on each issue, and the dates of the first and last: kept by
 * triggers (drizzle/0010) in the same transaction as every write to stance_event, so the issue
 * page lists 200 actors with their activity without counting a million events.
 */
export const issueActorActivity = sqliteTable(
	'issue_actor_activity',
	{
		issueId: integer('issue_id').notNull(),
		actorId: integer('actor_id').notNull(),
		events: integer('events').notNull(),
		first: text('first').notNull(),
		last: text('last').notNull()
	},
	(t) => [primaryKey({ columns: [t.issueId, t.actorId] })]
);

/**
 * A counter per (issue, actor) series, bumped by triggers (drizzle/0018) in the same transaction
 * as every update or delete of one of its events, every update or delete of their sources and
 * every class confirmation of them, whoever writes. Inserts are not counted here: they move the
 * pair's `issue_actor_activity.events`, so (events, first, last, n) differs after any write to a
 * series, and rows are never deleted, so it never comes back to an earlier value. The change
 * records stored per series are stamped with it (change_series, queries/changes.ts): a write to
 * one series leaves the others' records as they are.
 */
export const seriesVersion = sqliteTable(
	'series_version',
	{
		issueId: integer('issue_id').notNull(),
		actorId: integer('actor_id').notNull(),
		n: integer('n').notNull().default(0)
	},
	(t) => [primaryKey({ columns: [t.issueId, t.actorId] })]
);

export const stanceEvent = sqliteTable(
	'stance_event',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		actorId: integer('actor_id')
			.notNull()
			.references(() => actor.id),
		issueId: integer('issue_id')
			.notNull()
			.references(() => issue.id),
		/** ISO date (YYYY-MM-DD); for month or year precision, the first day of the period. */
		date: text('date').notNull(),
		datePrecision: text('date_precision', { enum: DATE_PRECISIONS }).notNull().default('day'),
		position: real('position').notNull(),
		/** Optional uncertainty interval around the position (e.g. an ideal point's 5 %..95 % band). */
		positionLow: real('position_low'),
		positionHigh: real('position_high'),
		kind: text('kind', { enum: EVENT_KINDS }).notNull(),
		summary: text('summary').notNull(),
		quote: text('quote'),
		quoteLanguage: text('quote_language'),
		speakerId: integer('speaker_id').references(() => actor.id),
		targetId: integer('target_id').references(() => actor.id),
		confidence: text('confidence', { enum: CONFIDENCES }).notNull().default('medium'),
		/** The bulk import that created the event, if one did: its history is that import's record. */
		importId: integer('import_id').references((): AnySQLiteColumn => importRun.id),
		version: integer('version').notNull().default(1),
		deletedAt: text('deleted_at'),
		...timestamps
	},
	(t) => [
		// One actor's series on an issue, in series order, covering what charts read (position,
		// precision, interval, deleted or not): a chart's points, counts and per-period aggregates
		// walk this index alone, never the table (on the UN votes: 40 ms -> 1 ms to count an actor's
		// 6,000 events). It serves every (actor, issue, date) seek as the plain index did.
		index('event_actor_issue_series_idx').on(t.actorId, t.issueId, t.date, t.createdAt, t.id, t.position, t.datePrecision, t.deletedAt, t.positionLow, t.positionHigh),
		index('event_issue_date_idx').on(t.issueId, t.date),
		// An issue's events table filtered by kind: a seek, not a walk through every event of the issue.
		index('event_issue_kind_date_idx').on(t.issueId, t.kind, t.date),
		// The actor page's "said by" half: a seek per speaker (and per issue), in date order.
		index('event_speaker_issue_date_idx').on(t.speakerId, t.issueId, t.date),
		index('event_date_idx').on(t.date)
	]
);

export const source = sqliteTable(
	'source',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		eventId: integer('event_id')
			.notNull()
			.references(() => stanceEvent.id, { onDelete: 'cascade' }),
		/** Order of the source within its event, from 0. */
		ordinal: integer('ordinal').notNull().default(0),
		outlet: text('outlet').notNull(),
		title: text('title'),
		url: text('url'),
		publishedOn: text('published_on')
	},
	(t) => [index('source_event_idx').on(t.eventId, t.ordinal)]
);

/**
 * Dated context on an issue's timeline that is not a stance ("2 Sep 2025: first US strike on a
 * boat"): a day, or a span from `date` to `endDate` (both the first day of their period, as events
 * store dates), a short label and one source. Drawn on every chart of the issue; soft-deleted like
 * events, versioned, its history in `change` (entity `context`).
 */
export const contextEvent = sqliteTable(
	'context_event',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		issueId: integer('issue_id')
			.notNull()
			.references(() => issue.id),
		date: text('date').notNull(),
		/** Applies to both ends of a span. */
		datePrecision: text('date_precision', { enum: DATE_PRECISIONS }).notNull().default('day'),
		/** The last day (or period) of a span; null for a single day (or period). */
		endDate: text('end_date'),
		label: text('label').notNull(),
		outlet: text('outlet').notNull(),
		sourceTitle: text('source_title'),
		sourceUrl: text('source_url'),
		sourcePublishedOn: text('source_published_on'),
		version: integer('version').notNull().default(1),
		deletedAt: text('deleted_at'),
		...timestamps
	},
	(t) => [index('context_event_issue_date_idx').on(t.issueId, t.date)]
);

export const user = sqliteTable(
	'user',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		/** Lower-cased. */
		email: text('email').notNull(),
		name: text('name').notNull().default(''),
		role: text('role', { enum: ROLES }).notNull().default('viewer'),
		passwordHash: text('password_hash').notNull(),
		disabledAt: text('disabled_at'),
		version: integer('version').notNull().default(1),
		...timestamps
	},
	(t) => [uniqueIndex('user_email_unique').on(t.email)]
);

/** A login session. The id is the SHA-256 of the cookie's token: the token itself is never stored. */
export const session = sqliteTable(
	'session',
	{
		id: text('id').primaryKey(),
		userId: integer('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		createdAt: text('created_at').notNull(),
		/** Idle expiry, pushed forward as the session is used. */
		expiresAt: text('expires_at').notNull(),
		/** Absolute expiry: never moves. */
		absoluteExpiresAt: text('absolute_expires_at').notNull()
	},
	(t) => [index('session_user_idx').on(t.userId)]
);

/** A token for programmatic access, sent as `Authorization: Bearer`. Only its hash is stored. */
export const apiToken = sqliteTable(
	'api_token',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		userId: integer('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		tokenHash: text('token_hash').notNull(),
		scope: text('scope', { enum: TOKEN_SCOPES }).notNull(),
		createdAt: text('created_at').notNull(),
		expiresAt: text('expires_at').notNull(),
		revokedAt: text('revoked_at'),
		lastUsedAt: text('last_used_at')
	},
	(t) => [uniqueIndex('api_token_hash_unique').on(t.tokenHash), index('api_token_user_idx').on(t.userId)]
);

/** The history: every create, update, delete and restore, by whom, with the values before and after. */
export const change = sqliteTable(
	'change',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		entity: text('entity', { enum: ENTITIES }).notNull(),
		entityId: integer('entity_id').notNull(),
		action: text('action', { enum: CHANGE_ACTIONS }).notNull(),
		userId: integer('user_id').references(() => user.id),
		tokenId: integer('token_id').references(() => apiToken.id),
		via: text('via', { enum: WRITE_CHANNELS }).notNull(),
		at: text('at')
			.notNull()
			.default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`),
		/** JSON of the record before the change; null for a create. */
		before: text('before'),
		/** JSON of the record after the change. */
		after: text('after'),
		/** Why: required for a correction (an edit or delete of an event public for more than a day). */
		reason: text('reason')
	},
	// change_at_idx: the record as of a moment reads the history written after it (`at > ?`).
	(t) => [index('change_entity_idx').on(t.entity, t.entityId, t.id), index('change_at_idx').on(t.at)]
);

/**
 * The data version: counters that SQLite triggers bump in the same transaction as every write to
 * actor, issue, scale_label, stance_event and source (whatever wrote it: forms, API, importers,
 * another process). Reading one is a primary-key lookup, so caches and ETags check it first.
 * Scope -1 counts writes to actors, and scope = an issue's id writes to that issue, its scale
 * labels, its events and their sources; their sum moves on every write. See queries/meta.ts.
 */
export const dataVersion = sqliteTable('data_version', {
	scope: integer('scope').primaryKey(),
	n: integer('n').notNull().default(0)
});

/**
 * Never holds a row. A write batch inserts into it only when one of its own checks failed (the
 * conditional UPDATE before it matched no row: a stale version; a new scale would strand events),
 * and the named CHECK constraint then aborts the whole batch, so nothing of it applies. This makes
 * the check atomic in the database, whichever process writes. See server/write/statements.ts.
 */
export const writeGuard = sqliteTable(
	'write_guard',
	{ reason: text('reason').notNull() },
	(t) => [check('stale_version', sql`${t.reason} <> 'stale_version'`), check('stranded_events', sql`${t.reason} <> 'stranded_events'`)]
);

/**
 * One bulk import: who ran it, on which file, and what came of it. While `status` is `running`
 * its rows sit in a staging table (`import_staging_<id>`) that no read sees; one batch moves them
 * into the events at the end. Any instance or CLI run finding a `running` import whose heartbeat
 * stopped (or whose process on its own host is gone) removes its record and staging table.
 */
export const importRun = sqliteTable('import_run', {
	id: integer('id').primaryKey({ autoIncrement: true }),
	file: text('file').notNull(),
	format: text('format', { enum: IMPORT_FORMATS }).notNull(),
	status: text('status', { enum: IMPORT_STATUSES }).notNull().default('running'),
	userId: integer('user_id').references(() => user.id),
	via: text('via', { enum: WRITE_CHANNELS }).notNull(),
	/** The process that runs it (host and pid), to tell a dead import from a running one on its own host. */
	host: text('host').notNull(),
	pid: integer('pid').notNull(),
	/**
	 * The running import's heartbeat: milliseconds since 1970 by the database's clock, refreshed
	 * every few seconds. A run whose heartbeat is older than the lease is taken for dead by any
	 * instance (see import/staging.ts).
	 */
	heartbeatAt: integer('heartbeat_at'),
	startedAt: text('started_at')
		.notNull()
		.default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`),
	finishedAt: text('finished_at'),
	/** Ids of the rows the final batch writes are these offsets plus the staging sequence numbers. */
	eventOffset: integer('event_offset'),
	actorOffset: integer('actor_offset'),
	issueOffset: integer('issue_offset'),
	rowsRead: integer('rows_read').notNull().default(0),
	newEvents: integer('new_events').notNull().default(0),
	present: integer('present').notNull().default(0),
	rejected: integer('rejected').notNull().default(0),
	createdActors: integer('created_actors').notNull().default(0),
	createdIssues: integer('created_issues').notNull().default(0)
});

/**
 * An editor's word on the class of a change, tied to the event that starts the change: confirms
 * the rules' class, or overrides it (then with a reason). One per event; its history is in `change`.
 */
export const classConfirmation = sqliteTable('class_confirmation', {
	eventId: integer('event_id')
		.primaryKey()
		.references(() => stanceEvent.id, { onDelete: 'cascade' }),
	class: text('class', { enum: CHANGE_CLASSES }).notNull(),
	reason: text('reason'),
	userId: integer('user_id').references(() => user.id),
	at: text('at')
		.notNull()
		.default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`)
});

/**
 * The change records, stored (queries/changes.ts): one row per stance of each (issue, actor)
 * series, in series order (`seq` from 0); every row after the first is also the change into that
 * stance (its `from_id` .. `quote_after_id`, size and class), so the changes page pages through
 * them in SQL and "who moved" reads each series' stance at two dates with two seeks. Derived from
 * the live events, never written by the write path: a series is derived again when its
 * `change_series.stamp` no longer matches what it depends on. Actors and issues are ids (a rename
 * changes nothing here); names are resolved when a page is shown.
 */
export const stanceRun = sqliteTable(
	'stance_run',
	{
		issueId: integer('issue_id').notNull(),
		actorId: integer('actor_id').notNull(),
		seq: integer('seq').notNull(),
		/** Where the stance starts: its anchor's date (StanceRun.from), the change's date. */
		fromDate: text('from_date').notNull(),
		/** The anchor's date precision. */
		datePrecision: text('date_precision', { enum: DATE_PRECISIONS }).notNull(),
		/** The event the stance is dated by (the change's `to`), and when it was recorded (the newest-first order's tie-break). */
		anchorId: integer('anchor_id').notNull(),
		anchorCreatedAt: text('anchor_created_at').notNull(),
		/** The stance held: its latest event's position. */
		position: real('position').notNull(),
		/** The change into this stance; null on a series' first stance. */
		fromId: integer('from_id'),
		/** The events of the new stance on the change's date, `to` first (JSON array of ids). */
		toIds: text('to_ids'),
		quoteBeforeId: integer('quote_before_id'),
		quoteAfterId: integer('quote_after_id'),
		delta: real('delta'),
		share: real('share'),
		direction: text('direction'),
		toward: text('toward'),
		class: text('class', { enum: CHANGE_CLASSES }),
		ruleClass: text('rule_class', { enum: CHANGE_CLASSES }),
		basis: text('basis'),
		ruleBasis: text('rule_basis')
	},
	(t) => [
		primaryKey({ columns: [t.issueId, t.actorId, t.seq] }),
		// A series' stance at a date: one seek.
		index('stance_run_series_date_idx').on(t.issueId, t.actorId, t.fromDate, t.seq),
		// The changes page, newest first, whatever the filter.
		index('stance_run_newest_idx').on(t.fromDate, t.anchorCreatedAt, t.anchorId),
		// The changes of a few actors, newest first.
		index('stance_run_actor_date_idx').on(t.actorId, t.fromDate)
	]
);

/**
 * Which series `stance_run` holds and what they were derived from: the series' activity row and
 * series_version counter, its issue's scale and change rules, as one text (queries/changes.ts,
 * STAMP_SQL). A stamp that differs from the live one marks the series' rows stale.
 */
export const changeSeries = sqliteTable(
	'change_series',
	{
		issueId: integer('issue_id').notNull(),
		actorId: integer('actor_id').notNull(),
		stamp: text('stamp').notNull()
	},
	(t) => [primaryKey({ columns: [t.issueId, t.actorId] })]
);

/**
 * Failed logins (and wrong current passwords) per throttle key (`account:<email>`,
 * `address:<ip>`), one row a failure, in the database so that every app instance on it counts
 * the same failures (auth/throttle.ts). Rows older than the throttle's window are deleted.
 */
export const loginFailure = sqliteTable(
	'login_failure',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		key: text('key').notNull(),
		/** Milliseconds since the epoch. */
		at: integer('at').notNull()
	},
	(t) => [index('login_failure_key_at').on(t.key, t.at), index('login_failure_at').on(t.at)]
);

/**
 * Start-up jobs that only one of several app instances on one database should do (seeding the
 * demo dataset): the instance whose conditional insert claims the row does it, and deletes the row
 * when done. A claim older than its lease may be taken over (its instance died before
 * finishing). See db/startup.ts.
 */
export const startupClaim = sqliteTable('startup_claim', {
	name: text('name').primaryKey(),
	/** Milliseconds since the epoch when it was claimed. */
	at: integer('at').notNull()
});

export type ActorRow = typeof actor.$inferSelect;
export type IssueRow = typeof issue.$inferSelect;
export type EventRow = typeof stanceEvent.$inferSelect;
export type SourceRow = typeof source.$inferSelect;
export type ContextEventRow = typeof contextEvent.$inferSelect;
export type UserRow = typeof user.$inferSelect;

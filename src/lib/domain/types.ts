/** The words of the domain (see DOMAIN.md), shared by store, views and exports. */

export const ACTOR_KINDS = ['country', 'organisation', 'person', 'group'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

export const DATE_PRECISIONS = ['day', 'month', 'year'] as const;
export type DatePrecision = (typeof DATE_PRECISIONS)[number];

export const EVENT_KINDS = ['statement', 'action', 'clarification', 'reversal', 'report'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export const CONFIDENCES = ['low', 'medium', 'high'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

export interface ScaleLabel {
	value: number;
	label: string;
}

export interface Scale {
	min: number;
	max: number;
	labels: ScaleLabel[];
}

export interface Actor {
	slug: string;
	name: string;
	kind: ActorKind;
	parent: string | null;
	role: string | null;
	countryCode: string | null;
	color: string;
}

/**
 * An issue's own change rules (see `ChangeRules` in changes.ts); null: the default. The minimum
 * move is a share of the scale (0..1); the others are days.
 */
export interface IssueRules {
	minShare: number | null;
	walkBackDays: number | null;
	staleAfterDays: number | null;
}

export interface Issue {
	slug: string;
	title: string;
	description: string;
	scale: Scale;
	/** Absent where a view does not need them; the defaults apply then. */
	rules?: IssueRules;
}

export interface Source {
	outlet: string;
	title: string | null;
	url: string | null;
	publishedOn: string | null;
}

/** A stance event as the domain sees it: references are slugs. */
export interface StanceEvent {
	id: number;
	actor: string;
	issue: string;
	speaker: string | null;
	target: string | null;
	date: string;
	datePrecision: DatePrecision;
	position: number;
	/** An uncertainty interval around the position (both or neither), on the issue's scale. */
	positionLow?: number | null;
	positionHigh?: number | null;
	kind: EventKind;
	summary: string;
	quote: string | null;
	quoteLanguage: string | null;
	confidence: Confidence;
	sources: Source[];
	/** Version, for writes that must not overwrite a newer change. */
	version?: number;
	/** When the event was recorded; orders events that share a date. */
	createdAt: string;
}

/** Who may do what: viewers read, editors write actors, issues and events, admins also manage users and tokens. */
export const ROLES = ['viewer', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const TOKEN_SCOPES = ['read', 'write'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/** What the history records. */
export const ENTITIES = ['actor', 'issue', 'event', 'import', 'confirmation', 'context'] as const;
export type Entity = (typeof ENTITIES)[number];
export const CHANGE_ACTIONS = ['create', 'update', 'delete', 'restore'] as const;
export type ChangeAction = (typeof CHANGE_ACTIONS)[number];
export const WRITE_CHANNELS = ['form', 'api', 'import', 'seed'] as const;
export type WriteChannel = (typeof WRITE_CHANNELS)[number];

/** Bulk import formats and the life of an import (see server/import). */
export const IMPORT_FORMATS = ['csv', 'json', 'gdelt', 'ideal-points'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
export const IMPORT_STATUSES = ['running', 'done', 'failed', 'abandoned'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

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

export interface Issue {
	slug: string;
	title: string;
	description: string;
	scale: Scale;
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
	kind: EventKind;
	summary: string;
	quote: string | null;
	quoteLanguage: string | null;
	confidence: Confidence;
	sources: Source[];
	/** When the event was recorded; orders events that share a date. */
	createdAt: string;
}

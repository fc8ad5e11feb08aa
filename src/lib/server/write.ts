import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from './db/client';
import { enqueueWrite } from './db/queue';
import { actor, change, issue, scaleLabel, source, stanceEvent } from './db/schema';
import { fallbackActorColor } from '../domain/colors';
import { periodStart, today } from '../domain/dates';
import { isOnScale, validateScale } from '../domain/scale';
import type { ChangeAction, Entity, Scale, WriteChannel } from '../domain/types';
import {
	actorInputSchema,
	datasetSchema,
	eventInputSchema,
	issueInputSchema,
	toProblems,
	type ActorInput,
	type Dataset,
	type EventInput,
	type IssueInput,
	type Problem
} from '../schemas/dataset';

/** Input that was refused; `problems` name each field, row or item at fault. Nothing was written. */
export class ValidationError extends Error {
	constructor(public readonly problems: Problem[]) {
		super(
			`${problems.length} problem${problems.length === 1 ? '' : 's'}: ` +
				problems
					.slice(0, 5)
					.map((p) => `${p.path}: ${p.message}`)
					.join('; ') +
				(problems.length > 5 ? '; …' : '')
		);
		this.name = 'ValidationError';
	}
}

/** A write based on a version that is no longer current. Nothing was written. */
export class ConflictError extends Error {
	constructor(
		public readonly current: Record<string, unknown>,
		public readonly currentVersion: number
	) {
		super(`stale version: the record is now at version ${currentVersion}`);
		this.name = 'ConflictError';
	}
}

export class NotFoundError extends Error {
	constructor(what: string) {
		super(`${what} not found`);
		this.name = 'NotFoundError';
	}
}

/** Who writes, and through what: recorded in the history with every change. */
export interface Author {
	userId: number | null;
	tokenId?: number | null;
	via: WriteChannel;
}

export const SEED_AUTHOR: Author = { userId: null, via: 'seed' };

export interface WriteSummary {
	actors: number;
	issues: number;
	events: number;
}

const STAMP = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;

const idOf = (table: 'actor' | 'issue', slug: string | null): SQL | null =>
	slug === null ? null : sql`(select id from ${sql.identifier(table)} where slug = ${slug})`;

// ---------------------------------------------------------------------------------------------
// What the database holds, as inputs: the "before" of every change and the base of every check.

interface Known {
	actors: Map<string, ActorInput & { id: number; deleted: boolean }>;
	issues: Map<string, IssueInput & { id: number; deleted: boolean }>;
}

async function loadKnown(db: Db): Promise<Known> {
	const [actorRows, issueRows, labelRows] = await Promise.all([
		db
			.select({
				id: actor.id,
				slug: actor.slug,
				name: actor.name,
				kind: actor.kind,
				parentId: actor.parentId,
				role: actor.role,
				countryCode: actor.countryCode,
				color: actor.color,
				deletedAt: actor.deletedAt
			})
			.from(actor),
		db.select().from(issue),
		db.select().from(scaleLabel)
	]);
	const slugById = new Map(actorRows.map((a) => [a.id, a.slug]));
	return {
		actors: new Map(
			actorRows.map((a) => [
				a.slug,
				{
					id: a.id,
					slug: a.slug,
					name: a.name,
					kind: a.kind,
					parent: a.parentId === null ? null : (slugById.get(a.parentId) ?? null),
					role: a.role,
					countryCode: a.countryCode,
					color: a.color,
					deleted: a.deletedAt !== null
				}
			])
		),
		issues: new Map(
			issueRows.map((i) => [
				i.slug,
				{
					id: i.id,
					slug: i.slug,
					title: i.title,
					description: i.description,
					scale: {
						min: i.scaleMin,
						max: i.scaleMax,
						labels: labelRows
							.filter((l) => l.issueId === i.id)
							.sort((a, b) => a.value - b.value)
							.map((l) => ({ value: l.value, label: l.label }))
					},
					deleted: i.deletedAt !== null
				}
			])
		)
	};
}

const live = <T extends { deleted: boolean }>(m: Map<string, T>) => new Set([...m].filter(([, v]) => !v.deleted).map(([k]) => k));

/** Checks what the schema cannot: references, scales, positions on them, dates not in the future. */
function crossCheck(data: Dataset, known: Known, now: string): Problem[] {
	const problems: Problem[] = [];
	const actors = live(known.actors);
	const parents = new Map([...known.actors].map(([slug, a]) => [slug, a.parent]));
	const seenActors = new Set<string>();
	data.actors.forEach((a, i) => {
		if (seenActors.has(a.slug)) problems.push({ path: `actors[${i}].slug`, message: `"${a.slug}" appears twice` });
		seenActors.add(a.slug);
		if (a.parent !== null) {
			if (a.parent === a.slug) problems.push({ path: `actors[${i}].parent`, message: 'an actor cannot speak for itself' });
			else if (!actors.has(a.parent)) {
				problems.push({
					path: `actors[${i}].parent`,
					message: `unknown actor "${a.parent}" (a parent must exist or come earlier in the file)`
				});
			} else {
				// Walk up from the parent: reaching this actor again would make a cycle.
				let up: string | null = a.parent;
				for (let steps = 0; up !== null && steps < 1000; steps++) {
					if (up === a.slug) {
						problems.push({ path: `actors[${i}].parent`, message: `"${a.parent}" already speaks for "${a.slug}"` });
						break;
					}
					up = parents.get(up) ?? null;
				}
			}
		}
		parents.set(a.slug, a.parent);
		actors.add(a.slug);
	});
	const scales = new Map([...known.issues].filter(([, v]) => !v.deleted).map(([k, v]) => [k, v.scale as Scale]));
	const seenIssues = new Set<string>();
	data.issues.forEach((s, i) => {
		if (seenIssues.has(s.slug)) problems.push({ path: `issues[${i}].slug`, message: `"${s.slug}" appears twice` });
		seenIssues.add(s.slug);
		for (const p of validateScale(s.scale)) problems.push({ path: `issues[${i}].scale.${p.field}`, message: p.message });
		scales.set(s.slug, s.scale);
	});
	data.events.forEach((e, i) => {
		const at = `events[${i}]`;
		if (!actors.has(e.actor)) problems.push({ path: `${at}.actor`, message: `unknown actor "${e.actor}"` });
		for (const field of ['speaker', 'target'] as const) {
			const slug = e[field];
			if (slug !== null && !actors.has(slug)) problems.push({ path: `${at}.${field}`, message: `unknown actor "${slug}"` });
		}
		const scale = scales.get(e.issue);
		if (!scale) problems.push({ path: `${at}.issue`, message: `unknown issue "${e.issue}"` });
		else if (!isOnScale(scale, e.position)) {
			problems.push({
				path: `${at}.position`,
				message: `${e.position} is off the scale of "${e.issue}" (${scale.min} to ${scale.max})`
			});
		}
		if (periodStart(e.date, e.datePrecision) > now) problems.push({ path: `${at}.date`, message: 'must not be in the future' });
		e.sources.forEach((s, j) => {
			if (s.publishedOn !== null && s.publishedOn > now) {
				problems.push({ path: `${at}.sources[${j}].publishedOn`, message: 'must not be in the future' });
			}
		});
	});
	return problems;
}

// ---------------------------------------------------------------------------------------------
// Statements.

function historyRow(
	db: Db,
	by: Author,
	entity: Entity,
	entityId: number | SQL,
	action: ChangeAction,
	before: unknown,
	after: unknown
): BatchItem<'sqlite'> {
	return db.insert(change).values({
		entity,
		entityId: entityId as number,
		action,
		userId: by.userId,
		tokenId: by.tokenId ?? null,
		via: by.via,
		before: before === null ? null : JSON.stringify(before),
		after: after === null ? null : JSON.stringify(after)
	});
}

function actorValues(a: ActorInput) {
	return {
		name: a.name,
		kind: a.kind,
		parentId: idOf('actor', a.parent),
		role: a.role,
		countryCode: a.countryCode,
		color: a.color ?? fallbackActorColor(a.slug)
	};
}

function issueStatements(db: Db, s: IssueInput): BatchItem<'sqlite'>[] {
	return [
		db.delete(scaleLabel).where(sql`${scaleLabel.issueId} = ${idOf('issue', s.slug)}`),
		db.insert(scaleLabel).values(s.scale.labels.map((l) => ({ issueId: idOf('issue', s.slug)!, value: l.value, label: l.label })))
	];
}

function eventValues(e: EventInput) {
	return {
		actorId: idOf('actor', e.actor)!,
		issueId: idOf('issue', e.issue)!,
		date: periodStart(e.date, e.datePrecision),
		datePrecision: e.datePrecision,
		position: e.position,
		kind: e.kind,
		summary: e.summary,
		quote: e.quote,
		quoteLanguage: e.quoteLanguage,
		speakerId: idOf('actor', e.speaker),
		targetId: idOf('actor', e.target),
		confidence: e.confidence
	};
}

function sourceRows(eventId: number | SQL, e: EventInput) {
	return e.sources.map((s, ordinal) => ({
		eventId: eventId as number,
		ordinal,
		outlet: s.outlet,
		title: s.title,
		url: s.url,
		publishedOn: s.publishedOn
	}));
}

/** An event as the history records it: its input, normalised. */
const eventRecord = (e: EventInput) => ({ ...e, date: periodStart(e.date, e.datePrecision) });

// Inside a batch's transaction the newest event id is the one just inserted.
const LAST_EVENT = sql`(select max(id) from ${stanceEvent})`;

function datasetStatements(db: Db, data: Dataset, known: Known, by: Author): BatchItem<'sqlite'>[] {
	const out: BatchItem<'sqlite'>[] = [];
	for (const a of data.actors) {
		const values = actorValues(a);
		const before = known.actors.get(a.slug);
		out.push(
			db
				.insert(actor)
				.values({ slug: a.slug, ...values })
				.onConflictDoUpdate({
					target: actor.slug,
					set: { ...values, deletedAt: null, version: sql`${actor.version} + 1`, updatedAt: STAMP }
				})
		);
		const { id: _id, deleted: _d, ...beforeInput } = before ?? { id: 0, deleted: false };
		out.push(historyRow(db, by, 'actor', idOf('actor', a.slug)!, before ? 'update' : 'create', before ? beforeInput : null, { ...a, color: values.color }));
	}
	for (const s of data.issues) {
		const values = { title: s.title, description: s.description, scaleMin: s.scale.min, scaleMax: s.scale.max };
		const before = known.issues.get(s.slug);
		out.push(
			db
				.insert(issue)
				.values({ slug: s.slug, ...values })
				.onConflictDoUpdate({
					target: issue.slug,
					set: { ...values, deletedAt: null, version: sql`${issue.version} + 1`, updatedAt: STAMP }
				})
		);
		out.push(...issueStatements(db, s));
		const { id: _id, deleted: _d, ...beforeInput } = before ?? { id: 0, deleted: false };
		out.push(historyRow(db, by, 'issue', idOf('issue', s.slug)!, before ? 'update' : 'create', before ? beforeInput : null, s));
	}
	for (const e of data.events) {
		out.push(db.insert(stanceEvent).values(eventValues(e)));
		out.push(db.insert(source).values(sourceRows(LAST_EVENT, e)));
		out.push(historyRow(db, by, 'event', LAST_EVENT, 'create', null, eventRecord(e)));
	}
	return out;
}

async function runBatch(db: Db, batch: BatchItem<'sqlite'>[]) {
	if (batch.length) return db.batch(batch as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]);
	return [];
}

/**
 * The one write path for bulk input: validates a dataset (actors, issues and events, any of them
 * empty) against its schema and what the database holds, then writes it all in one batch, or
 * nothing at all. Actors and issues are matched by slug (updated when they exist); events are
 * added. Every record written is recorded in the history.
 * @throws ValidationError naming every problem, before anything is written.
 */
export async function writeDataset(
	db: Db,
	input: unknown,
	options: { now?: string; by?: Author } | string = {}
): Promise<WriteSummary> {
	const { now = today(), by = { userId: null, via: 'import' } } = typeof options === 'string' ? { now: options } : options;
	const parsed = datasetSchema.safeParse(input);
	if (!parsed.success) throw new ValidationError(toProblems(parsed.error));
	const data = parsed.data;
	return enqueueWrite(db.$client, async () => {
		const known = await loadKnown(db);
		const problems = crossCheck(data, known, now);
		if (problems.length) throw new ValidationError(problems);
		await runBatch(db, datasetStatements(db, data, known, by));
		return { actors: data.actors.length, issues: data.issues.length, events: data.events.length };
	});
}

// ---------------------------------------------------------------------------------------------
// Single records: create, update (with the version read), delete (soft) and restore.

/** Problems of a one-record dataset, with paths relative to the record ("position", "sources[0].url"). */
function relative(problems: Problem[], prefix: string): Problem[] {
	return problems.map((p) => ({ ...p, path: p.path.startsWith(prefix) ? p.path.slice(prefix.length).replace(/^\./, '') : p.path }));
}

function parseOne<T>(schema: { safeParse: (x: unknown) => { success: true; data: T } | { success: false; error: import('zod').ZodError } }, input: unknown): T {
	const r = schema.safeParse(input);
	if (!r.success) throw new ValidationError(toProblems(r.error));
	return r.data;
}

/** The stored event with the given id, as input (slugs), with its version; deleted ones too. */
async function currentEvent(db: Db, id: number): Promise<{ input: EventInput; version: number; deleted: boolean } | null> {
	const sp = sql`(select slug from actor where id = ${stanceEvent.speakerId})`;
	const tg = sql`(select slug from actor where id = ${stanceEvent.targetId})`;
	const [row] = await db
		.select({
			actor: sql<string>`(select slug from actor where id = ${stanceEvent.actorId})`,
			issue: sql<string>`(select slug from issue where id = ${stanceEvent.issueId})`,
			speaker: sql<string | null>`${sp}`,
			target: sql<string | null>`${tg}`,
			date: stanceEvent.date,
			datePrecision: stanceEvent.datePrecision,
			position: stanceEvent.position,
			kind: stanceEvent.kind,
			summary: stanceEvent.summary,
			quote: stanceEvent.quote,
			quoteLanguage: stanceEvent.quoteLanguage,
			confidence: stanceEvent.confidence,
			version: stanceEvent.version,
			deletedAt: stanceEvent.deletedAt
		})
		.from(stanceEvent)
		.where(eq(stanceEvent.id, id));
	if (!row) return null;
	const sources = await db
		.select({ outlet: source.outlet, title: source.title, url: source.url, publishedOn: source.publishedOn })
		.from(source)
		.where(eq(source.eventId, id))
		.orderBy(source.ordinal);
	const { version, deletedAt, ...rest } = row;
	return { input: { ...rest, sources }, version, deleted: deletedAt !== null };
}

function checkVersion(given: number | undefined, current: number, record: Record<string, unknown>) {
	if (given === undefined) throw new ValidationError([{ path: 'version', message: 'is required: send the version you read' }]);
	if (!Number.isInteger(given)) throw new ValidationError([{ path: 'version', message: 'must be a whole number' }]);
	if (given !== current) throw new ConflictError({ ...record, version: current }, current);
}

/** Records a new event. @returns its id and version. */
export async function createEvent(db: Db, input: unknown, by: Author, now = today()): Promise<{ id: number; version: number }> {
	const e = parseOne(eventInputSchema, input);
	return enqueueWrite(db.$client, async () => {
		const problems = relative(crossCheck({ format: 'stance-tracker/v1', actors: [], issues: [], events: [e] }, await loadKnown(db), now), 'events[0]');
		if (problems.length) throw new ValidationError(problems);
		const [inserted] = (await runBatch(db, [
			db.insert(stanceEvent).values(eventValues(e)).returning({ id: stanceEvent.id }),
			db.insert(source).values(sourceRows(LAST_EVENT, e)),
			historyRow(db, by, 'event', LAST_EVENT, 'create', null, eventRecord(e))
		])) as [{ id: number }[]];
		return { id: inserted[0]!.id, version: 1 };
	});
}

/**
 * Changes an event: `patch` holds the fields to change and the `version` they were read at.
 * @throws ConflictError when the event changed since; ValidationError; NotFoundError.
 */
export async function updateEvent(
	db: Db,
	id: number,
	patch: Record<string, unknown>,
	by: Author,
	now = today()
): Promise<{ id: number; version: number }> {
	return enqueueWrite(db.$client, async () => {
		const cur = await currentEvent(db, id);
		if (!cur || cur.deleted) throw new NotFoundError(`event ${id}`);
		const { version, ...fields } = patch;
		checkVersion(version as number | undefined, cur.version, { id, ...cur.input });
		const e = parseOne(eventInputSchema, { ...cur.input, ...fields });
		const problems = relative(crossCheck({ format: 'stance-tracker/v1', actors: [], issues: [], events: [e] }, await loadKnown(db), now), 'events[0]');
		if (problems.length) throw new ValidationError(problems);
		await runBatch(db, [
			db
				.update(stanceEvent)
				.set({ ...eventValues(e), version: sql`${stanceEvent.version} + 1`, updatedAt: STAMP })
				.where(and(eq(stanceEvent.id, id), eq(stanceEvent.version, cur.version))),
			db.delete(source).where(eq(source.eventId, id)),
			db.insert(source).values(sourceRows(id, e)),
			historyRow(db, by, 'event', id, 'update', eventRecord(cur.input), eventRecord(e))
		]);
		return { id, version: cur.version + 1 };
	});
}

/** Soft-deletes an event (charts and the API stop showing it); `version`, when given, must be current. */
export async function deleteEvent(db: Db, id: number, version: number | undefined, by: Author): Promise<{ id: number; version: number }> {
	return enqueueWrite(db.$client, async () => {
		const cur = await currentEvent(db, id);
		if (!cur || cur.deleted) throw new NotFoundError(`event ${id}`);
		if (version !== undefined) checkVersion(version, cur.version, { id, ...cur.input });
		await runBatch(db, [
			db
				.update(stanceEvent)
				.set({ deletedAt: STAMP, version: sql`${stanceEvent.version} + 1`, updatedAt: STAMP })
				.where(eq(stanceEvent.id, id)),
			historyRow(db, by, 'event', id, 'delete', eventRecord(cur.input), null)
		]);
		return { id, version: cur.version + 1 };
	});
}

/** Brings back a deleted event. */
export async function restoreEvent(db: Db, id: number, by: Author): Promise<{ id: number; version: number }> {
	return enqueueWrite(db.$client, async () => {
		const cur = await currentEvent(db, id);
		if (!cur || !cur.deleted) throw new NotFoundError(`deleted event ${id}`);
		const known = await loadKnown(db);
		if (known.actors.get(cur.input.actor)?.deleted || known.issues.get(cur.input.issue)?.deleted) {
			throw new ValidationError([{ path: 'id', message: 'restore its actor and issue first' }]);
		}
		await runBatch(db, [
			db
				.update(stanceEvent)
				.set({ deletedAt: null, version: sql`${stanceEvent.version} + 1`, updatedAt: STAMP })
				.where(eq(stanceEvent.id, id)),
			historyRow(db, by, 'event', id, 'restore', null, eventRecord(cur.input))
		]);
		return { id, version: cur.version + 1 };
	});
}

async function versionOf(db: Db, table: typeof actor | typeof issue, slug: string) {
	const [row] = await db.select({ id: table.id, version: table.version, deletedAt: table.deletedAt }).from(table).where(eq(table.slug, slug));
	return row ?? null;
}

/** Adds an actor (slug must be new). */
export async function createActor(db: Db, input: unknown, by: Author): Promise<{ slug: string; version: number }> {
	const a = parseOne(actorInputSchema, input);
	return enqueueWrite(db.$client, async () => {
		const known = await loadKnown(db);
		if (known.actors.has(a.slug)) throw new ValidationError([{ path: 'slug', message: `"${a.slug}" is taken` }]);
		const problems = relative(crossCheck({ format: 'stance-tracker/v1', actors: [a], issues: [], events: [] }, known, today()), 'actors[0]');
		if (problems.length) throw new ValidationError(problems);
		await runBatch(db, datasetStatements(db, { format: 'stance-tracker/v1', actors: [a], issues: [], events: [] }, known, by));
		return { slug: a.slug, version: 1 };
	});
}

/** Changes an actor; `patch.version` must be current. The slug cannot change. */
export async function updateActor(db: Db, slug: string, patch: Record<string, unknown>, by: Author): Promise<{ slug: string; version: number }> {
	return enqueueWrite(db.$client, async () => {
		const known = await loadKnown(db);
		const cur = known.actors.get(slug);
		const row = await versionOf(db, actor, slug);
		if (!cur || cur.deleted || !row) throw new NotFoundError(`actor "${slug}"`);
		const { id: _id, deleted: _d, ...before } = cur;
		const { version, ...fields } = patch;
		checkVersion(version as number | undefined, row.version, before);
		const a = parseOne(actorInputSchema, { ...before, ...fields, slug });
		const problems = relative(crossCheck({ format: 'stance-tracker/v1', actors: [a], issues: [], events: [] }, known, today()), 'actors[0]');
		if (problems.length) throw new ValidationError(problems);
		await runBatch(db, [
			db
				.update(actor)
				.set({ ...actorValues(a), version: sql`${actor.version} + 1`, updatedAt: STAMP })
				.where(eq(actor.id, row.id)),
			historyRow(db, by, 'actor', row.id, 'update', before, { ...a, color: actorValues(a).color })
		]);
		return { slug, version: row.version + 1 };
	});
}

/** Adds an issue (slug must be new). */
export async function createIssue(db: Db, input: unknown, by: Author): Promise<{ slug: string; version: number }> {
	const s = parseOne(issueInputSchema, input);
	return enqueueWrite(db.$client, async () => {
		const known = await loadKnown(db);
		if (known.issues.has(s.slug)) throw new ValidationError([{ path: 'slug', message: `"${s.slug}" is taken` }]);
		const problems = relative(crossCheck({ format: 'stance-tracker/v1', actors: [], issues: [s], events: [] }, known, today()), 'issues[0]');
		if (problems.length) throw new ValidationError(problems);
		await runBatch(db, datasetStatements(db, { format: 'stance-tracker/v1', actors: [], issues: [s], events: [] }, known, by));
		return { slug: s.slug, version: 1 };
	});
}

/** Changes an issue; `patch.version` must be current. A new scale must still hold every event's position. */
export async function updateIssue(db: Db, slug: string, patch: Record<string, unknown>, by: Author): Promise<{ slug: string; version: number }> {
	return enqueueWrite(db.$client, async () => {
		const known = await loadKnown(db);
		const cur = known.issues.get(slug);
		const row = await versionOf(db, issue, slug);
		if (!cur || cur.deleted || !row) throw new NotFoundError(`issue "${slug}"`);
		const { id: _id, deleted: _d, ...before } = cur;
		const { version, ...fields } = patch;
		checkVersion(version as number | undefined, row.version, before);
		const s = parseOne(issueInputSchema, { ...before, ...fields, slug });
		const problems = relative(crossCheck({ format: 'stance-tracker/v1', actors: [], issues: [s], events: [] }, known, today()), 'issues[0]');
		const [off] = await db
			.select({ n: sql<number>`count(*)` })
			.from(stanceEvent)
			.where(and(eq(stanceEvent.issueId, row.id), isNull(stanceEvent.deletedAt), sql`(${stanceEvent.position} < ${s.scale.min} or ${stanceEvent.position} > ${s.scale.max})`));
		if (off && off.n > 0) problems.push({ path: 'scale.min', message: `${off.n} event(s) on this issue would fall off the new scale` });
		if (problems.length) throw new ValidationError(problems);
		await runBatch(db, [
			db
				.update(issue)
				.set({ title: s.title, description: s.description, scaleMin: s.scale.min, scaleMax: s.scale.max, version: sql`${issue.version} + 1`, updatedAt: STAMP })
				.where(eq(issue.id, row.id)),
			...issueStatements(db, s),
			historyRow(db, by, 'issue', row.id, 'update', before, s)
		]);
		return { slug, version: row.version + 1 };
	});
}

/** Soft-deletes or restores an actor or an issue (its events are hidden with it). */
export async function setDeleted(
	db: Db,
	entity: 'actor' | 'issue',
	slug: string,
	deleted: boolean,
	version: number | undefined,
	by: Author
): Promise<{ slug: string; version: number }> {
	const table = entity === 'actor' ? actor : issue;
	return enqueueWrite(db.$client, async () => {
		const known = await loadKnown(db);
		const cur = entity === 'actor' ? known.actors.get(slug) : known.issues.get(slug);
		const row = await versionOf(db, table, slug);
		if (!cur || !row || cur.deleted === deleted) throw new NotFoundError(`${deleted ? '' : 'deleted '}${entity} "${slug}"`);
		const { id: _id, deleted: _d, ...record } = cur;
		if (version !== undefined) checkVersion(version, row.version, record);
		await runBatch(db, [
			db
				.update(table)
				.set({ deletedAt: deleted ? STAMP : null, version: sql`${table.version} + 1`, updatedAt: STAMP })
				.where(eq(table.id, row.id)),
			historyRow(db, by, entity, row.id, deleted ? 'delete' : 'restore', deleted ? record : null, deleted ? null : record)
		]);
		return { slug, version: row.version + 1 };
	});
}

import { sql, type SQL } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from './db/client';
import { enqueueWrite } from './db/queue';
import { actor, issue, scaleLabel, source, stanceEvent } from './db/schema';
import { fallbackActorColor } from '../domain/colors';
import { periodStart, today } from '../domain/dates';
import { isOnScale, validateScale } from '../domain/scale';
import type { Scale } from '../domain/types';
import { datasetSchema, toProblems, type Dataset, type Problem } from '../schemas/dataset';

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

export interface WriteSummary {
	actors: number;
	issues: number;
	events: number;
}

interface Known {
	actors: Set<string>;
	scales: Map<string, Scale>;
}

async function loadKnown(db: Db): Promise<Known> {
	const [actorRows, issueRows, labelRows] = await Promise.all([
		db.select({ slug: actor.slug }).from(actor),
		db.select({ id: issue.id, slug: issue.slug, min: issue.scaleMin, max: issue.scaleMax }).from(issue),
		db.select().from(scaleLabel)
	]);
	return {
		actors: new Set(actorRows.map((a) => a.slug)),
		scales: new Map(
			issueRows.map((i) => [
				i.slug,
				{
					min: i.min,
					max: i.max,
					labels: labelRows.filter((l) => l.issueId === i.id).map((l) => ({ value: l.value, label: l.label }))
				}
			])
		)
	};
}

/** Checks what the schema cannot: references, scales, positions on them, dates not in the future. */
function crossCheck(data: Dataset, known: Known, now: string): Problem[] {
	const problems: Problem[] = [];
	const actors = new Set(known.actors);
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
			}
		}
		actors.add(a.slug);
	});
	const scales = new Map(known.scales);
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

const idOf = (table: 'actor' | 'issue', slug: string | null): SQL | null =>
	slug === null ? null : sql`(select id from ${sql.identifier(table)} where slug = ${slug})`;

const STAMP = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;

function statements(db: Db, data: Dataset): BatchItem<'sqlite'>[] {
	const out: BatchItem<'sqlite'>[] = [];
	for (const a of data.actors) {
		const values = {
			name: a.name,
			kind: a.kind,
			parentId: idOf('actor', a.parent),
			role: a.role,
			countryCode: a.countryCode,
			color: a.color ?? fallbackActorColor(a.slug)
		};
		out.push(
			db
				.insert(actor)
				.values({ slug: a.slug, ...values })
				.onConflictDoUpdate({
					target: actor.slug,
					set: { ...values, version: sql`${actor.version} + 1`, updatedAt: STAMP }
				})
		);
	}
	for (const s of data.issues) {
		const values = { title: s.title, description: s.description, scaleMin: s.scale.min, scaleMax: s.scale.max };
		out.push(
			db
				.insert(issue)
				.values({ slug: s.slug, ...values })
				.onConflictDoUpdate({
					target: issue.slug,
					set: { ...values, version: sql`${issue.version} + 1`, updatedAt: STAMP }
				})
		);
		out.push(db.delete(scaleLabel).where(sql`${scaleLabel.issueId} = ${idOf('issue', s.slug)}`));
		out.push(
			db.insert(scaleLabel).values(
				s.scale.labels.map((l) => ({ issueId: idOf('issue', s.slug)!, value: l.value, label: l.label }))
			)
		);
	}
	for (const e of data.events) {
		out.push(
			db.insert(stanceEvent).values({
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
			})
		);
		// Inside the batch's transaction the newest event id is the one just inserted.
		out.push(
			db.insert(source).values(
				e.sources.map((s, ordinal) => ({
					eventId: sql`(select max(id) from ${stanceEvent})`,
					ordinal,
					outlet: s.outlet,
					title: s.title,
					url: s.url,
					publishedOn: s.publishedOn
				}))
			)
		);
	}
	return out;
}

/**
 * The one write path: validates a dataset (actors, issues and events, any of them empty) against
 * its schema and what the database holds, then writes it all in one batch, or nothing at all.
 * Actors and issues are matched by slug (updated when they exist); events are added.
 * @throws ValidationError naming every problem, before anything is written.
 */
export async function writeDataset(db: Db, input: unknown, now = today()): Promise<WriteSummary> {
	const parsed = datasetSchema.safeParse(input);
	if (!parsed.success) throw new ValidationError(toProblems(parsed.error));
	const data = parsed.data;
	return enqueueWrite(db.$client, async () => {
		const problems = crossCheck(data, await loadKnown(db), now);
		if (problems.length) throw new ValidationError(problems);
		const batch = statements(db, data);
		if (batch.length) await db.batch(batch as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]);
		return { actors: data.actors.length, issues: data.issues.length, events: data.events.length };
	});
}

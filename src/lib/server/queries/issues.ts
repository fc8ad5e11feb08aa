import { and, asc, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import type { Db } from '../db/client';
import { issue, scaleLabel } from '../db/schema';
import type { Issue } from '../../domain/types';
import { issueThen, type AsOfDelta } from './asofDelta';

async function withLabels(db: Db, rows: (typeof issue.$inferSelect)[]): Promise<Issue[]> {
	if (rows.length === 0) return [];
	const labels = await db
		.select()
		.from(scaleLabel)
		.where(
			inArray(
				scaleLabel.issueId,
				rows.map((r) => r.id)
			)
		)
		.orderBy(asc(scaleLabel.value));
	return rows.map((r) => ({
		slug: r.slug,
		title: r.title,
		description: r.description,
		scale: {
			min: r.scaleMin,
			max: r.scaleMax,
			labels: labels
				.filter((l) => l.issueId === r.id)
				.map((l) => ({ value: l.value, label: l.label }))
		},
		rules: { minShare: r.changeMinShare, walkBackDays: r.walkBackDays, staleAfterDays: r.staleAfterDays }
	}));
}

/**
 * Every live issue with its scale, by title. With `at` (a moment's delta), the issues in the
 * record then (one deleted since too), as they stood then.
 */
export async function list(db: Db, { at }: { at?: AsOfDelta } = {}): Promise<Issue[]> {
	if (!at) return withLabels(db, await db.select().from(issue).where(isNull(issue.deletedAt)).orderBy(asc(issue.title)));
	const then = (await withLabels(db, await db.select().from(issue))).flatMap((i) => issueThen(at, i) ?? []);
	return then.sort((a, b) => (a.title < b.title ? -1 : a.title > b.title ? 1 : 0));
}

/** A live issue by slug; with `at`, the issue in the record then (deleted since or not), as it stood then. */
export async function bySlug(db: Db, slug: string, { at }: { at?: AsOfDelta } = {}): Promise<Issue | null> {
	const rows = await db.select().from(issue).where(at ? eq(issue.slug, slug) : and(eq(issue.slug, slug), isNull(issue.deletedAt)));
	const found = (await withLabels(db, rows))[0] ?? null;
	return found && at ? issueThen(at, found) : found;
}

/** Deleted issues, for the trash. */
export async function deleted(db: Db): Promise<{ slug: string; title: string; version: number; deletedAt: string }[]> {
	const rows = await db
		.select({ slug: issue.slug, title: issue.title, version: issue.version, deletedAt: issue.deletedAt })
		.from(issue)
		.where(isNotNull(issue.deletedAt))
		.orderBy(asc(issue.title));
	return rows as { slug: string; title: string; version: number; deletedAt: string }[];
}

/** An issue's version, for forms that edit it. */
export async function versionOf(db: Db, slug: string): Promise<number | null> {
	const [row] = await db.select({ version: issue.version }).from(issue).where(and(eq(issue.slug, slug), isNull(issue.deletedAt)));
	return row?.version ?? null;
}

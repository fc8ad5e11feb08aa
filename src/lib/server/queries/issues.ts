import { and, asc, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import type { Db } from '../db/client';
import { issue, scaleLabel } from '../db/schema';
import type { Issue } from '../../domain/types';

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

/** Every issue with its scale, by title. */
export async function list(db: Db): Promise<Issue[]> {
	return withLabels(db, await db.select().from(issue).where(isNull(issue.deletedAt)).orderBy(asc(issue.title)));
}

export async function bySlug(db: Db, slug: string): Promise<Issue | null> {
	const rows = await db.select().from(issue).where(and(eq(issue.slug, slug), isNull(issue.deletedAt)));
	return (await withLabels(db, rows))[0] ?? null;
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

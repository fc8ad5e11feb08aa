import { asc, eq, inArray } from 'drizzle-orm';
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
		}
	}));
}

/** Every issue with its scale, by title. */
export async function list(db: Db): Promise<Issue[]> {
	return withLabels(db, await db.select().from(issue).orderBy(asc(issue.title)));
}

export async function bySlug(db: Db, slug: string): Promise<Issue | null> {
	const rows = await db.select().from(issue).where(eq(issue.slug, slug));
	return (await withLabels(db, rows))[0] ?? null;
}

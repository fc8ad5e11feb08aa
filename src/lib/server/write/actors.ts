/** The actor writer: create and update. Deleting and restoring are in `deleted.ts`. */
import type { Db } from '../db/client';
import { enqueueWrite } from '../db/queue';
import { actor } from '../db/schema';
import { today } from '../../domain/dates';
import { createChecker } from '../../domain/rules';
import { actorInputSchema } from '../../schemas/dataset';
import { NotFoundError, ValidationError, type Author } from './errors';
import { checkVersion, parseOne, refuseIf } from './input';
import { asInput, loadKnown, lookupsOf, rowOf } from './known';
import { currentRecord, recordAtVersion, runGuarded } from './guarded';
import { actorRecord, actorValues, historyRow, idOf, runBatch, upsertActor } from './statements';

type Written = { slug: string; version: number };

/** Adds an actor (slug must be new). */
export async function createActor(db: Db, input: unknown, by: Author): Promise<Written> {
	const a = parseOne(actorInputSchema, input);
	return enqueueWrite(db.$client, async () => {
		const known = await loadKnown(db);
		if (known.actors.has(a.slug)) throw new ValidationError([{ path: 'slug', message: `"${a.slug}" is taken` }]);
		refuseIf(createChecker(lookupsOf(known), today()).actor(a));
		await runBatch(db, [upsertActor(db, a), historyRow(db, by, 'actor', idOf('actor', a.slug)!, 'create', null, actorRecord(a))]);
		return { slug: a.slug, version: 1 };
	});
}

/** Changes an actor; `patch.version` must be current. The slug cannot change. */
export async function updateActor(db: Db, slug: string, patch: Record<string, unknown>, by: Author): Promise<Written> {
	return enqueueWrite(db.$client, async () => {
		const known = await loadKnown(db);
		const cur = known.actors.get(slug);
		const row = await rowOf(db, actor, slug);
		if (!cur || cur.deleted || !row) throw new NotFoundError(`actor "${slug}"`);
		const before = asInput(cur);
		const { version, ...fields } = patch;
		checkVersion(version as number | undefined, row.version, before);
		const a = parseOne(actorInputSchema, { ...before, ...fields, slug });
		refuseIf(createChecker(lookupsOf(known), today()).actor(a));
		await runGuarded(db, {
			what: `actor "${slug}"`,
			reread: () => currentRecord(db, 'actor', slug),
			versionGiven: true,
			batch: [...recordAtVersion(db, actor, row.id, row.version, actorValues(a)), historyRow(db, by, 'actor', row.id, 'update', before, actorRecord(a))]
		});
		return { slug, version: row.version + 1 };
	});
}

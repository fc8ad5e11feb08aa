import type { StanceEvent } from '../../../src/lib/domain/types';
import type { ExportContext } from '../../../src/lib/server/export';

/** Every event in an export's view, whole, as the data exports read them (page after page). */
export async function eventsOf(ctx: ExportContext, size?: number): Promise<StanceEvent[]> {
	const all: StanceEvent[] = [];
	for await (const page of ctx.eventPages(size)) all.push(...page);
	return all;
}

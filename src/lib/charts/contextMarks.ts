import { contextSpan, contextWhen, type ContextEvent } from '../domain/context';
import type { ContextMark } from './plugins';
import { toDay } from './timeAxis';

/** Context events as a chart draws them: their days and a short label ("2 Sep 2025: First US strike on a boat"). */
export function contextMarks(list: readonly Pick<ContextEvent, 'date' | 'datePrecision' | 'endDate' | 'label'>[]): ContextMark[] {
	return list.map((c) => {
		const span = contextSpan(c);
		return { from: toDay(span.from), to: toDay(span.to), label: `${contextWhen(c, true)}: ${c.label}` };
	});
}

import type { Problem } from '../schemas/dataset';
import { ConflictError, NotFoundError, ValidationError } from './write/errors';

/** How a write from a form went: the write path's refusals as values, other errors rethrown. */
export type Outcome<T> =
	| { kind: 'ok'; value: T }
	| { kind: 'invalid'; problems: Problem[] }
	| { kind: 'conflict'; current: Record<string, unknown>; currentVersion: number }
	| { kind: 'missing'; message: string };

export async function attempt<T>(write: () => Promise<T>): Promise<Outcome<T>> {
	try {
		return { kind: 'ok', value: await write() };
	} catch (e) {
		if (e instanceof ValidationError) return { kind: 'invalid', problems: e.problems };
		if (e instanceof ConflictError) return { kind: 'conflict', current: e.current, currentVersion: e.currentVersion };
		if (e instanceof NotFoundError) return { kind: 'missing', message: e.message };
		throw e;
	}
}

/** The version a form was read at (its hidden field), or undefined for the write path to refuse. */
export function formVersion(fd: FormData, key = 'version'): number | undefined {
	const v = fd.get(key);
	return typeof v === 'string' && /^\d{1,9}$/.test(v) ? Number(v) : undefined;
}

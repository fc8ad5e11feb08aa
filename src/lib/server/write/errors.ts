/** The write path's refusals, and who writes: shared by every writer, auth and the HTTP layer. */
import type { WriteChannel } from '../../domain/types';
import type { Problem } from '../../domain/rules';

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

/** Turning input into what the writers take, or into a ValidationError/ConflictError. */
import type { ZodError } from 'zod';
import type { Problem } from '../../domain/rules';
import { toProblems } from '../../schemas/dataset';
import { ConflictError, ValidationError } from './errors';

/** Parses input through a schema, or throws a ValidationError naming each field. */
export function parseOne<T>(schema: { safeParse: (x: unknown) => { success: true; data: T } | { success: false; error: ZodError } }, input: unknown): T {
	const r = schema.safeParse(input);
	if (!r.success) throw new ValidationError(toProblems(r.error));
	return r.data;
}

/** Throws when there is anything to refuse. */
export function refuseIf(problems: Problem[]): void {
	if (problems.length) throw new ValidationError(problems);
}

/** Checks the version a client read against the current one (the database checks it again, atomically). */
export function checkVersion(given: number | undefined, current: number, record: Record<string, unknown>): void {
	if (given === undefined) throw new ValidationError([{ path: 'version', message: 'is required: send the version you read' }]);
	if (!Number.isInteger(given)) throw new ValidationError([{ path: 'version', message: 'must be a whole number' }]);
	if (given !== current) throw new ConflictError({ ...record, version: current }, current);
}

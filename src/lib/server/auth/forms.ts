import { z } from 'zod';
import type { Problem } from '../../schemas/dataset';

/** Field errors of a refused form, one message per field (the first), keyed by the field's name. */
export function fieldErrors(problems: Problem[]): Record<string, string> {
	const errors: Record<string, string> = {};
	for (const p of problems) {
		const field = p.path.split(/[.[]/)[0] || 'form';
		errors[field] ??= p.message;
	}
	return errors;
}

/** The record id a row's form sends in a hidden field: a positive whole number, or null. */
export function formId(form: FormData, name = 'id'): number | null {
	const r = z.coerce.number().int().positive().safeParse(form.get(name));
	return r.success ? r.data : null;
}

/** A form's text field as a string ('' when missing or a file). */
export function formText(form: FormData, name: string): string {
	const v = form.get(name);
	return typeof v === 'string' ? v : '';
}

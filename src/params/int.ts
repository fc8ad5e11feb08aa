import type { ParamMatcher } from '@sveltejs/kit';

/** A positive whole number id. */
export const match = ((param: string): param is string => /^[1-9]\d{0,15}$/.test(param)) satisfies ParamMatcher;

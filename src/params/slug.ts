import type { ParamMatcher } from '@sveltejs/kit';

/** Refuses anything that cannot be a slug before a load function runs. */
export const match = ((param: string): param is string => /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(param)) satisfies ParamMatcher;

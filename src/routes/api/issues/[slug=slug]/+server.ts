import { recordApi } from '$lib/server/recordApi';
import type { RequestHandler } from './$types';

const api = recordApi('issue');

export const GET: RequestHandler = (event) => api.get(event);
export const PATCH: RequestHandler = (event) => api.patch(event);
export const DELETE: RequestHandler = (event) => api.remove(event);

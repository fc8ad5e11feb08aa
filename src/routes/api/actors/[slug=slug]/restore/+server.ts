import { recordApi } from '$lib/server/recordApi';
import type { RequestHandler } from './$types';

const api = recordApi('actor');

export const POST: RequestHandler = (event) => api.restore(event);

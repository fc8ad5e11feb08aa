import { serveImage } from '$lib/server/render/serve';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = (event) => serveImage(event, 'png');

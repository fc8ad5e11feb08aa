import { serveImage } from '$lib/server/imageRoute';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ url, request }) => serveImage(url, request, 'svg');

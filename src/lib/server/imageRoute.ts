import { db } from './db';
import { exportContext, parseImageSize, sizeFor, specFor } from './export';
import { jsonError } from './http';
import { dataVersion } from './queries/meta';
import { compareSearch } from '../domain/view';
import { today } from '../domain/dates';
import { ImageCache, renderPng, renderSvg } from './render';

const cache = new ImageCache();

/** GET handler of /export/chart.png and /export/chart.svg: validated, cached, with an ETag. */
export async function serveImage(url: URL, request: Request, format: 'png' | 'svg'): Promise<Response> {
	const parsed = parseImageSize(url.searchParams);
	if ('problems' in parsed) return jsonError(400, parsed.problems.join('; '));
	const r = await exportContext(db, url);
	if (!r.ok) return r.response;
	const size = sizeFor(r.ctx, parsed.size);
	const key = [format, compareSearch(r.ctx.loaded.view), size.width, size.height, format === 'png' ? size.scale : 1, await dataVersion(db), today(), url.origin].join('\u0000');
	const { etag, body } = cache.get(key, () => (format === 'png' ? renderPng(specFor(r.ctx, size), size.scale) : renderSvg(specFor(r.ctx, size))));
	const headers = {
		ETag: etag,
		'Cache-Control': 'public, max-age=300',
		'Content-Type': format === 'png' ? 'image/png' : 'image/svg+xml; charset=utf-8',
		'Content-Disposition': `inline; filename="${r.ctx.filename(format)}"`
	};
	if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers });
	return new Response(new Uint8Array(body), { headers });
}

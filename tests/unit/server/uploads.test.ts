import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync } from 'node:fs';
import { appendPiece, beginUpload, UploadRefused } from '../../../src/lib/server/import/uploads';

describe('appendPiece', () => {
	const u = beginUpload(1, 'twice.csv', 8);
	afterAll(() => rmSync(u.dir, { recursive: true, force: true }));

	it('takes a piece sent twice at once (a retry) only once: the second is refused at its offset', async () => {
		const piece = new TextEncoder().encode('abcd');
		const results = await Promise.allSettled([appendPiece(u, 0, piece), appendPiece(u, 0, piece)]);
		expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
		const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
		expect(refused.reason).toBeInstanceOf(UploadRefused);
		expect((refused.reason as UploadRefused).message).toBe('expected the piece at byte 4');
		expect(u.received).toBe(4);
		await appendPiece(u, 4, new TextEncoder().encode('efgh'));
		expect(readFileSync(u.file, 'utf8')).toBe('abcdefgh');
	});
});

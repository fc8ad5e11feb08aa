import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { appendFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../db/client';
import type { Author } from '../write/errors';
import { ImportRefused, runImport, type ImportOptions, type ImportProgress, type ImportReport } from './index';
import { formatBytes } from '../http';

/**
 * Web imports: the browser sends the file in pieces (each under the server's body limit, so the
 * app-wide BODY_SIZE_LIMIT stays small), which are appended to a temporary file; the import then
 * runs in the server and the page polls its progress. The upload limit is this route's alone:
 * IMPORT_UPLOAD_LIMIT (bytes, or with K, M or G; default 200M). Uploads live in this process;
 * each is removed when its import ends or after an hour unused.
 */

export const CHUNK_BYTES = 256 * 1024;

export function uploadLimit(value = process.env.IMPORT_UPLOAD_LIMIT ?? '200M'): number {
	const unit = ({ K: 1024, M: 1024 ** 2, G: 1024 ** 3 } as Record<string, number>)[value.slice(-1).toUpperCase()];
	return unit ? Number(value.slice(0, -1)) * unit : Number(value);
}

export interface Upload {
	id: string;
	userId: number;
	name: string;
	size: number;
	received: number;
	dir: string;
	file: string;
	touched: number;
	progress: ImportProgress | null;
	report: ImportReport | null;
	error: string | null;
	state: 'uploading' | 'importing' | 'done' | 'failed';
}

const uploads = new Map<string, Upload>();
const HOUR = 3_600_000;

function sweep() {
	for (const u of uploads.values()) {
		if (u.state !== 'importing' && Date.now() - u.touched > HOUR) drop(u);
	}
}

function drop(u: Upload) {
	rmSync(u.dir, { recursive: true, force: true });
	uploads.delete(u.id);
}

export class UploadRefused extends Error {
	constructor(
		public readonly status: 400 | 404 | 409 | 413,
		message: string
	) {
		super(message);
	}
}

/** Starts an upload of `size` bytes; refuses one larger than the limit before a byte is sent. */
export function beginUpload(userId: number, name: string, size: number, limit = uploadLimit()): Upload {
	sweep();
	if (!Number.isInteger(size) || size <= 0) throw new UploadRefused(400, 'the file is empty');
	if (size > limit) {
		throw new UploadRefused(413, `the file is ${formatBytes(size)}; imports through this page take at most ${formatBytes(limit)} (IMPORT_UPLOAD_LIMIT). Use the command line for larger files: npm run cli -- import FILE`);
	}
	const dir = mkdtempSync(join(tmpdir(), 'stance-upload-'));
	const safeName = name.replace(/[^\w.\- ]+/g, '_').slice(-120) || 'upload';
	const u: Upload = { id: randomBytes(12).toString('hex'), userId, name: safeName, size, received: 0, dir, file: join(dir, safeName), touched: Date.now(), progress: null, report: null, error: null, state: 'uploading' };
	uploads.set(u.id, u);
	return u;
}

export function findUpload(id: string, userId: number): Upload {
	const u = uploads.get(id);
	if (!u || u.userId !== userId) throw new UploadRefused(404, 'no such upload');
	u.touched = Date.now();
	return u;
}

/** Appends the piece that starts at `offset`; pieces come in order. */
export async function appendPiece(u: Upload, offset: number, bytes: Uint8Array): Promise<void> {
	if (u.state !== 'uploading') throw new UploadRefused(409, 'this upload is complete');
	if (offset !== u.received) throw new UploadRefused(409, `expected the piece at byte ${u.received}`);
	if (u.received + bytes.length > u.size) throw new UploadRefused(413, `more bytes than the ${formatBytes(u.size)} announced`);
	// Counted before the write is awaited: a piece sent twice at once (a client retrying) otherwise
	// passed the offset check twice and was appended twice, the file reaching its size without its end.
	const at = u.received;
	u.received += bytes.length;
	try {
		await appendFile(u.file, bytes);
	} catch (e) {
		u.received = at;
		throw e;
	}
}

/** Runs the import of a complete upload in the background; progress and report land on the upload. */
export async function startImport(db: Db, u: Upload, options: Omit<ImportOptions, 'file' | 'name' | 'onProgress' | 'by'>, by: Author): Promise<void> {
	if (u.state !== 'uploading') throw new UploadRefused(409, 'this upload has been imported already');
	const size = (await stat(u.file).catch(() => ({ size: 0 }))).size;
	if (size !== u.size) throw new UploadRefused(409, `only ${size} of ${u.size} bytes have arrived`);
	u.state = 'importing';
	runImport(db, { ...options, file: u.file, name: u.name, by, onProgress: (p) => (u.progress = p) })
		.then((r) => {
			u.report = r;
			u.state = 'done';
		})
		.catch((e: unknown) => {
			u.error = e instanceof ImportRefused ? e.message : `the import failed: ${(e as Error).message}`;
			u.state = 'failed';
		})
		.finally(() => rmSync(u.dir, { recursive: true, force: true }));
}

/**
 * The import form posted without JavaScript: the whole file came in the request (so within the
 * server's BODY_SIZE_LIMIT), and the import runs while the request waits for its report.
 */
export async function importPostedFile(
	db: Db,
	file: File,
	options: Omit<ImportOptions, 'file' | 'name' | 'onProgress' | 'by'>,
	by: Author,
	limit = uploadLimit()
): Promise<ImportReport> {
	if (file.size === 0) throw new UploadRefused(400, 'the file is empty');
	if (file.size > limit) throw new UploadRefused(413, `the file is ${formatBytes(file.size)}; imports through this page take at most ${formatBytes(limit)} (IMPORT_UPLOAD_LIMIT)`);
	const dir = mkdtempSync(join(tmpdir(), 'stance-upload-'));
	const name = file.name.replace(/[^\w.\- ]+/g, '_').slice(-120) || 'upload';
	try {
		await writeFile(join(dir, name), new Uint8Array(await file.arrayBuffer()));
		return await runImport(db, { ...options, file: join(dir, name), name, by });
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

/** What the page shows while it polls. */
export function uploadStatus(u: Upload) {
	return { state: u.state, name: u.name, size: u.size, received: u.received, progress: u.progress, report: u.report, error: u.error };
}

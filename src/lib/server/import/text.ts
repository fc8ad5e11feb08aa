import chardet from 'chardet';
import { parse, type Info } from 'csv-parse';
import iconv from 'iconv-lite';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Transform, type Readable } from 'node:stream';

/**
 * Reading text files of any size: the encoding (BOM, a UTF-8 validity check, then a charset
 * detector), the delimiter, and CSV records with the file line each starts on. Nothing here holds
 * more than one chunk of the file.
 */

const SNIFF_BYTES = 256 * 1024;

/** Encodings we accept, by the names people give them. */
const ALIASES: Record<string, string> = {
	'utf8': 'utf-8',
	'utf-8': 'utf-8',
	'utf-8-sig': 'utf-8',
	'latin1': 'windows-1252',
	'latin-1': 'windows-1252',
	'iso-8859-1': 'windows-1252',
	'iso8859-1': 'windows-1252',
	'cp1252': 'windows-1252',
	'windows-1252': 'windows-1252',
	'iso-8859-15': 'iso-8859-15',
	'utf-16le': 'utf-16le',
	'utf-16be': 'utf-16be'
};

/**
 * The encoding name we decode with, or null for one we do not know. Latin-1 is read as
 * Windows-1252, its superset: files labelled Latin-1 mostly are, and the bytes 0x80-0x9f then
 * decode to the quotes and dashes they were typed as instead of invisible controls.
 */
export function normalizeEncoding(name: string): string | null {
	const key = name.trim().toLowerCase().replace(/_/g, '-');
	if (ALIASES[key]) return ALIASES[key]!;
	return iconv.encodingExists(key) ? key : null;
}

/** True when the bytes are valid UTF-8, allowing a sequence cut at the end of the sample. */
export function isUtf8(bytes: Uint8Array, truncated: boolean): boolean {
	let end = bytes.length;
	if (truncated) {
		// Step back over a multi-byte sequence the sample may have cut in two.
		let back = 0;
		while (back < 3 && end - back - 1 >= 0 && (bytes[end - back - 1]! & 0xc0) === 0x80) back++;
		const lead = bytes[end - back - 1];
		if (lead !== undefined && lead >= 0xc0) end = end - back - 1;
	}
	try {
		new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, end));
		return true;
	} catch {
		return false;
	}
}

/**
 * Checks a whole file for UTF-8 validity (about 1 GB/s): a Latin-1 file's first accent may sit
 * far past any sample ("São Tomé" comes late in an alphabetical list of countries).
 */
async function wholeFileIsUtf8(file: string): Promise<boolean> {
	const decoder = new TextDecoder('utf-8', { fatal: true });
	// One buffer read into again and again: a stream's fresh 1 MB chunk per read left about 100 MB
	// of them to the collector, which was the import's peak memory before it read a row.
	const buf = Buffer.allocUnsafe(1 << 20);
	const handle = await open(file, 'r');
	try {
		for (;;) {
			const { bytesRead } = await handle.read(buf, 0, buf.length, null);
			if (bytesRead === 0) break;
			decoder.decode(buf.subarray(0, bytesRead), { stream: true });
		}
		decoder.decode();
		return true;
	} catch {
		return false;
	} finally {
		await handle.close();
	}
}

export interface Sniffed {
	encoding: string;
	/** How the encoding was settled, for the report. */
	encodingFrom: 'bom' | 'utf-8 check' | 'detector' | 'chosen';
	size: number;
	/** The first line, decoded (for the delimiter and the header). */
	firstLine: string;
}

/** Looks at the start of a file: its encoding (unless given) and its first line. */
export async function sniffFile(file: string, encoding?: string): Promise<Sniffed> {
	const { size } = await stat(file);
	const handle = await open(file, 'r');
	let sample: Buffer;
	try {
		const buf = Buffer.alloc(Math.min(SNIFF_BYTES, size));
		const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
		sample = buf.subarray(0, bytesRead);
	} finally {
		await handle.close();
	}
	let enc: string;
	let from: Sniffed['encodingFrom'];
	if (encoding) {
		const n = normalizeEncoding(encoding);
		if (!n) throw new UsageError(`unknown encoding "${encoding}" (try utf-8, windows-1252 or latin1)`);
		enc = n;
		from = 'chosen';
	} else if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) {
		enc = 'utf-8';
		from = 'bom';
	} else if (sample[0] === 0xff && sample[1] === 0xfe) {
		enc = 'utf-16le';
		from = 'bom';
	} else if (sample[0] === 0xfe && sample[1] === 0xff) {
		enc = 'utf-16be';
		from = 'bom';
	} else if (isUtf8(sample, sample.length < size) && (sample.length === size || (await wholeFileIsUtf8(file)))) {
		enc = 'utf-8';
		from = 'utf-8 check';
	} else {
		// Not UTF-8: ask the detector, and read any single-byte Western guess as Windows-1252.
		const guess = chardet.detect(sample);
		const n = guess ? normalizeEncoding(guess) : null;
		enc = n && n !== 'utf-8' && !n.startsWith('utf-16') ? n : 'windows-1252';
		if (enc === 'iso-8859-1' || enc === 'iso-8859-15') enc = 'windows-1252';
		from = 'detector';
	}
	const text = iconv.decode(sample, enc, { stripBOM: true });
	// Leading comment lines (an export's citation) are not the header: the first line after them is.
	const lines = text.split(/\r?\n/);
	return { encoding: enc, encodingFrom: from, size, firstLine: lines.find((l) => !isCommentLine(l)) ?? lines[0] ?? '' };
}

/** A leading comment line of a CSV file ("# …": an export's citation). */
export function isCommentLine(line: string): boolean {
	return line.startsWith('#');
}

/** A record read from a leading comment line: its first cell starts with "#" (its commas split it into cells). */
export function isCommentRecord(cells: readonly string[]): boolean {
	return cells[0]?.startsWith('#') === true;
}

/** The delimiter of a CSV header line: the most frequent of `,` `;` tab and `|` outside quotes. */
export function detectDelimiter(line: string): string {
	const counts = new Map<string, number>([[',', 0], [';', 0], ['\t', 0], ['|', 0]]);
	let quoted = false;
	for (const ch of line) {
		if (ch === '"') quoted = !quoted;
		else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
	}
	let best = ',';
	for (const [d, n] of counts) if (n > counts.get(best)!) best = d;
	return best;
}

/** A refusal of how the command was called (exit code 2), not of the data. */
export class UsageError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'UsageError';
	}
}

/** Counts the bytes flowing through, for progress. */
export class ByteCounter extends Transform {
	bytes = 0;
	override _transform(chunk: Buffer, _enc: BufferEncoding, done: (e?: Error | null, data?: Buffer) => void) {
		this.bytes += chunk.length;
		done(null, chunk);
	}
}

/**
 * A file's text, decoded as it streams, for csvRecords. Invalid bytes become U+FFFD, which the row
 * check refuses. UTF-8 goes to csv-parse as the file's bytes: it cuts records at ASCII delimiters
 * (never part of a multi-byte character), decodes each cell's bytes whole (a character split
 * between two chunks stays one; invalid bytes become U+FFFD as with the decoder) and skips the BOM.
 * Decoding first only for csv-parse to encode the text back into bytes cost about 0.4 s of the
 * reading's CPU on a 1,000,000-row file.
 */
export function decodedStream(file: string, encoding: string, counter: ByteCounter): Readable {
	// 64 KiB reads: csv-parse turns each read into records at once, which wait in its buffer until
	// read. With 1 MiB reads (16,000 rows of the generated CSV) they outlived the young generation:
	// 55-73 MB promoted and 11 full collections on 1,000,000 rows, against 6 MB and 1.
	const bytes = createReadStream(file, { highWaterMark: 1 << 16 }).pipe(counter);
	return encoding === 'utf-8' ? bytes : bytes.pipe(iconv.decodeStream(encoding, { stripBOM: true }) as unknown as Transform);
}

export interface CsvRecord {
	/** The file line the record starts on (1 = the first line). */
	line: number;
	cells: string[];
}

export interface CsvOptions {
	delimiter: string;
	/** False for formats that never quote (GDELT), so a stray quote is read as text. */
	quote?: boolean;
}

/** Reads whatever a readable stream has buffered, in batches, waiting when it has nothing. */
export async function* readBatches<T>(stream: Readable, size = 1024): AsyncGenerator<T[]> {
	let ended = false;
	let failure: Error | null = null;
	stream.on('end', () => (ended = true));
	stream.on('error', (e) => (failure = e));
	for (;;) {
		const batch: T[] = [];
		let item: T | null;
		while (batch.length < size && (item = stream.read() as T | null) !== null) batch.push(item);
		if (batch.length) {
			yield batch;
			continue;
		}
		if (failure) throw failure;
		if (ended || stream.readableEnded) return;
		await new Promise<void>((resolve) => {
			const wake = () => {
				stream.off('readable', wake);
				stream.off('end', wake);
				stream.off('error', wake);
				resolve();
			};
			stream.on('readable', wake);
			stream.on('end', wake);
			stream.on('error', wake);
		});
	}
}

/**
 * CSV records with the file line each starts on, in batches, through csv-parse's streaming API.
 * Lines are counted here rather than with csv-parse's `info` (which copies an object per record
 * and made parsing four times slower): a record spans one line plus the line breaks inside its
 * quoted cells. A broken quote ends the reading with csv-parse's error, which names its line.
 */
export async function* csvRecords(text: Readable, options: CsvOptions): AsyncGenerator<CsvRecord[]> {
	const parser = text.pipe(
		parse({
			delimiter: options.delimiter,
			quote: options.quote === false ? false : '"',
			relax_column_count: true,
			skip_empty_lines: false,
			bom: true
		})
	);
	text.on('error', (e) => parser.destroy(e));
	let line = 1;
	for await (const batch of readBatches<string[]>(parser)) {
		const out: CsvRecord[] = [];
		for (const cells of batch) {
			const at = line;
			line++;
			for (const c of cells) {
				if (c.length > 0 && c.includes('\n')) line += c.split('\n').length - 1;
			}
			if (cells.length === 1 && cells[0] === '') continue; // an empty line
			out.push({ line: at, cells });
		}
		if (out.length) yield out;
	}
}

import { createReadStream } from 'node:fs';
import { parser } from 'stream-json';
import Assembler from 'stream-json/assembler.js';
import type { Readable } from 'node:stream';
import { readBatches, type ByteCounter } from './text';

/**
 * The stance-tracker/v1 dataset, streamed: one actor, issue, event or context event at a time, never the whole
 * file (stream-json's tokenizer; each item is assembled alone). Items come in file order; the
 * export writes actors, then issues, then events, then context events; an event or a context
 * event may only refer to actors and issues stored already or listed before it.
 */

export type Section = 'actors' | 'issues' | 'events' | 'context';
export interface DatasetItem {
	section: Section;
	/** Position within its section, from 0. */
	index: number;
	value: unknown;
}

interface Token {
	name: string;
	value?: unknown;
}

const SECTIONS = new Set(['actors', 'issues', 'events', 'context']);

export class DatasetFormatError extends Error {}

export async function* datasetItems(file: string, counter: ByteCounter): AsyncGenerator<DatasetItem[]> {
	const tokens: Readable = createReadStream(file, { highWaterMark: 1 << 20 })
		.pipe(counter)
		.pipe(parser.asStream({ streamValues: false }));
	let depth = 0;
	let key: string | null = null;
	let section: Section | null = null;
	let format: unknown = undefined;
	const indexes: Record<Section, number> = { actors: 0, issues: 0, events: 0, context: 0 };
	let asm: Assembler | null = null;
	for await (const batch of readBatches<Token>(tokens, 4096)) {
		const out: DatasetItem[] = [];
		for (const tok of batch) {
			if (asm) {
				asm.consume(tok as never);
				if (asm.done) {
					out.push({ section: section!, index: indexes[section!]++, value: asm.current });
					asm = null;
				}
				continue;
			}
			switch (tok.name) {
				case 'startObject':
				case 'startArray':
					if (depth === 2 && section) {
						asm = new Assembler();
						asm.consume(tok as never);
						continue;
					}
					if (depth === 0 && tok.name !== 'startObject') throw new DatasetFormatError('the file is not a JSON object: expected {"format": "stance-tracker/v1", ...}');
					if (depth === 1) {
						if (tok.name === 'startArray' && key && SECTIONS.has(key)) section = key as Section;
						else if (key && SECTIONS.has(key)) throw new DatasetFormatError(`"${key}" must be an array`);
					}
					depth++;
					break;
				case 'endObject':
				case 'endArray':
					depth--;
					if (depth === 1) section = null;
					break;
				case 'keyValue':
					if (depth === 1) key = String(tok.value);
					break;
				case 'stringValue':
				case 'numberValue':
				case 'nullValue':
				case 'trueValue':
				case 'falseValue':
					if (depth === 2 && section) {
						// A bare value where an object belongs: hand it on for the check to refuse.
						const v = tok.name === 'stringValue' ? tok.value : tok.name === 'numberValue' ? Number(tok.value) : tok.name === 'nullValue' ? null : tok.name === 'trueValue';
						out.push({ section, index: indexes[section]++, value: v });
					} else if (depth === 1 && key === 'format') {
						format = tok.value;
						if (format !== 'stance-tracker/v1') throw new DatasetFormatError(`"format" is ${JSON.stringify(format)}; this importer reads "stance-tracker/v1"`);
					}
					break;
			}
		}
		if (out.length) yield out;
	}
	if (format === undefined) throw new DatasetFormatError('the file has no "format": "stance-tracker/v1"');
}

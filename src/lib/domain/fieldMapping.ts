import { IMPORT_FIELDS, type FieldValues, type ImportField, type RowProblem } from './importRow';

/**
 * Turns input rows (arrays of cells under a header) into our field values, following a column
 * mapping: templates over the columns ("{country}", "Vote on {roll.unres}"), value maps
 * (yes -> 1) and lookups in joined files. Pure: the joined files arrive as maps.
 */

export interface MappingSpec {
	fields: Partial<Record<ImportField, string>>;
	values: Partial<Record<ImportField, Record<string, string | number>>>;
	join: { as: string; file: string; key: string; on: string }[];
}

/** A joined file, read whole: its header and its rows by key. */
export interface JoinTable {
	header: string[];
	rows: Map<string, string[]>;
}

type Part = { text: string } | { column: number } | { join: number; column: number };

export interface CompiledMapping {
	/** The input column each field is read from (for problems), or the field's own name. */
	columnOf: (field: ImportField) => string;
	/** Our field values for one row, and the problems met on the way (a lookup or a value not found). */
	apply: (cells: readonly string[], line: number) => { values: FieldValues; problems: RowProblem[] };
}

const lower = (s: string) => s.trim().toLowerCase();

/** Columns named after our fields, used when there is no mapping (the CSV of events). */
export function identityMapping(header: readonly string[]): MappingSpec {
	const have = new Set(header.map(lower));
	const fields: MappingSpec['fields'] = {};
	for (const f of IMPORT_FIELDS) if (have.has(f)) fields[f] = `{${f}}`;
	// The CSV export's plural source columns read back as one source.
	for (const [plural, single] of [['source_outlets', 'source_outlet'], ['source_titles', 'source_title'], ['source_urls', 'source_url']] as const) {
		if (!fields[single] && have.has(plural)) fields[single] = `{${plural}}`;
	}
	return { fields, values: {}, join: [] };
}

/**
 * Compiles a mapping against a file's header. Returns the mapping problems (unknown columns,
 * unknown join names) instead when there are any: they concern the mapping, not a row.
 */
export function compileMapping(
	spec: MappingSpec,
	header: readonly string[],
	joins: ReadonlyMap<string, JoinTable>
): { ok: true; mapping: CompiledMapping } | { ok: false; problems: string[] } {
	const problems: string[] = [];
	const index = new Map<string, number>();
	header.forEach((h, i) => {
		if (!index.has(lower(h))) index.set(lower(h), i);
	});
	const joinList = spec.join.map((j) => {
		const table = joins.get(j.as);
		const on = index.get(lower(j.on));
		if (on === undefined) problems.push(`join "${j.as}": the file has no column "${j.on}" (columns: ${header.join(', ')})`);
		if (!table) problems.push(`join "${j.as}": its file was not read`);
		const jIndex = new Map((table?.header ?? []).map((h, i) => [lower(h), i]));
		return { as: j.as, on: on ?? -1, table, jIndex, file: j.file, onName: j.on };
	});
	const joinByName = new Map(joinList.map((j, i) => [j.as, i]));

	const compiled: { field: ImportField; parts: Part[]; column: string; values: Map<string, string> | null }[] = [];
	for (const [field, template] of Object.entries(spec.fields) as [ImportField, string][]) {
		if (!IMPORT_FIELDS.includes(field)) {
			problems.push(`fields.${field}: not one of our fields (${IMPORT_FIELDS.join(', ')})`);
			continue;
		}
		const parts: Part[] = [];
		const columns: string[] = [];
		const re = /\{([^{}]+)\}/g;
		let last = 0;
		for (let m = re.exec(template); m; m = re.exec(template)) {
			if (m.index > last) parts.push({ text: template.slice(last, m.index) });
			last = m.index + m[0].length;
			const name = m[1]!.trim();
			const dot = name.indexOf('.');
			const joinIndex = dot > 0 ? joinByName.get(name.slice(0, dot)) : undefined;
			if (joinIndex !== undefined) {
				const j = joinList[joinIndex]!;
				const col = j.jIndex.get(lower(name.slice(dot + 1)));
				if (col === undefined) problems.push(`fields.${field}: "${j.file}" has no column "${name.slice(dot + 1)}"`);
				else parts.push({ join: joinIndex, column: col });
				columns.push(name);
			} else {
				const col = index.get(lower(name));
				if (col === undefined) problems.push(`fields.${field}: the file has no column "${name}" (columns: ${header.join(', ')})`);
				else parts.push({ column: col });
				columns.push(header[col ?? 0] ?? name);
			}
		}
		if (last < template.length) parts.push({ text: template.slice(last) });
		// A brace left in the text is a column reference mistyped ("{country", "country}", "{}"),
		// which would otherwise be stored as the literal text on every row.
		if (parts.some((p) => 'text' in p && /[{}]/.test(p.text))) {
			problems.push(`fields.${field}: "${template}" has an unmatched or empty brace; write a column as {column}`);
		}
		const map = spec.values[field];
		compiled.push({
			field,
			parts,
			column: columns.length === 1 ? columns[0]! : columns.length ? `${field} (${columns.join(', ')})` : field,
			values: map ? new Map(Object.entries(map).map(([k, v]) => [lower(k), String(v)])) : null
		});
	}
	for (const field of Object.keys(spec.values)) {
		if (!spec.fields[field as ImportField]) problems.push(`values.${field}: the field has no template in "fields"`);
	}
	if (problems.length) return { ok: false, problems };

	const columnByField = new Map(compiled.map((c) => [c.field, c.column]));
	// The CSV export writes full dates with a separate precision: read them back at that precision.
	const precisionColumn = index.get('date_precision');

	return {
		ok: true,
		mapping: {
			columnOf: (field) => columnByField.get(field) ?? field,
			apply(cells, line) {
				const values: FieldValues = {};
				const problems: RowProblem[] = [];
				// Each joined file's row for this row: looked up once, only when a template needs it.
				let joined: (string[] | null)[] | null = null;
				for (const c of compiled) {
					let s = '';
					let missing = false;
					for (const p of c.parts) {
						if ('text' in p) s += p.text;
						else if ('join' in p) {
							joined ??= joinList.map(() => undefined as unknown as string[] | null);
							let r = joined[p.join];
							if (r === undefined) {
								const j = joinList[p.join]!;
								const key = (cells[j.on] ?? '').trim();
								r = j.table!.rows.get(key) ?? null;
								if (!r) problems.push({ line, column: j.onName, reason: `"${key}" is not in ${j.file} (column ${j.onName})` });
								joined[p.join] = r;
							}
							if (!r) missing = true;
							else s += r[p.column] ?? '';
						} else s += cells[p.column] ?? '';
					}
					if (missing) continue;
					if (c.values) {
						const key = lower(s);
						const mapped = c.values.get(key);
						if (mapped !== undefined) s = mapped;
						else if (key !== '') {
							problems.push({ line, column: c.column, reason: `"${s.trim()}" is not one of the mapped values (${[...c.values.keys()].join(', ')})` });
							continue;
						}
					}
					values[c.field] = s;
				}
				if (precisionColumn !== undefined && values.date) {
					const p = (cells[precisionColumn] ?? '').trim();
					if (p === 'month') values.date = values.date.slice(0, 7);
					else if (p === 'year') values.date = values.date.slice(0, 4);
				}
				return { values, problems };
			}
		}
	};
}

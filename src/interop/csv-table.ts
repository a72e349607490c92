/**
 * A CSV file read into columns of raw text: the generic reader behind `prrt survival --csv` and the
 * test fixtures. It knows nothing of the exchange format; cells stay strings, `null` for an empty cell.
 */
import { parse } from 'csv-parse/sync';

export interface CsvTable {
  /** Column names in file order. */
  readonly names: readonly string[];
  /** Number of data rows (header excluded). */
  readonly rowCount: number;
  /** Cells by column name; an empty cell (or R's `NA`) is `null`. */
  readonly columns: ReadonlyMap<string, readonly (string | null)[]>;
}

export class CsvTableError extends Error {}

/** Parses CSV text (RFC 4180, optional BOM, LF or CRLF) into columns. */
export function parseCsvTable(text: string, options: { naStrings?: readonly string[] } = {}): CsvTable {
  const naStrings = new Set(options.naStrings ?? ['', 'NA']);
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: false });
  } catch (e) {
    throw new CsvTableError((e as Error).message);
  }
  const header = records[0];
  if (header === undefined) throw new CsvTableError('the file is empty: a header row is required');
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) throw new CsvTableError(`column "${name}" appears twice in the header`);
    seen.add(name);
  }
  const cols = header.map(() => [] as (string | null)[]);
  for (let r = 1; r < records.length; r++) {
    const rec = records[r]!;
    for (let c = 0; c < header.length; c++) {
      const cell = rec[c] ?? '';
      cols[c]!.push(naStrings.has(cell) ? null : cell);
    }
  }
  return {
    names: header,
    rowCount: records.length - 1,
    columns: new Map(header.map((name, i) => [name, cols[i]!])),
  };
}

/**
 * An ADaM dataset as prrt writes it: its variables (name, label, type, length or format, derivation), the
 * one source of both the CSV columns and docs/adam.md, and its rows. Dates are ISO 8601 `YYYY-MM-DD`
 * text; numbers carry full precision; a missing value is an empty cell.
 */
import { csvText } from '../csv-export/index.js';

export const AdamType = { Char: 'Char', Num: 'Num' } as const;
export type AdamType = (typeof AdamType)[keyof typeof AdamType];

export interface AdamVariable {
  readonly name: string;
  readonly label: string;
  readonly type: AdamType;
  /** Largest length of a Char value; null for numbers. */
  readonly length: number | null;
  /** `ISO 8601 date` for dates; null otherwise. */
  readonly format: string | null;
  readonly derivation: string;
}

export type AdamValue = string | number | null;
export type AdamRow = Readonly<Record<string, AdamValue>>;

export interface AdamDataset {
  readonly name: string;
  readonly label: string;
  /** The variables that identify a row. */
  readonly keys: readonly string[];
  readonly variables: readonly AdamVariable[];
  readonly rows: readonly AdamRow[];
}

const v =
  (type: AdamType, length: number | null, format: string | null = null) =>
  (name: string, label: string, derivation: string): AdamVariable => ({
    name,
    label,
    type,
    length,
    format,
    derivation,
  });

export const char = (length: number) => v('Char', length);
export const num = v('Num', null);
export const date = v('Num', null, 'ISO 8601 date');

/** The dataset as CSV text: one header row of variable names, then the rows. */
export function adamToCsv(dataset: AdamDataset): string {
  const names = dataset.variables.map((x) => x.name);
  const cell = (value: AdamValue | undefined): string =>
    value === null || value === undefined ? '' : String(value);
  return csvText(
    names,
    dataset.rows.map((row) => names.map((n) => cell(row[n]))),
  );
}

/** `Y` for true, `N` for false, empty for unknown. */
export const yn = (b: boolean | null): string | null => (b === null ? null : b ? 'Y' : 'N');

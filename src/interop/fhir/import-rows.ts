/**
 * Import bookkeeping: rows of exchange-format cells built from FHIR resources, each cell remembering the
 * entry and element it came from, and the located errors of an import.
 */
import type { ExchangeFileKey } from '../csv-export/index.js';

/** A problem with a bundle: the entry (0-based index in `Bundle.entry`), the element, the message. */
export interface FhirImportError {
  readonly entry: number | null;
  readonly path: string;
  readonly message: string;
}

interface Source {
  readonly entry: number;
  readonly path: string;
}

export class ImportRow {
  readonly cells: Record<string, string> = {};
  readonly sources: Record<string, Source> = {};
  constructor(
    readonly entry: number,
    readonly path: string,
  ) {}

  /** Sets a cell from an element of an entry (the row's own entry unless given). */
  set(
    column: string,
    value: string | number | boolean | null | undefined,
    path: string,
    entry = this.entry,
  ): void {
    if (value === null || value === undefined) return;
    this.cells[column] = typeof value === 'boolean' ? (value ? 'Y' : 'N') : String(value);
    this.sources[column] = { entry, path };
  }

  /** Where the value of `column` came from, or the row's resource. */
  source(column: string): Source {
    return this.sources[column] ?? { entry: this.entry, path: this.path };
  }
}

export type ImportRows = Record<ExchangeFileKey, ImportRow[]>;

export class ImportErrors {
  readonly list: FhirImportError[] = [];
  add(entry: number | null, path: string, message: string): void {
    this.list.push({ entry, path, message });
  }
}

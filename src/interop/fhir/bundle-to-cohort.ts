/**
 * A FHIR R4 Bundle made by `cohortToBundle` (or following docs/fhir.md) read back into a cohort. Each
 * resource becomes a row of the exchange format's cells, and the rows go through the same validation as an
 * exchange folder (`parseExchangeFiles`), so a bundle is held to every rule of the format; each error is
 * located at the entry and element the cell came from. Resources tagged `derived` are skipped.
 */
import type { Bundle, Resource } from '@medplum/fhirtypes';
import type { Cohort } from '../../clinical/model.js';
import { csvText, exchangeColumns, rowLines, type ExchangeFileKey } from '../csv-export/index.js';
import { EXCHANGE_FILES, parseExchangeFiles } from '../exchange-folder/index.js';
import { DERIVED_TAG } from './fhir-codes.js';
import { ImportErrors, type FhirImportError, type ImportRow, type ImportRows } from './import-rows.js';
import { ResourceReader } from './resource-reader.js';
import { checkBundleShape } from './resource-shape.js';

export type { FhirImportError } from './import-rows.js';

export type BundleImportResult =
  { readonly ok: true; readonly cohort: Cohort } | { readonly ok: false; readonly errors: FhirImportError[] };

const isDerived = (r: Resource): boolean =>
  r.meta?.tag?.some((t) => t.system === DERIVED_TAG.system && t.code === DERIVED_TAG.code) ?? false;

export function bundleToCohort(bundle: Bundle): BundleImportResult {
  const errors = new ImportErrors();
  // Parsed JSON can hold anything: the elements read below are checked for their JSON types first.
  if (checkBundleShape(bundle, errors) === null || errors.list.length > 0)
    return { ok: false, errors: errors.list };
  const entries = bundle.entry ?? [];
  const reader = new ResourceReader(entries, errors);
  entries.forEach((entry, i) => {
    const r = entry.resource;
    if (r === undefined) errors.add(i, 'entry', 'the entry has no resource');
    else if (!isDerived(r)) reader.read(r, i);
  });
  const rows = reader.finish();
  if (errors.list.length > 0) return { ok: false, errors: errors.list };
  return validate(rows);
}

/** Runs the rows through the exchange format's validation, locating its errors at their entries. */
function validate(rows: ImportRows): BundleImportResult {
  const files = new Map<string, string>();
  const byFile = new Map<string, { rows: ImportRow[]; lines: number[] }>();
  for (const key of Object.keys(EXCHANGE_FILES) as ExchangeFileKey[]) {
    const columns = exchangeColumns(key);
    const cells = rows[key].map((r) => columns.map((c) => r.cells[c] ?? ''));
    files.set(EXCHANGE_FILES[key].name, csvText(columns, cells));
    byFile.set(EXCHANGE_FILES[key].name, { rows: rows[key], lines: rowLines(cells) });
  }
  const parsed = parseExchangeFiles(files);
  if (parsed.ok) return parsed;
  return {
    ok: false,
    errors: parsed.errors.map((e): FhirImportError => {
      const file = byFile.get(e.file ?? '');
      const index = file?.lines.indexOf(e.line ?? -1) ?? -1;
      const row = index < 0 ? undefined : file?.rows[index];
      if (row === undefined) return { entry: null, path: e.file ?? '', message: e.message };
      const source = row.source(e.column ?? '');
      return { entry: source.entry, path: source.path, message: `${e.column ?? ''}: ${e.message}` };
    }),
  };
}

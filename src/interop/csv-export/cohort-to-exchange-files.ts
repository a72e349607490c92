/**
 * A cohort written as an exchange folder's files (exchange-format.md): one header row with the columns in
 * the format's order, one row per record in the cohort's order. `patients.csv`, `courses.csv`,
 * `cycles.csv`, `labs.csv`, `lesions.csv` and `events.csv` are always written (the optional ones with a
 * header only when empty); `dosimetry.csv` only when there are dosimetry rows.
 */
import type { Cohort } from '../../clinical/model.js';
import { EXCHANGE_FILES } from '../exchange-folder/index.js';
import { csvText } from './csv-text.js';
import { exchangeColumns, exchangeRows, type ExchangeFileKey, type ExchangeRow } from './exchange-rows.js';

/** The cells of `rows` under `columns`, an absent column as an empty cell. */
export function rowCells(columns: readonly string[], rows: readonly ExchangeRow[]): string[][] {
  return rows.map((row) => columns.map((c) => row[c] ?? ''));
}

/** File name → CSV text, in the format's file order. */
export function cohortToExchangeFiles(cohort: Cohort): Map<string, string> {
  const rows = exchangeRows(cohort);
  const files = new Map<string, string>();
  for (const key of Object.keys(EXCHANGE_FILES) as ExchangeFileKey[]) {
    if (key === 'dosimetry' && rows.dosimetry.length === 0) continue;
    const columns = exchangeColumns(key);
    files.set(EXCHANGE_FILES[key].name, csvText(columns, rowCells(columns, rows[key])));
  }
  return files;
}

/**
 * The pure core of the exchange-folder import: file texts in, a cohort or every error out. Every file is
 * read and every check runs before anything is returned, so the errors are the complete list, sorted by
 * file and line (exchange-format.md, "Import rules").
 */
import type { Cohort } from '../../clinical/model.js';
import type { ErrorDetail } from '../../errors.js';
import { ErrorLog } from './error-log.js';
import {
  EXCHANGE_FILES,
  EXCHANGE_FILE_NAMES,
  type ExchangeFileSpec,
  type RowShape,
} from './exchange-files.js';
import { ExchangeTable, type ExchangeTables } from './exchange-table.js';
import { checkKeys } from './keys.js';
import { checkContactDates, checkCycleOrder } from './time-order.js';

export type ExchangeResult =
  { readonly ok: true; readonly cohort: Cohort } | { readonly ok: false; readonly errors: ErrorDetail[] };

function table<C extends RowShape, M>(
  spec: ExchangeFileSpec<RowShape, M, C>,
  files: ReadonlyMap<string, string>,
  log: ErrorLog,
): ExchangeTable<C, M> {
  const text = files.get(spec.name);
  if (text !== undefined) return ExchangeTable.read(spec, text, log);
  if (spec.required) {
    log.add({
      file: spec.name,
      column: '',
      message: `${spec.name} is missing: an exchange folder needs patients.csv, courses.csv and cycles.csv`,
    });
  }
  return new ExchangeTable(spec, false, log);
}

const models = <M>(t: { rows: readonly { model: M | null }[] }): M[] =>
  t.rows.flatMap((r) => (r.model === null ? [] : [r.model]));

/**
 * Validates the files of an exchange folder, by file name (`patients.csv`, …), and converts them to the
 * canonical model. Names that end in `.csv` but are not files of the format are errors; other names are
 * ignored.
 */
export function parseExchangeFiles(files: ReadonlyMap<string, string>): ExchangeResult {
  const log = new ErrorLog();
  for (const name of files.keys()) {
    if (name.toLowerCase().endsWith('.csv') && !EXCHANGE_FILE_NAMES.includes(name)) {
      log.add({
        file: name,
        column: '',
        message: `${name} is not a file of the exchange format: its files are ${EXCHANGE_FILE_NAMES.join(', ')}`,
      });
    }
  }
  const tables: ExchangeTables = {
    patients: table(EXCHANGE_FILES.patients, files, log),
    courses: table(EXCHANGE_FILES.courses, files, log),
    cycles: table(EXCHANGE_FILES.cycles, files, log),
    labs: table(EXCHANGE_FILES.labs, files, log),
    lesions: table(EXCHANGE_FILES.lesions, files, log),
    events: table(EXCHANGE_FILES.events, files, log),
    dosimetry: table(EXCHANGE_FILES.dosimetry, files, log),
  };
  const keys = checkKeys(tables);
  checkCycleOrder(tables, keys);
  checkContactDates(tables, keys);
  if (log.size > 0) return { ok: false, errors: log.sorted() };
  return {
    ok: true,
    cohort: {
      patients: models(tables.patients),
      courses: models(tables.courses),
      cycles: models(tables.cycles),
      labs: models(tables.labs),
      lesions: models(tables.lesions),
      events: models(tables.events),
      dosimetry: models(tables.dosimetry),
    },
  };
}

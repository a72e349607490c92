/**
 * The CSV exchange folder (exchange-format.md): `readExchangeFolder` for a directory or zip on disk,
 * `parseExchangeFiles` for file texts already in memory. Both validate everything and give back either
 * the cohort in canonical units or every error, located as file, line and column.
 * `readExchangeFolderStream` does the same checks streaming, for folders of any size, handing over the
 * valid rows as they are read (a one-pass import); `checkExchangeFolderStream` checks first and reads
 * the rows again afterwards.
 */
export { readExchangeFolder } from './read-exchange-folder.js';
export { parseExchangeFiles, type ExchangeResult } from './parse-exchange-files.js';
export { EXCHANGE_FILES, EXCHANGE_FILE_NAMES } from './exchange-files.js';
export { readCsvRecords, type CsvRecord } from './csv-records.js';
export {
  checkExchangeFolderStream,
  readExchangeFolderStream,
  type CheckedFolder,
  type ExchangeCounts,
  type ExchangePart,
  type RowSink,
  type StreamCheckOptions,
  type StreamCheckResult,
  type StreamReadOptions,
  type StreamReadResult,
} from './stream-exchange-folder.js';

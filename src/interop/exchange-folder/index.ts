/**
 * The CSV exchange folder (exchange-format.md): `readExchangeFolder` for a directory or zip on disk,
 * `parseExchangeFiles` for file texts already in memory. Both validate everything and give back either
 * the cohort in canonical units or every error, located as file, line and column.
 * `checkExchangeFolderStream` does the same checks streaming, for folders of any size, and then reads
 * the valid rows again for a streaming import.
 */
export { readExchangeFolder } from './read-exchange-folder.js';
export { parseExchangeFiles, type ExchangeResult } from './parse-exchange-files.js';
export { EXCHANGE_FILES, EXCHANGE_FILE_NAMES } from './exchange-files.js';
export { readCsvRecords, type CsvRecord } from './csv-records.js';
export {
  checkExchangeFolderStream,
  type CheckedFolder,
  type ExchangeCounts,
  type StreamCheckOptions,
  type StreamCheckResult,
} from './stream-exchange-folder.js';

/**
 * The CSV exchange folder written out: `cohortToExchangeFiles` gives the files' texts, `writeExchangeFolder`
 * writes them into a directory. Reading the result back gives the same cohort.
 */
export { cohortToExchangeFiles, rowCells } from './cohort-to-exchange-files.js';
export { writeExchangeFolder } from './write-exchange-folder.js';
export { csvField, csvText, rowLines } from './csv-text.js';
export { exchangeColumns, exchangeRows, type ExchangeFileKey, type ExchangeRow } from './exchange-rows.js';

/**
 * The zod schemas of the exchange format's rows: raw text cells in, canonical model objects out. The
 * importer, the API and the forms share them; every issue's path names the column it is about.
 */
export * from './cells.js';
export * from './patients.js';
export * from './courses.js';
export * from './cycles.js';
export * from './labs.js';
export * from './lesions.js';
export * from './events.js';
export * from './dosimetry.js';

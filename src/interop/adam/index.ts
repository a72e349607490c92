/** CDISC ADaM datasets of a cohort (ADSL, ADTTE, ADRS) as CSV, described variable by variable in docs/adam.md. */
export { adamFiles, cohortToAdam, writeAdamFolder, type AdamDatasets } from './cohort-to-adam.js';
export { adamToCsv, type AdamDataset, type AdamRow, type AdamVariable } from './adam-dataset.js';
export type { AdamOptions } from './subject.js';

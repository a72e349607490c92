/**
 * A cohort as CDISC ADaM datasets (docs/adam.md): ADSL, ADTTE and ADRS, derived with the clinical rules'
 * endpoints (`deriveCourseEndpoints`) under the given protocol and criteria, and written as CSV.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deriveCourseEndpoints, type EndpointOptions } from '../../clinical/endpoints/index.js';
import { patientRecords, type Cohort } from '../../clinical/model.js';
import { adamToCsv, type AdamDataset } from './adam-dataset.js';
import { adrs } from './adrs.js';
import { adsl } from './adsl.js';
import { adtte } from './adtte.js';
import { study, type AdamOptions } from './subject.js';

export interface AdamDatasets {
  readonly adsl: AdamDataset;
  readonly adtte: AdamDataset;
  readonly adrs: AdamDataset;
}

export function cohortToAdam(cohort: Cohort, options: AdamOptions & EndpointOptions = {}): AdamDatasets {
  const s = study(options);
  const records = patientRecords(cohort);
  const units = records.map((r) => deriveCourseEndpoints(r, options));
  const ids = records.map((r) => r.patient.patientId);
  return { adsl: adsl(cohort, s), adtte: adtte(units, ids, s), adrs: adrs(units, ids, s) };
}

/** `adsl.csv`, `adtte.csv`, `adrs.csv` → CSV text. */
export function adamFiles(datasets: AdamDatasets): Map<string, string> {
  const all: AdamDataset[] = [datasets.adsl, datasets.adtte, datasets.adrs];
  return new Map(all.map((d) => [`${d.name.toLowerCase()}.csv`, adamToCsv(d)]));
}

/** Writes the three datasets into `dir` (created when missing) and returns the file names. */
export async function writeAdamFolder(
  dir: string,
  cohort: Cohort,
  options: AdamOptions & EndpointOptions = {},
): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files = adamFiles(cohortToAdam(cohort, options));
  for (const [name, text] of files) await writeFile(join(dir, name), text, 'utf8');
  return [...files.keys()];
}

/**
 * Writes a cohort as an exchange folder into `dir` (created when missing). Files of the format that the
 * cohort does not produce (an empty `dosimetry.csv`) are removed, so the folder reads back as the cohort.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Cohort } from '../../clinical/model.js';
import { EXCHANGE_FILE_NAMES } from '../exchange-folder/index.js';
import { cohortToExchangeFiles } from './cohort-to-exchange-files.js';

/** Writes the files and returns their names. */
export async function writeExchangeFolder(dir: string, cohort: Cohort): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files = cohortToExchangeFiles(cohort);
  for (const [name, text] of files) await writeFile(join(dir, name), text, 'utf8');
  for (const name of EXCHANGE_FILE_NAMES) {
    if (!files.has(name)) await rm(join(dir, name), { force: true });
  }
  return [...files.keys()];
}

/** The cohorts the interoperability tests run on: the demo cohort and the small valid fixture. */
import { join } from 'node:path';
import type { Cohort } from '../clinical/model.js';
import { readExchangeFolder } from './exchange-folder/index.js';

const root = join(import.meta.dirname, '..', '..');

export const COHORT_FOLDERS = {
  demo: join(root, 'examples', 'salvage-demo'),
  'valid-small': join(root, 'test', 'fixtures', 'exchange', 'valid-small'),
} as const;
export type CohortName = keyof typeof COHORT_FOLDERS;

const cache = new Map<CohortName, Promise<Cohort>>();

async function load(name: CohortName): Promise<Cohort> {
  const r = await readExchangeFolder(COHORT_FOLDERS[name]);
  if (!r.ok) throw new Error(`${name} does not read: ${JSON.stringify(r.errors.slice(0, 3))}`);
  return r.cohort;
}

/** The cohort of a fixture folder, read once per test file. */
export function loadCohort(name: CohortName): Promise<Cohort> {
  let p = cache.get(name);
  if (p === undefined) {
    p = load(name);
    cache.set(name, p);
  }
  return p;
}

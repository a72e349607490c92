/**
 * FHIR bulk-data files: the resources of a bundle as newline-delimited JSON, one file per resource type
 * (`Patient.ndjson`, …), in the bundle's order; and a writer of the bundle and those files into a folder.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Bundle } from '@medplum/fhirtypes';
import type { Cohort } from '../../clinical/model.js';
import { cohortToBundle, type BundleOptions } from './cohort-to-bundle.js';

/** Resource type → NDJSON text, one resource per line. */
export function bundleToNdjson(bundle: Bundle): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of bundle.entry ?? []) {
    if (entry.resource === undefined) continue;
    const type = entry.resource.resourceType;
    files.set(type, (files.get(type) ?? '') + JSON.stringify(entry.resource) + '\n');
  }
  return files;
}

/** Writes `bundle.json` and one `<Type>.ndjson` per resource type into `dir`; returns the file names. */
export async function writeFhirFolder(
  dir: string,
  cohort: Cohort,
  options: BundleOptions = {},
): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const bundle = cohortToBundle(cohort, options);
  const files = new Map<string, string>([['bundle.json', JSON.stringify(bundle, null, 2) + '\n']]);
  for (const [type, text] of bundleToNdjson(bundle)) files.set(`${type}.ndjson`, text);
  for (const [name, text] of files) await writeFile(join(dir, name), text, 'utf8');
  return [...files.keys()];
}

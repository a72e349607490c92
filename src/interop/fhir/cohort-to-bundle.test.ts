import { describe, expect, test } from 'vitest';
import type { Bundle } from '@medplum/fhirtypes';
import { loadCohort, type CohortName } from '../interop.test-support.js';
import { cohortToBundle } from './cohort-to-bundle.js';
import { fhirSchemaErrors } from './fhir-schema.test-support.js';

describe.each(['demo', 'valid-small'] as CohortName[])('%s as a FHIR bundle', (name) => {
  test.each(['collection', 'transaction'] as const)(
    'a %s bundle and every resource in it meet the FHIR R4 schema',
    async (type) => {
      const bundle = cohortToBundle(await loadCohort(name), { type });
      expect(fhirSchemaErrors('Bundle', bundle)).toEqual([]);
      for (const [i, entry] of (bundle.entry ?? []).entries()) {
        const r = entry.resource!;
        expect(fhirSchemaErrors(r.resourceType, r), `entry ${i} ${r.resourceType}`).toEqual([]);
      }
    },
    120_000, // compiling the whole FHIR schema takes seconds
  );
});

test('the schema check is not vacuous: a wrong gender and a bad dateTime are rejected', async () => {
  const bundle: Bundle = cohortToBundle(await loadCohort('valid-small'));
  const patient = { ...bundle.entry![0]!.resource!, gender: 'woman' };
  expect(fhirSchemaErrors('Patient', patient)).not.toEqual([]);
  const admin = bundle.entry!.find((e) => e.resource?.resourceType === 'MedicationAdministration')!.resource!;
  expect(
    fhirSchemaErrors('MedicationAdministration', { ...admin, effectiveDateTime: '2009-01-12T09:30+0100' }),
  ).not.toEqual([]);
  expect(fhirSchemaErrors('Bundle', { ...bundle, entry: [{ resource: patient }] })).not.toEqual([]);
});

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Bundle, MedicationAdministration, Observation, Patient } from '@medplum/fhirtypes';
import { loadCohort, type CohortName } from '../interop.test-support.js';
import { bundleToCohort } from './bundle-to-cohort.js';
import { cohortToBundle } from './cohort-to-bundle.js';
import { DERIVED_TAG, Ext, System } from './fhir-codes.js';
import { bundleToNdjson, writeFhirFolder } from './ndjson.js';

const clone = (b: Bundle): Bundle => structuredClone(b);
const entryOf = (b: Bundle, pred: (r: NonNullable<Bundle['entry']>[number]['resource']) => boolean) =>
  b.entry!.findIndex((e) => pred(e.resource));

describe.each(['demo', 'valid-small'] as CohortName[])('%s through FHIR', (name) => {
  test('cohort → bundle → cohort is deep-equal', async () => {
    const cohort = await loadCohort(name);
    const back = bundleToCohort(cohortToBundle(cohort));
    if (!back.ok) throw new Error(JSON.stringify(back.errors.slice(0, 5)));
    expect(back.cohort).toStrictEqual(cohort);
  });

  test('bundle → cohort → bundle is identical, for both bundle types', async () => {
    for (const type of ['collection', 'transaction'] as const) {
      const bundle = cohortToBundle(await loadCohort(name), { type });
      const back = bundleToCohort(JSON.parse(JSON.stringify(bundle)) as Bundle);
      expect(back.ok).toBe(true);
      if (back.ok) expect(JSON.stringify(cohortToBundle(back.cohort, { type }))).toBe(JSON.stringify(bundle));
    }
  });
});

describe('the mapping', () => {
  test('patients, labs and cycles carry the codes, units and text as written', async () => {
    const cohort = await loadCohort('valid-small');
    const bundle = cohortToBundle(cohort);
    const resources = bundle.entry!.map((e) => e.resource!);
    const p = resources.find((r): r is Patient => r.resourceType === 'Patient')!;
    expect(p.identifier).toContainEqual({ system: System.patientId, value: 'P001' });
    expect(p).toMatchObject({ gender: 'female', birthDate: '1950-04-12', name: [{ text: 'Jansen, Anna' }] });
    const obs = resources.filter((r): r is Observation => r.resourceType === 'Observation');
    const platelets = obs.find(
      (o) => o.effectiveDateTime === '2009-02-16T08:10:00+01:00' && o.code.coding?.[0]?.code === '777-3',
    )!;
    expect(platelets.valueQuantity).toEqual({
      value: 112000,
      unit: '/uL',
      system: 'http://unitsofmeasure.org',
      code: '/uL',
    });
    const hb = obs.find((o) => o.code.coding?.[0]?.code === '718-7' && o.effectiveDateTime === '2009-01-05')!;
    expect(hb.referenceRange).toEqual([
      {
        low: { value: 120, unit: 'g/L', system: 'http://unitsofmeasure.org', code: 'g/L' },
        high: { value: 160, unit: 'g/L', system: 'http://unitsofmeasure.org', code: 'g/L' },
      },
    ]);
    const egfr = obs.find((o) => o.code.coding?.[0]?.code === '33914-3')!;
    expect(egfr.valueQuantity?.code).toBe('mL/min/{1.73_m2}');
    const cycles = resources.filter(
      (r): r is MedicationAdministration => r.resourceType === 'MedicationAdministration',
    );
    expect(cycles[0]).toMatchObject({
      effectiveDateTime: '2009-01-12T09:30:00+01:00',
      dosage: { dose: { value: 7.4, code: 'GBq' } },
    });
    expect(cycles[0]!.supportingInformation![0]!.reference).toMatch(/^CarePlan\//);
    const derived = resources.filter((r) => r.meta?.tag?.some((t) => t.code === DERIVED_TAG.code));
    expect(derived.length).toBeGreaterThan(cohort.courses.length);
  });

  test('a date-time FHIR spells otherwise keeps its text as written', async () => {
    const cohort = await loadCohort('valid-small');
    const cycles = cohort.cycles.map((c, i) =>
      i === 0 ? { ...c, administeredAt: '2009-01-12T09:30+0100' } : c,
    );
    const bundle = cohortToBundle({ ...cohort, cycles });
    const admin = bundle.entry!.find((e) => e.resource?.resourceType === 'MedicationAdministration')!
      .resource as MedicationAdministration;
    expect(admin.effectiveDateTime).toBe('2009-01-12T09:30:00+01:00');
    expect(admin.extension).toContainEqual({
      url: Ext.dateTimeAsWritten,
      valueString: '2009-01-12T09:30+0100',
    });
    const back = bundleToCohort(bundle);
    expect(back.ok && back.cohort.cycles[0]!.administeredAt).toBe('2009-01-12T09:30+0100');
  });

  test('units written as UCUM codes only are read in the format’s spelling', async () => {
    const bundle = cohortToBundle(await loadCohort('valid-small'));
    const i = entryOf(bundle, (r) => r?.resourceType === 'Observation' && r.valueQuantity?.unit === '10^9/L');
    const obs = bundle.entry![i]!.resource as Observation;
    delete obs.valueQuantity!.unit;
    expect(obs.valueQuantity!.code).toBe('10*9/L');
    const back = bundleToCohort(bundle);
    expect(back.ok).toBe(true);
  });

  test('derived resources are ignored on import', async () => {
    const bundle = cohortToBundle(await loadCohort('valid-small'));
    const without = cohortToBundle(await loadCohort('valid-small'), { derived: false });
    expect(bundle.entry!.length).toBeGreaterThan(without.entry!.length);
    const a = bundleToCohort(bundle);
    const b = bundleToCohort(without);
    expect(a.ok && b.ok && a.cohort).toStrictEqual(b.ok && b.cohort);
  });
});

describe('located errors', () => {
  test('a missing patient identifier, an unknown gender and a broken reference are each located', async () => {
    const bundle = clone(cohortToBundle(await loadCohort('valid-small')));
    const p = bundle.entry![1]!.resource as Patient;
    p.gender = 'other';
    const cycle = entryOf(bundle, (r) => r?.resourceType === 'MedicationAdministration');
    (bundle.entry![cycle]!.resource as MedicationAdministration).supportingInformation = [
      { reference: 'CarePlan/nope' },
    ];
    const r = bundleToCohort(bundle);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toContainEqual({
      entry: 1,
      path: 'Patient.gender',
      message: 'gender other has no sex of the exchange format (F, M, U)',
    });
    expect(r.errors).toContainEqual(
      expect.objectContaining({ entry: cycle, path: 'MedicationAdministration.supportingInformation' }),
    );
  });

  test('the exchange format’s rules apply: an implausible activity is located at its dose', async () => {
    const bundle = clone(cohortToBundle(await loadCohort('valid-small')));
    const cycle = entryOf(bundle, (r) => r?.resourceType === 'MedicationAdministration');
    (bundle.entry![cycle]!.resource as MedicationAdministration).dosage!.dose!.value = 7400;
    const r = bundleToCohort(bundle);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ entry: cycle, path: 'MedicationAdministration.dosage.dose' });
    expect(r.errors[0]!.message).toContain('MBq');
  });

  test('a lab in a unit foreign to its test, and a resource type with no place, are refused', async () => {
    const bundle = clone(cohortToBundle(await loadCohort('valid-small')));
    const lab = entryOf(
      bundle,
      (r) => r?.resourceType === 'Observation' && r.code.coding?.[0]?.code === '777-3',
    );
    (bundle.entry![lab]!.resource as Observation).valueQuantity = { value: 5, unit: 'g/dL' };
    bundle.entry!.push({ resource: { resourceType: 'Practitioner' } });
    const r = bundleToCohort(bundle);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.entry, e.path])).toEqual([
      [lab, 'Observation.valueQuantity'],
      [bundle.entry!.length - 1, 'Practitioner'],
    ]);
  });

  test('a patient without its Condition misses primary_site, reported at the Patient', async () => {
    const bundle = clone(cohortToBundle(await loadCohort('valid-small')));
    const condition = entryOf(bundle, (r) => r?.resourceType === 'Condition');
    bundle.entry!.splice(condition, 1);
    const r = bundleToCohort(bundle);
    expect(!r.ok && r.errors).toEqual([
      { entry: 0, path: 'Patient', message: 'primary_site: a value is required here' },
    ]);
  });
});

describe('NDJSON', () => {
  test('one line per resource, one file per type, in bundle order; the folder writer writes them', async () => {
    const cohort = await loadCohort('valid-small');
    const bundle = cohortToBundle(cohort);
    const files = bundleToNdjson(bundle);
    const lines = [...files.values()].flatMap((t) => t.trimEnd().split('\n'));
    expect(lines.length).toBe(bundle.entry!.length);
    const patients = files
      .get('Patient')!
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Patient);
    expect(patients.map((p) => p.identifier?.[0]?.value)).toEqual(cohort.patients.map((p) => p.patientId));
    const dir = await mkdtemp(join(tmpdir(), 'prrt-fhir-'));
    try {
      const written = await writeFhirFolder(dir, cohort);
      expect(written).toContain('bundle.json');
      expect(written).toContain('AdverseEvent.ndjson');
      const read = JSON.parse(await readFile(join(dir, 'bundle.json'), 'utf8')) as Bundle;
      expect(bundleToCohort(read)).toStrictEqual({ ok: true, cohort });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Cohort } from '../../src/clinical/model.js';
import { loadCohort, loadPatientRecord } from '../../src/store/cohort-loader.js';
import { importCohort, type ImportCounts } from '../../src/store/cohort-import.js';
import type { Store } from '../../src/store/database.js';
import { PrrtError } from '../../src/errors.js';
import { repositories } from '../../src/store/repositories.js';
import { sampleCohort } from './sample-cohort.js';
import { storeSnapshot } from './store-snapshot.js';
import { testDatabases } from './test-databases.js';

const counts = (c: Partial<ImportCounts>): ImportCounts => ({
  patients: 0,
  courses: 0,
  cycles: 0,
  labs: 0,
  lesions: 0,
  events: 0,
  dosimetry: 0,
  ...c,
});

const sizes = (c: Cohort): ImportCounts => ({
  patients: c.patients.length,
  courses: c.courses.length,
  cycles: c.cycles.length,
  labs: c.labs.length,
  lesions: c.lesions.length,
  events: c.events.length,
  dosimetry: c.dosimetry.length,
});

const emptyCohort: Cohort = {
  patients: [],
  courses: [],
  cycles: [],
  labs: [],
  lesions: [],
  events: [],
  dosimetry: [],
};

/** Calls the function and returns what it threw. */
async function thrown(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

for (const database of testDatabases()) {
  describe(`${database.dialect}: importing a cohort`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await database.open();
    });
    afterEach(async () => {
      await store.close();
    });

    test('a cohort comes back exactly as imported, with the same types', async () => {
      const cohort = sampleCohort();
      const plan = await importCohort(store, cohort);
      expect(plan).toStrictEqual({ inserted: sizes(cohort), updated: counts({}), unchanged: counts({}) });
      expect(await loadCohort(store)).toStrictEqual(cohort);
    });

    test('rows given in any order come back in the store order', async () => {
      const cohort = sampleCohort();
      const reversed: Cohort = {
        patients: [...cohort.patients].reverse(),
        courses: [...cohort.courses].reverse(),
        cycles: [...cohort.cycles].reverse(),
        labs: [...cohort.labs].reverse(),
        lesions: [...cohort.lesions].reverse(),
        events: [...cohort.events].reverse(),
        dosimetry: [...cohort.dosimetry].reverse(),
      };
      await importCohort(store, reversed);
      expect(await loadCohort(store)).toStrictEqual(cohort);
    });

    test('one patient record holds only that patient’s rows', async () => {
      const cohort = sampleCohort();
      await importCohort(store, cohort);
      const record = await loadPatientRecord(store, 'P002');
      expect(record).toStrictEqual({
        patient: cohort.patients[1],
        courses: cohort.courses.filter((c) => c.patientId === 'P002'),
        cycles: cohort.cycles.filter((c) => c.patientId === 'P002'),
        labs: cohort.labs.filter((c) => c.patientId === 'P002'),
        lesions: [],
        events: cohort.events.filter((c) => c.patientId === 'P002'),
        dosimetry: [],
      });
      const missing = await thrown(() => loadPatientRecord(store, 'P404'));
      expect(missing).toBeInstanceOf(PrrtError);
      expect((missing as PrrtError).kind).toBe('NOT_FOUND');
    });

    test('importing the same cohort again changes nothing: no version, no updated_at', async () => {
      const cohort = sampleCohort();
      await importCohort(store, cohort);
      const before = await storeSnapshot(store);
      const plan = await importCohort(store, sampleCohort());
      expect(plan).toStrictEqual({ inserted: counts({}), updated: counts({}), unchanged: sizes(cohort) });
      expect(await storeSnapshot(store)).toStrictEqual(before);
    });

    test('a changed cohort updates rows by their natural keys and inserts new ones', async () => {
      const cohort = sampleCohort();
      await importCohort(store, cohort);
      const changed: Cohort = {
        ...cohort,
        patients: cohort.patients.map((p) =>
          p.patientId === 'P002' ? { ...p, deathDate: '2014-12-31', lastContactDate: '2014-12-31' } : p,
        ),
        labs: [
          ...cohort.labs.map((l) =>
            l.test === 'creatinine' ? { ...l, value: 97.262, original: { ...l.original, value: 1.1 } } : l,
          ),
          {
            patientId: 'P0_3',
            takenAt: '2014-01-01',
            takenDate: '2014-01-01',
            test: 'albumin',
            value: 40,
            lln: null,
            uln: null,
            original: { value: 4, unit: 'g/dL', lln: null, uln: null },
          },
        ],
        events: cohort.events.map((e) => (e.term === 'Nausea' ? { ...e, grade: 3 } : e)),
      };
      const plan = await importCohort(store, changed);
      expect(plan.inserted).toStrictEqual(counts({ labs: 1 }));
      expect(plan.updated).toStrictEqual(counts({ patients: 1, labs: 1, events: 1 }));
      expect(plan.unchanged).toStrictEqual(
        counts({
          ...sizes(cohort),
          patients: 2,
          labs: cohort.labs.length - 1,
          events: cohort.events.length - 1,
        }),
      );
      const loaded = await loadCohort(store);
      expect(loaded.patients).toStrictEqual(changed.patients);
      expect(loaded.events).toStrictEqual(changed.events);
      expect(loaded.labs).toHaveLength(changed.labs.length);
      expect(loaded.labs).toEqual(expect.arrayContaining([...changed.labs]));
      const repos = repositories(store);
      expect((await repos.patients.get({ patientId: 'P002' })).version).toBe(2);
      expect((await repos.patients.get({ patientId: 'P001' })).version).toBe(1);
    });

    test('a dry run returns the plan and writes nothing', async () => {
      const cohort = sampleCohort();
      const first = await importCohort(store, cohort, { dryRun: true });
      expect(first.inserted).toStrictEqual(sizes(cohort));
      expect(await loadCohort(store)).toStrictEqual(emptyCohort);

      await importCohort(store, cohort);
      const before = await storeSnapshot(store);
      const changed = {
        ...cohort,
        courses: cohort.courses.map((c) => ({ ...c, stopReason: 'completed' as const })),
      };
      const plan = await importCohort(store, changed, { dryRun: true });
      expect(plan.updated).toStrictEqual(counts({ courses: 2 }));
      expect(plan.unchanged.courses).toBe(1);
      expect(await storeSnapshot(store)).toStrictEqual(before);
    });

    test('an import that fails half-way leaves the database exactly as it was', async () => {
      await importCohort(store, sampleCohort());
      const before = await storeSnapshot(store);
      const cohort = sampleCohort();
      const broken: Cohort = {
        ...cohort,
        patients: [...cohort.patients, { ...cohort.patients[1]!, patientId: 'P9' }],
        courses: cohort.courses.map((c) => ({ ...c, intendedCycles: 5 })),
        // A lab of a patient that exists nowhere: the foreign key fails after patients, courses and
        // cycles have been written inside the transaction.
        labs: [...cohort.labs, { ...cohort.labs[0]!, patientId: 'NOBODY' }],
      };
      const error = await thrown(() => importCohort(store, broken));
      expect(error).toBeInstanceOf(PrrtError);
      expect((error as PrrtError).kind).toBe('INVALID_INPUT');
      expect(await storeSnapshot(store)).toStrictEqual(before);
    });

    test('an error raised between batches rolls everything back', async () => {
      const seen: [number, number][] = [];
      const error = await thrown(() =>
        importCohort(store, sampleCohort(), {
          onProgress: (done, total) => {
            seen.push([done, total]);
            if (seen.length === 3) throw new Error('cancelled');
          },
        }),
      );
      expect((error as Error).message).toBe('cancelled');
      expect(seen.length).toBe(3);
      expect(await loadCohort(store)).toStrictEqual(emptyCohort);
    });

    test('a key given twice is refused and nothing is stored', async () => {
      const cohort = sampleCohort();
      const twice = { ...cohort, lesions: [...cohort.lesions, { ...cohort.lesions[0]!, organ: 'lung' }] };
      const error = await thrown(() => importCohort(store, twice));
      expect((error as PrrtError).kind).toBe('INVALID_INPUT');
      expect((error as PrrtError).message).toContain('lesion L1 of patient P001 on 2009-02-20');
      expect(await loadCohort(store)).toStrictEqual(emptyCohort);
    });

    test('progress counts every row once and ends at the total', async () => {
      const cohort = sampleCohort();
      const total = Object.values(sizes(cohort)).reduce((a, b) => a + b, 0);
      const seen: [number, number][] = [];
      await importCohort(store, cohort, { onProgress: (done, all) => seen.push([done, all]) });
      expect(seen.every(([, all]) => all === total)).toBe(true);
      expect(seen.map(([done]) => done)).toStrictEqual([...seen.map(([done]) => done)].sort((a, b) => a - b));
      expect(seen.at(-1)).toStrictEqual([total, total]);
    });

    test('thousands of rows go in batches and come back whole', async () => {
      const cohort = sampleCohort();
      const labs = Array.from({ length: 12_000 }, (_, i) => {
        const day = String(1 + (i % 28)).padStart(2, '0');
        const month = String(1 + (Math.floor(i / 28) % 12)).padStart(2, '0');
        const year = 1990 + Math.floor(i / 336);
        const takenAt = `${year}-${month}-${day}`;
        const patientId = cohort.patients[i % 3]!.patientId;
        const value = (i * 7.3) / 3;
        return {
          patientId,
          takenAt,
          takenDate: takenAt,
          test: 'platelets' as const,
          value,
          lln: null,
          uln: null,
          original: { value, unit: '10^9/L', lln: null, uln: null },
        };
      });
      const big: Cohort = { ...cohort, labs };
      const plan = await importCohort(store, big);
      expect(plan.inserted.labs).toBe(labs.length);
      const loaded = await loadCohort(store);
      expect(loaded.labs).toHaveLength(labs.length);
      const order = (l: { patientId: string; takenAt: string }) => `${l.patientId}|${l.takenAt}`;
      const sorted = [...labs].sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
      expect(loaded.labs).toStrictEqual(sorted);
      const again = await importCohort(store, big);
      expect(again.unchanged.labs).toBe(labs.length);
    });
  });
}

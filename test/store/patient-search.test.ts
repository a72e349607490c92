import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Cohort, Patient, PrimarySite } from '../../src/clinical/model.js';
import { PrrtError } from '../../src/errors.js';
import { importCohort } from '../../src/store/cohort-import.js';
import type { Store } from '../../src/store/database.js';
import { searchPatients } from '../../src/store/patient-search.js';
import { testDatabases } from './test-databases.js';

const SITES: readonly PrimarySite[] = ['midgut', 'pancreatic', 'bronchial'];
const NAMES: readonly (string | null)[] = [
  'Åström, Eva',
  'de Vries, Jan',
  null,
  'Muller, Kai',
  'Müller, Anna',
  'van Dijk',
];

/** 25 patients with ids A00…A19 and B_0…B_4, names and sites cycling through the lists above. */
function patients(): Patient[] {
  const ids = [
    ...Array.from({ length: 20 }, (_, i) => `A${String(i).padStart(2, '0')}`),
    'B_0',
    'B_1',
    'B_2',
    'B_3',
    'B_4',
  ];
  return ids.map((patientId, i) => ({
    patientId,
    name: NAMES[i % NAMES.length]!,
    mrn: null,
    sex: 'U',
    birthDate: null,
    primarySite: SITES[i % SITES.length]!,
    diagnosisDate: i % 4 === 0 ? null : `2010-01-${String(1 + i).padStart(2, '0')}`,
    grade: null,
    ki67Percent: null,
    karnofsky: null,
    weightKg: null,
    hypertension: null,
    diabetes: null,
    lastContactDate: '2015-01-01',
    deathDate: null,
  }));
}

const ids = (list: readonly Patient[]) => list.map((p) => p.patientId);

for (const database of testDatabases()) {
  describe(`${database.dialect}: patient search`, () => {
    let store: Store;
    const all = patients();
    beforeAll(async () => {
      store = await database.open();
      const cohort: Cohort = {
        patients: all,
        courses: [],
        cycles: [],
        labs: [],
        lesions: [],
        events: [],
        dosimetry: [],
      };
      await importCohort(store, cohort);
    });
    afterAll(async () => {
      await store.close();
    });

    test('pages through all patients by id with the total on every page', async () => {
      const seen: string[] = [];
      for (let offset = 0; offset < 30; offset += 10) {
        const page = await searchPatients(store, { offset, limit: 10 });
        expect(page.total).toBe(25);
        expect(typeof page.total).toBe('number');
        seen.push(...ids(page.patients));
      }
      expect(seen).toStrictEqual(ids(all));
    });

    test('an id prefix matches literally and case-sensitively (`_` is no wildcard)', async () => {
      const page = await searchPatients(store, { idPrefix: 'B_' });
      expect(ids(page.patients)).toStrictEqual(['B_0', 'B_1', 'B_2', 'B_3', 'B_4']);
      expect((await searchPatients(store, { idPrefix: 'A1' })).total).toBe(10);
      expect((await searchPatients(store, { idPrefix: 'b_' })).total).toBe(0);
    });

    test('a name matches anywhere, ignoring case and accents', async () => {
      const expected = all.filter((p) => p.name !== null && /m(u|ü)ller/i.test(p.name));
      const page = await searchPatients(store, { name: 'MULLER' });
      expect(ids(page.patients)).toStrictEqual(ids(expected));
      expect(page.total).toBe(expected.length);
      expect((await searchPatients(store, { name: 'astrom' })).total).toBe(
        all.filter((p) => p.name === 'Åström, Eva').length,
      );
      expect((await searchPatients(store, { name: '%' })).total).toBe(0);
    });

    test('filters combine with AND', async () => {
      const expected = all.filter((p) => p.primarySite === 'midgut' && p.patientId.startsWith('A'));
      const page = await searchPatients(store, { primarySite: 'midgut', idPrefix: 'A', limit: 100 });
      expect(ids(page.patients)).toStrictEqual(ids(expected));
    });

    test('sorting by name descending puts missing names last and breaks ties by id', async () => {
      const page = await searchPatients(store, { sort: 'name', direction: 'desc', limit: 100 });
      const fold = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
      const named = all.filter((p) => p.name !== null);
      const expected = [
        ...named.sort((a, b) => {
          const [x, y] = [fold(a.name!), fold(b.name!)];
          if (x !== y) return x < y ? 1 : -1;
          return a.patientId < b.patientId ? 1 : -1;
        }),
        ...all.filter((p) => p.name === null).sort((a, b) => (a.patientId < b.patientId ? 1 : -1)),
      ];
      expect(ids(page.patients)).toStrictEqual(ids(expected));
    });

    test('sorting by diagnosis date ascending puts missing dates last', async () => {
      const page = await searchPatients(store, { sort: 'diagnosisDate', limit: 100 });
      const dates = page.patients.map((p) => p.diagnosisDate);
      const present = dates.filter((d) => d !== null);
      expect(dates).toStrictEqual([...[...present].sort(), ...dates.filter((d) => d === null)]);
      expect(dates.filter((d) => d === null)).toHaveLength(
        all.filter((p) => p.diagnosisDate === null).length,
      );
    });

    test('an impossible page is invalid input', async () => {
      for (const q of [{ limit: 0 }, { offset: -1 }, { limit: 1.5 }, { limit: 100_000 }]) {
        await expect(searchPatients(store, q)).rejects.toBeInstanceOf(PrrtError);
      }
    });
  });
}

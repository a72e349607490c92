import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { PrrtError } from '../../src/errors.js';
import { loadCohort } from '../../src/store/cohort-loader.js';
import { importCohort } from '../../src/store/cohort-import.js';
import type { Store } from '../../src/store/database.js';
import { repositories, type Repositories } from '../../src/store/repositories.js';
import { sampleCohort } from './sample-cohort.js';
import { storeSnapshot } from './store-snapshot.js';
import { testDatabases } from './test-databases.js';

async function refusal(run: () => Promise<unknown>): Promise<PrrtError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof PrrtError) return error;
    throw error;
  }
  throw new Error('expected a PrrtError');
}

for (const database of testDatabases()) {
  describe(`${database.dialect}: records with optimistic concurrency`, () => {
    let store: Store;
    let repos: Repositories;
    beforeEach(async () => {
      store = await database.open();
      repos = repositories(store);
      await importCohort(store, sampleCohort());
    });
    afterEach(async () => {
      await store.close();
    });

    test('an update applies the patch, keeps the key and bumps the version', async () => {
      const read = await repos.cycles.get({ patientId: 'P001', courseId: 'R1', cycle: 2 });
      expect(read.version).toBe(1);
      const written = await repos.cycles.update(
        { patientId: 'P001', courseId: 'R1', cycle: 2 },
        { activityGbq: 6.66, plannedActivityGbq: 7.4 },
        read.version,
      );
      expect(written.version).toBe(2);
      expect(written.value).toStrictEqual({ ...read.value, activityGbq: 6.66, plannedActivityGbq: 7.4 });
      const again = await repos.cycles.get({ patientId: 'P001', courseId: 'R1', cycle: 2 });
      expect(again).toStrictEqual(written);
      expect(again.updatedAt >= read.updatedAt).toBe(true);
    });

    test('a patch may set a value to null and a boolean to false', async () => {
      const read = await repos.patients.get({ patientId: 'P001' });
      const written = await repos.patients.update(
        { patientId: 'P001' },
        { hypertension: false, deathDate: null, name: 'Mueller, Anna' },
        read.version,
      );
      const again = await repos.patients.get({ patientId: 'P001' });
      expect(again.value).toStrictEqual(written.value);
      expect(again.value.hypertension).toBe(false);
      expect(again.value.deathDate).toBeNull();
    });

    test('a stale update is refused with STALE_WRITE (409) and loses nothing', async () => {
      const key = { patientId: 'P001', takenAt: '2009-03-01', test: 'platelets' as const };
      const alice = await repos.labs.get(key);
      const bob = await repos.labs.get(key);
      await repos.labs.update(
        key,
        { value: 200, original: { ...alice.value.original, value: 200_000 } },
        alice.version,
      );
      const before = await storeSnapshot(store);
      const error = await refusal(() => repos.labs.update(key, { value: 1 }, bob.version));
      expect(error.kind).toBe('STALE_WRITE');
      expect(error.status).toBe(409);
      expect(await storeSnapshot(store)).toStrictEqual(before);
      expect((await repos.labs.get(key)).value.value).toBe(200);
    });

    test('a stale delete is refused and the row stays', async () => {
      const key = { patientId: 'P001', date: '2009-06-01', event: 'adverse_event' as const, term: 'Nausea' };
      const read = await repos.events.get(key);
      await repos.events.update(key, { grade: 3 }, read.version);
      const error = await refusal(() => repos.events.delete(key, read.version));
      expect(error.kind).toBe('STALE_WRITE');
      expect((await repos.events.get(key)).value.grade).toBe(3);
    });

    test('an event without a term is its own key beside one with a term', async () => {
      const bare = { patientId: 'P001', date: '2009-06-01', event: 'adverse_event' as const, term: null };
      const read = await repos.events.get(bare);
      expect(read.value.term).toBeNull();
      await repos.events.delete(bare, read.version);
      expect(await repos.events.find(bare)).toBeUndefined();
      expect(await repos.events.find({ ...bare, term: 'Nausea' })).toBeDefined();
    });

    test('missing records answer NOT_FOUND (404) to get, update and delete', async () => {
      const key = { patientId: 'P001', courseId: 'X9' };
      expect(await repos.courses.find(key)).toBeUndefined();
      for (const run of [
        () => repos.courses.get(key),
        () => repos.courses.update(key, { stopReason: 'other' }, 1),
        () => repos.courses.delete(key, 1),
      ]) {
        const error = await refusal(run);
        expect(error.kind).toBe('NOT_FOUND');
        expect(error.status).toBe(404);
      }
    });

    test('insert starts at version 1; a repeated key is a conflict, a missing parent invalid input', async () => {
      const course = { ...sampleCohort().courses[2]!, courseId: 'S1', kind: 'salvage' as const };
      const inserted = await repos.courses.insert(course);
      expect(inserted.version).toBe(1);
      expect((await repos.courses.get({ patientId: 'P002', courseId: 'S1' })).value).toStrictEqual(course);
      const repeated = await refusal(() => repos.courses.insert(course));
      expect(repeated.kind).toBe('CONFLICT');
      expect(repeated.status).toBe(409);
      expect(repeated.message).toContain('already exists');
      const orphan = await refusal(() => repos.courses.insert({ ...course, patientId: 'NOBODY' }));
      expect(orphan.kind).toBe('INVALID_INPUT');
      expect(orphan.message).toContain('does not exist');
    });

    test('deleting a patient removes everything recorded for that patient', async () => {
      const read = await repos.patients.get({ patientId: 'P001' });
      await repos.patients.delete({ patientId: 'P001' }, read.version);
      const left = await loadCohort(store);
      const others = sampleCohort();
      const notP001 = <T extends { patientId: string }>(rows: readonly T[]) =>
        rows.filter((r) => r.patientId !== 'P001');
      expect(left).toStrictEqual({
        patients: notP001(others.patients),
        courses: notP001(others.courses),
        cycles: notP001(others.cycles),
        labs: notP001(others.labs),
        lesions: notP001(others.lesions),
        events: notP001(others.events),
        dosimetry: notP001(others.dosimetry),
      });
    });

    test('a patient’s rows list in the store order with their versions', async () => {
      const list = await repos.dosimetry.listForPatient('P001');
      expect(list.map((v) => v.value)).toStrictEqual(sampleCohort().dosimetry);
      expect(list.every((v) => v.version === 1)).toBe(true);
    });
  });
}

import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { writeRegistry } from '../../bench/registry-cohort.js';
import { importFolder } from '../../src/cli/folder-import.js';
import { readExchangeFolder } from '../../src/interop/exchange-folder/index.js';
import { importCohort } from '../../src/store/cohort-import.js';
import { loadCohort } from '../../src/store/cohort-loader.js';
import { cohortStamp } from '../../src/store/data-stamps.js';
import type { Store } from '../../src/store/database.js';
import { storeSnapshot } from './store-snapshot.js';
import { testDatabases } from './test-databases.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'exchange');

let work: string;
let registry: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'prrt-one-pass-'));
  registry = join(work, 'registry');
  writeRegistry({ dir: registry, patients: 40, seed: 11 });
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

async function stamps(store: Store): Promise<Map<string, number>> {
  const r = await sql<{
    patient_id: string;
    data_version: number | string;
  }>`SELECT patient_id, data_version FROM patients`.execute(store.db);
  return new Map(r.rows.map((row) => [row.patient_id, Number(row.data_version)]));
}

async function imported(store: Store, dir: string, inline = false) {
  const r = await importFolder(store, dir, { inline });
  if (!r.ok) throw new Error(`${dir} should be valid: ${r.errors[0]?.message ?? ''}`);
  return r.plan;
}

/** A copy of `from` (the registry by default) with `change` applied to one of its files. */
function variant(name: string, file: string, change: (text: string) => string, from = registry): string {
  const dir = join(work, name);
  rmSync(dir, { recursive: true, force: true });
  cpSync(from, dir, { recursive: true });
  writeFileSync(join(dir, file), change(readFileSync(join(dir, file), 'utf8')));
  return dir;
}

for (const database of testDatabases()) {
  describe(`${database.dialect}: one-pass folder import`, { timeout: 120_000 }, () => {
    let store: Store;
    let other: Store;
    beforeEach(async () => {
      store = await database.open();
      other = await database.open();
    });
    afterEach(async () => {
      await store.close();
      await other.close();
    });

    test('reading on a worker thread and on the calling thread give the same plan and content', async () => {
      await imported(store, join(FIXTURES, 'valid-small'));
      await imported(other, join(FIXTURES, 'valid-small'), true);
      const threaded = await imported(store, registry);
      const inline = await imported(other, registry, true);
      expect(inline).toStrictEqual(threaded);
      expect(threaded.inserted.patients).toBe(40);
      expect(await loadCohort(other)).toStrictEqual(await loadCohort(store));
    });

    test('change stamps move for every patient the import touches, and only for them', async () => {
      const clock0 = await cohortStamp(store);
      await imported(store, registry);
      const clock1 = await cohortStamp(store);
      const first = await stamps(store);
      expect(first.size).toBe(40);
      expect(clock1).toBeGreaterThan(clock0);
      for (const stamp of first.values()) {
        expect(stamp).toBeGreaterThan(clock0);
        expect(stamp).toBeLessThanOrEqual(clock1);
      }

      // Nothing changes: no stamp moves, nor the clock.
      await imported(store, registry);
      expect(await cohortStamp(store)).toBe(clock1);
      expect(await stamps(store)).toStrictEqual(first);

      // One lab value of one patient changes: that patient alone gets a new stamp, never used before.
      const lines = readFileSync(join(registry, 'labs.csv'), 'utf8').split('\n');
      const patientId = lines[1]!.split(',')[0]!;
      const changed = variant(`one-lab-${database.dialect}`, 'labs.csv', () =>
        [lines[0], lines[1]!.replace(/,(\d+),10\^9\/L,/, (_m, v: string) => `,${Number(v) + 1},10^9/L,`)]
          .concat(lines.slice(2))
          .join('\n'),
      );
      const plan = await imported(store, changed);
      expect(plan.updated.labs).toBe(1);
      const clock2 = await cohortStamp(store);
      expect(clock2).toBeGreaterThan(clock1);
      const second = await stamps(store);
      for (const [id, stamp] of second) {
        if (id === patientId) {
          expect(stamp).toBeGreaterThan(clock1);
          expect(stamp).toBeLessThanOrEqual(clock2);
        } else {
          expect(stamp).toBe(first.get(id));
        }
      }

      // A new lab row of an existing patient, in a table that is not empty: that patient's stamp moves.
      const other = [...first.keys()].find((id) => id !== patientId)!;
      const added = variant(`new-lab-${database.dialect}`, 'labs.csv', (text) => text, changed);
      appendFileSync(join(added, 'labs.csv'), `${other},2001-01-01,platelets,250,10^9/L,150,400\n`);
      const plan3 = await imported(store, added);
      expect(plan3.inserted.labs).toBe(1);
      const third = await stamps(store);
      expect(third.get(other)).toBeGreaterThan(clock2);
      expect(third.get(patientId)).toBe(second.get(patientId));
    });

    test('the stamp triggers are in place after an import and keep working', async () => {
      await imported(store, registry);
      if (store.config.kind === 'sqlite') {
        const check = new Database(store.config.path, { readonly: true });
        try {
          const n = check
            .prepare<[], { n: number }>(
              `SELECT count(*) AS n FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%\\_stamp\\_%' ESCAPE '\\'`,
            )
            .get()!.n;
          expect(n).toBe(21);
        } finally {
          check.close();
        }
      }
      const before = await stamps(store);
      const clock = await cohortStamp(store);
      const id = [...before.keys()][0]!;
      await sql`UPDATE labs SET value = value + 1 WHERE patient_id = ${id}`.execute(store.db);
      expect(await cohortStamp(store)).toBeGreaterThan(clock);
      expect((await stamps(store)).get(id)).toBeGreaterThan(before.get(id)!);
    });

    test('an error that only a later rule finds, after rows were written, leaves the database as it was', async () => {
      await imported(store, join(FIXTURES, 'valid-small'));
      const before = await storeSnapshot(store);
      const clock = await cohortStamp(store);
      // A course without cycles is known only once cycles.csv has been read; a bad last row of events.csv
      // only at the very end.
      const patient = readFileSync(join(registry, 'patients.csv'), 'utf8').split('\n')[1]!.split(',')[0]!;
      const dir = variant(`late-errors-${database.dialect}`, 'courses.csv', (text) => text);
      appendFileSync(join(dir, 'courses.csv'), `${patient},X9,regular,4,29.6,completed\n`);
      appendFileSync(join(dir, 'events.csv'), `${patient},not-a-date,progression,,,\n`);
      const expected = await readExchangeFolder(dir);
      expect(expected.ok).toBe(false);
      for (const inline of [false, true]) {
        const r = await importFolder(store, dir, { inline });
        expect(r.ok).toBe(false);
        if (r.ok || expected.ok) return;
        expect(r.errors).toStrictEqual(expected.errors);
        expect(r.errors.map((e) => e.file)).toEqual(expect.arrayContaining(['courses.csv', 'events.csv']));
        expect(await storeSnapshot(store)).toStrictEqual(before);
        expect(await cohortStamp(store)).toBe(clock);
      }
    });

    test('the plan matches importCohort on a database that already holds part of the folder', async () => {
      const cohort = await readExchangeFolder(registry);
      if (!cohort.ok) throw new Error('the registry should be valid');
      const half = {
        ...cohort.cohort,
        labs: cohort.cohort.labs.slice(0, 200),
        lesions: [],
        events: [],
      };
      await importCohort(store, half);
      await importCohort(other, half);
      const expected = await importCohort(other, cohort.cohort);
      expect(await imported(store, registry)).toStrictEqual(expected);
      expect(await loadCohort(store)).toStrictEqual(await loadCohort(other));
    });
  });
}

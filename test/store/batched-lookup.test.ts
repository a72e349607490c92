/**
 * Batched lookups: lookups asked in one turn share one fetch, every caller gets its own key's value
 * (or undefined), nothing is cached between turns, and lookups inside a store transaction read in it.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { batchedLookup } from '../../src/store/batched-lookup.js';
import { patientStamp } from '../../src/store/data-stamps.js';
import type { Store } from '../../src/store/index.js';
import { importCohort } from '../../src/store/cohort-import.js';
import { sampleCohort } from './sample-cohort.js';
import { testDatabases } from './test-databases.js';

function counting(values: Record<string, number>) {
  const calls: string[][] = [];
  const lookup = batchedLookup<number>((keys) => {
    calls.push([...keys]);
    return Promise.resolve(
      new Map(keys.filter((k) => k in values).map((k) => [k, values[k]!] as [string, number])),
    );
  });
  return { calls, lookup };
}

describe('batched lookup', () => {
  test('lookups of one turn share one fetch; each caller gets its own value', async () => {
    const { calls, lookup } = counting({ a: 1, b: 2, c: 3 });
    const got = await Promise.all(['a', 'b', 'missing', 'c', 'a'].map((k) => lookup.get(k)));
    expect(got).toEqual([1, 2, undefined, 3, 1]);
    expect(calls).toHaveLength(1);
    // Each key asked for once, whatever the number of callers.
    expect([...calls[0]!].sort()).toEqual(['a', 'b', 'c', 'missing']);
  });

  test('nothing is kept between turns: a later lookup fetches again and sees the new value', async () => {
    const values: Record<string, number> = { a: 1 };
    const { calls, lookup } = counting(values);
    expect(await lookup.get('a')).toBe(1);
    values.a = 2;
    expect(await lookup.get('a')).toBe(2);
    delete values.a;
    expect(await lookup.get('a')).toBeUndefined();
    expect(calls).toHaveLength(3);
  });

  test('lookups arriving from separate I/O callbacks of one turn share the fetch', async () => {
    const { calls, lookup } = counting({ a: 1, b: 2 });
    // Two timers due together run in one timers phase, as two sockets' data would in one poll phase.
    const got = await Promise.all(
      ['a', 'b'].map(
        (k) =>
          new Promise<number | undefined>((resolve) =>
            setTimeout(() => {
              resolve(lookup.get(k));
            }, 5),
          ),
      ),
    );
    expect(got).toEqual([1, 2]);
    expect(calls).toHaveLength(1);
  });

  test('a failed fetch fails every lookup of its batch, and the next batch works', async () => {
    let fail = true;
    const lookup = batchedLookup<number>((keys) =>
      fail ? Promise.reject(new Error('database gone')) : Promise.resolve(new Map(keys.map((k) => [k, 7]))),
    );
    const outcomes = await Promise.allSettled([lookup.get('a'), lookup.get('b')]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await lookup.get('a')).toBe(7);
  });
});

for (const db of testDatabases()) {
  describe(`${db.dialect}: patient stamps through the batched lookup`, () => {
    let store: Store | undefined;
    afterEach(async () => {
      await store?.close();
      store = undefined;
    });

    test('many at once: the same stamps as one by one, undefined for unknown patients', async () => {
      store = await db.open();
      const s = store;
      await importCohort(s, sampleCohort());
      const ids = (await s.db.selectFrom('patients').select('patient_id').execute()).map((r) => r.patient_id);
      const oneByOne: (number | undefined)[] = [];
      for (const id of [...ids, 'NOBODY']) oneByOne.push(await patientStamp(s, id));
      const together = await Promise.all([...ids, 'NOBODY'].map((id) => patientStamp(s, id)));
      expect(together).toEqual(oneByOne);
      expect(together.at(-1)).toBeUndefined();
      expect(together.slice(0, -1).every((v) => typeof v === 'number')).toBe(true);
    });

    test('inside a transaction the lookup sees the transaction’s own change', async () => {
      store = await db.open();
      const s = store;
      await importCohort(s, sampleCohort());
      const id = (await s.db.selectFrom('patients').select('patient_id').executeTakeFirstOrThrow())
        .patient_id;
      const before = await patientStamp(s, id);
      const inside = await s.inTransaction(async () => {
        await s.db.updateTable('patients').set({ weight_kg: 71.5 }).where('patient_id', '=', id).execute();
        return patientStamp(s, id);
      });
      expect(inside).not.toBe(before);
      expect(await patientStamp(s, id)).toBe(inside);
    });
  });
}

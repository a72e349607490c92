/**
 * `store.inTransaction(work)`: every query of the store made while `work` runs joins one transaction,
 * whichever module makes it; nothing of it is seen outside before the commit, and nothing is kept
 * when `work` throws.
 */
import { afterEach, describe, expect, test } from 'vitest';
import type { Store } from '../../src/store/index.js';
import { testDatabases } from './test-databases.js';

/** A stand-in for a module that writes through the store without being handed a transaction. */
async function writeSetting(store: Store, key: string, value: string): Promise<void> {
  await store.db
    .insertInto('site_settings')
    .values({ key, value, updated_at: '2026-01-01T00:00:00.000Z' })
    .execute();
}

async function settings(store: Store): Promise<Record<string, string>> {
  const rows = await store.db.selectFrom('site_settings').select(['key', 'value']).orderBy('key').execute();
  return Object.fromEntries(rows.filter((r) => r.key.startsWith('t.')).map((r) => [r.key, r.value]));
}

/** Settles within `ms`, or fails naming what hung (a query waiting for its own transaction would). */
function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  return Promise.race([
    p,
    new Promise<T>((_, reject) =>
      setTimeout(() => {
        reject(new Error(`${what} did not finish in ${ms} ms`));
      }, ms),
    ),
  ]);
}

for (const db of testDatabases()) {
  describe(`${db.dialect}: queries join the ambient transaction`, () => {
    let store: Store | undefined;
    afterEach(async () => {
      await store?.close();
      store = undefined;
    });

    test('writes made by other code inside the scope commit together', async () => {
      store = await db.open();
      const s = store;
      const result = await within(
        5000,
        'the transaction',
        s.inTransaction(async () => {
          await writeSetting(s, 't.a', '1');
          // Several queries at once inside the scope share its one connection.
          await Promise.all([writeSetting(s, 't.b', '2'), writeSetting(s, 't.c', '3')]);
          const seen = await settings(s);
          return Object.keys(seen).length;
        }),
      );
      expect(result).toBe(3);
      expect(await settings(s)).toEqual({ 't.a': '1', 't.b': '2', 't.c': '3' });
    });

    test('when the work throws, nothing it wrote through any module is kept', async () => {
      store = await db.open();
      const s = store;
      await writeSetting(s, 't.before', 'kept');
      await expect(
        s.inTransaction(async () => {
          await writeSetting(s, 't.a', '1');
          await s.db
            .updateTable('site_settings')
            .set({ value: 'changed' })
            .where('key', '=', 't.before')
            .execute();
          throw new Error('the change failed half-way');
        }),
      ).rejects.toThrow('the change failed half-way');
      expect(await settings(s)).toEqual({ 't.before': 'kept' });
    });

    test('a failed statement rolls back the statements before it', async () => {
      store = await db.open();
      const s = store;
      await expect(
        s.inTransaction(async () => {
          await writeSetting(s, 't.a', '1');
          await writeSetting(s, 't.a', 'duplicate key');
        }),
      ).rejects.toThrow();
      expect(await settings(s)).toEqual({});
      // The connection is usable afterwards.
      await writeSetting(s, 't.after', 'ok');
      expect(await settings(s)).toEqual({ 't.after': 'ok' });
    });

    test('outside readers see nothing before the commit, and everything after it', async () => {
      store = await db.open();
      const s = store;
      let release!: () => void;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      let written!: () => void;
      const wroteIt = new Promise<void>((resolve) => {
        written = resolve;
      });
      const tx = s.inTransaction(async () => {
        await writeSetting(s, 't.a', '1');
        written();
        await gate;
      });
      await wroteIt;
      // A read from outside the scope: PostgreSQL answers from another connection without the
      // uncommitted row; SQLite's one connection is busy, so the read waits for the commit.
      const outside = settings(s);
      const early = await Promise.race([
        outside.then((v) => ({ settled: true as const, v })),
        new Promise<{ settled: false }>((resolve) =>
          setTimeout(() => {
            resolve({ settled: false });
          }, 200),
        ),
      ]);
      if (early.settled) expect(early.v).toEqual({});
      release();
      await tx;
      const late = await outside;
      expect(late).toEqual(early.settled ? {} : { 't.a': '1' });
      expect(await settings(s)).toEqual({ 't.a': '1' });
    });

    test('a transaction opened inside a scope is refused, not merged or committed early', async () => {
      store = await db.open();
      const s = store;
      await expect(
        within(
          5000,
          'the nested transaction',
          s.inTransaction(async () => {
            await writeSetting(s, 't.a', '1');
            await s.inTransaction(() => writeSetting(s, 't.b', '2'));
          }),
        ),
      ).rejects.toThrow(/transaction/i);
      await expect(
        s.inTransaction(async () => {
          await writeSetting(s, 't.a', '1');
          await s.db
            .transaction()
            .execute((trx) =>
              trx
                .insertInto('site_settings')
                .values({ key: 't.b', value: '2', updated_at: '2026-01-01T00:00:00.000Z' })
                .execute(),
            );
        }),
      ).rejects.toThrow(/transaction/i);
      expect(await settings(s)).toEqual({});
    });

    test('scopes running at once stay apart', async () => {
      store = await db.open();
      const s = store;
      const outcomes = await within(
        10_000,
        'the scopes',
        Promise.allSettled(
          Array.from({ length: 8 }, (_, i) =>
            s.inTransaction(async () => {
              await writeSetting(s, `t.${i}`, String(i));
              if (i % 2 === 1) throw new Error(`scope ${i} fails`);
            }),
          ),
        ),
      );
      expect(outcomes.map((o) => o.status)).toEqual(
        Array.from({ length: 8 }, (_, i) => (i % 2 === 1 ? 'rejected' : 'fulfilled')),
      );
      expect(await settings(s)).toEqual({ 't.0': '0', 't.2': '2', 't.4': '4', 't.6': '6' });
    });
  });
}

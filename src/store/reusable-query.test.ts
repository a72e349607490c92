import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, describe, expect, test } from 'vitest';
import { testDatabases } from '../../test/store/test-databases.js';
import type { Store } from './database.js';
import { perDatabase, reusableQuery } from './reusable-query.js';
import { cachingSqliteDatabase } from './sqlite-statement-cache.js';

for (const db of testDatabases()) {
  describe(`${db.dialect}: reusable queries`, () => {
    const stores: Store[] = [];
    afterAll(async () => {
      for (const s of stores) await s.close();
    });

    test('each run binds its own values, in the places of their markers', async () => {
      const store = await db.open();
      stores.push(store);
      const at = '2026-01-01T00:00:00.000Z';
      await store.db
        .insertInto('site_settings')
        .values([
          { key: 'a', value: 'one', updated_at: at },
          { key: 'b', value: 'two', updated_at: at },
          { key: 'c', value: 'three', updated_at: '2027-01-01T00:00:00.000Z' },
        ])
        .execute();
      // Two parameters, named in the other order than they appear, and a literal value between them.
      const query = reusableQuery<{ after: string; key: string }, { key: string; value: string }>(
        store.db,
        ['after', 'key'],
        (marker) =>
          store.db
            .selectFrom('site_settings')
            .select(['key', 'value'])
            .where('key', '=', marker('key'))
            .where('value', '<>', 'never')
            .where('updated_at', '>=', marker('after')),
      );
      expect(await query.rows({ key: 'a', after: '2000-01-01' })).toEqual([{ key: 'a', value: 'one' }]);
      expect(await query.rows({ key: 'b', after: '2000-01-01' })).toEqual([{ key: 'b', value: 'two' }]);
      expect(await query.rows({ key: 'b', after: '2026-06-01' })).toEqual([]);
      expect(await query.rows({ key: 'c', after: '2026-06-01' })).toEqual([{ key: 'c', value: 'three' }]);
      // A value that looks like SQL is only a value.
      expect(await query.rows({ key: "a' OR '1'='1", after: '2000-01-01' })).toEqual([]);
    });

    test('perDatabase makes one query per database handle', async () => {
      const store = await db.open();
      stores.push(store);
      let made = 0;
      const of = perDatabase((d: Store['db']) => {
        made += 1;
        return { d };
      });
      expect(of(store.db)).toBe(of(store.db));
      expect(made).toBe(1);
    });

    if (db.dialect === 'sqlite') {
      test('writeNow commits at once, refuses inside an open transaction, and rolls back on error', async () => {
        const store = await db.open();
        stores.push(store);
        if (store.dialect.writeNow === undefined) throw new Error('the SQLite dialect has writeNow');
        const writeNow = store.dialect.writeNow.bind(store.dialect);
        const insert = 'INSERT INTO site_settings (key, value, updated_at) VALUES (?, ?, ?)';
        const done = writeNow((run) => {
          run.run(insert, ['now', 'v', 'x']);
          return run.get('SELECT value FROM site_settings WHERE key = ?', ['now']);
        });
        expect(done).toEqual({ value: { value: 'v' } });

        expect(() =>
          writeNow((run) => {
            run.run(insert, ['half', 'v', 'x']);
            run.run(insert, ['half', 'duplicate key', 'x']);
          }),
        ).toThrow();
        const half = await store.db
          .selectFrom('site_settings')
          .select('key')
          .where('key', '=', 'half')
          .execute();
        expect(half).toEqual([]);

        await store.db.transaction().execute(async (trx) => {
          await sql`INSERT INTO site_settings (key, value, updated_at) VALUES ('in', 'v', 'x')`.execute(trx);
          expect(writeNow(() => 1)).toBeUndefined();
        });
        const keys = await store.db.selectFrom('site_settings').select('key').orderBy('key').execute();
        expect(keys.map((k) => k.key)).toEqual(['in', 'now']);
      });
    }
  });
}

describe('the SQLite statement cache', () => {
  test('hands out a kept statement, a fresh one while it is iterated, and keeps at most the limit', () => {
    const connection = new Database(':memory:');
    const cached = cachingSqliteDatabase(connection, 2);
    const a = cached.prepare('SELECT 1 AS x');
    expect(cached.prepare('SELECT 1 AS x')).toBe(a);
    // While a kept statement is being iterated, another use gets a statement of its own.
    const iterating = cached.prepare('SELECT 1 AS x UNION ALL SELECT 2') as unknown as Database.Statement;
    const it = iterating.iterate();
    it.next();
    const other = cached.prepare('SELECT 1 AS x UNION ALL SELECT 2');
    expect(other).not.toBe(iterating);
    expect((other as unknown as Database.Statement).all()).toEqual([{ x: 1 }, { x: 2 }]);
    it.return?.();
    // The least recently used text goes beyond the limit of two.
    cached.prepare('SELECT 3 AS x');
    expect(cached.prepare('SELECT 1 AS x')).not.toBe(a);
    cached.close();
    expect(connection.open).toBe(false);
  });
});

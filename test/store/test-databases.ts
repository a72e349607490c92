/**
 * The databases every store test runs on: SQLite always (a fresh file in a temporary folder), and
 * PostgreSQL when `PRRT_TEST_DATABASE_URL` is set (a fresh schema, dropped on close).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openStore, type Store } from '../../src/store/database.js';
import type { DialectName } from '../../src/store/dialect.js';

export interface TestDatabase {
  readonly dialect: DialectName;
  /** A new, empty, migrated database of its own; `close()` removes it. */
  open(): Promise<Store>;
}

export function testDatabases(): TestDatabase[] {
  const databases: TestDatabase[] = [{ dialect: 'sqlite', open: openSqlite }];
  const url = process.env.PRRT_TEST_DATABASE_URL;
  if (url !== undefined && url !== '') databases.push({ dialect: 'postgres', open: () => openPostgres(url) });
  return databases;
}

async function openSqlite(): Promise<Store> {
  const dir = mkdtempSync(join(tmpdir(), 'prrt-store-'));
  const store = await openStore({ kind: 'sqlite', path: join(dir, 'prrt.sqlite') });
  return {
    ...store,
    close: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function openPostgres(url: string): Promise<Store> {
  const schema = `prrt_test_${process.pid}_${randomBytes(6).toString('hex')}`;
  const store = await openStore({ kind: 'postgres', url, schema, poolSize: 4 });
  return {
    ...store,
    close: async () => {
      try {
        await sql`DROP SCHEMA ${sql.id(schema)} CASCADE`.execute(store.db);
      } finally {
        await store.close();
      }
    },
  };
}

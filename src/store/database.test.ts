import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { expect, test } from 'vitest';
import { DEFAULT_SQLITE_PATH, openStore, storeConfigFromEnv } from './database.js';

test('PostgreSQL when PRRT_DATABASE_URL is set, else SQLite at PRRT_DB or the default path', () => {
  expect(storeConfigFromEnv({ PRRT_DATABASE_URL: 'postgres://h/db', PRRT_DB: '/x.sqlite' })).toStrictEqual({
    kind: 'postgres',
    url: 'postgres://h/db',
  });
  expect(storeConfigFromEnv({ PRRT_DB: '/x.sqlite' })).toStrictEqual({ kind: 'sqlite', path: '/x.sqlite' });
  expect(storeConfigFromEnv({ PRRT_DATABASE_URL: '' })).toStrictEqual({
    kind: 'sqlite',
    path: DEFAULT_SQLITE_PATH,
  });
});

test('SQLite opens in WAL mode with foreign keys and a busy timeout, creating its folder', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'prrt-db-'));
  const store = await openStore({
    kind: 'sqlite',
    path: join(dir, 'nested', 'prrt.sqlite'),
    busyTimeoutMs: 1234,
  });
  try {
    const pragma = async (name: string) =>
      Object.values(
        (await sql<Record<string, unknown>>`${sql.raw(`PRAGMA ${name}`)}`.execute(store.db)).rows[0] ?? {},
      )[0];
    expect(await pragma('journal_mode')).toBe('wal');
    expect(await pragma('foreign_keys')).toBe(1);
    expect(await pragma('busy_timeout')).toBe(1234);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a PostgreSQL schema name is checked before it is used', async () => {
  await expect(
    openStore({ kind: 'postgres', url: 'postgres://127.0.0.1:1/x', schema: 'a; drop' }),
  ).rejects.toThrow(/not a usable schema name/);
});

/** `storeConfigFromEnv`: the database, and PostgreSQL's pool size and schema, from the environment. */
import { describe, expect, test } from 'vitest';
import { storeConfigFromEnv } from './database.js';

describe('storeConfigFromEnv', () => {
  test('SQLite by default, PostgreSQL with its pool size and schema when a URL is set', () => {
    expect(storeConfigFromEnv({})).toEqual({ kind: 'sqlite', path: './data/prrt.sqlite' });
    expect(
      storeConfigFromEnv({ PRRT_DB: '/var/lib/prrt/prrt.sqlite', PRRT_DATABASE_POOL_SIZE: '4' }),
    ).toEqual({
      kind: 'sqlite',
      path: '/var/lib/prrt/prrt.sqlite',
    });
    const url = 'postgres://prrt_app@db.example.org:5432/prrt';
    expect(storeConfigFromEnv({ PRRT_DATABASE_URL: url })).toEqual({ kind: 'postgres', url });
    expect(
      storeConfigFromEnv({
        PRRT_DATABASE_URL: url,
        PRRT_DATABASE_POOL_SIZE: '25',
        PRRT_DATABASE_SCHEMA: 'prrt',
      }),
    ).toEqual({ kind: 'postgres', url, poolSize: 25, schema: 'prrt' });
  });

  test.each([
    [
      'PRRT_DATABASE_POOL_SIZE',
      'ten',
      'PRRT_DATABASE_POOL_SIZE: expected a whole number of connections from 1 to 1000, got "ten"',
    ],
    ['PRRT_DATABASE_POOL_SIZE', '0', 'got "0"'],
    [
      'PRRT_DATABASE_SCHEMA',
      'Prrt-Data',
      'PRRT_DATABASE_SCHEMA: expected a schema name of lower-case letters, digits and _ (at most 63), got "Prrt-Data"',
    ],
    ['PRRT_DATABASE_SCHEMA', 'x; DROP TABLE users', 'PRRT_DATABASE_SCHEMA'],
  ])('%s=%s is refused, whichever database is used', (name, value, message) => {
    expect(() => storeConfigFromEnv({ [name]: value })).toThrow(message);
    expect(() => storeConfigFromEnv({ PRRT_DATABASE_URL: 'postgres://h/db', [name]: value })).toThrow(
      message,
    );
  });
});

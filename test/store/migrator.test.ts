import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Store } from '../../src/store/database.js';
import { MIGRATION_NAMES, migrateToLatest } from '../../src/store/migrator.js';
import { testDatabases } from './test-databases.js';

test('every migration module is listed, in order', () => {
  const files = readdirSync(join(import.meta.dirname, '../../src/store/migrations'))
    .filter((f) => /^\d{4}-.*\.ts$/.test(f) && !f.endsWith('.test.ts'))
    .map((f) => f.replace(/\.ts$/, ''))
    .sort();
  expect([...MIGRATION_NAMES]).toStrictEqual(files);
});

for (const database of testDatabases()) {
  describe(`${database.dialect}: migrations`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await database.open();
    });
    afterEach(async () => {
      await store.close();
    });

    test('an opened store has every migration, and migrating again does nothing', async () => {
      const db = store.db as unknown as Kysely<unknown>;
      const applied = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(
        db,
      );
      expect(applied.rows.map((r) => r.name)).toStrictEqual([...MIGRATION_NAMES]);
      expect(await migrateToLatest(db, store.dialect)).toStrictEqual([]);
    });

    test('the audit, user, session and settings tables take their rows', async () => {
      const db = store.db;
      const user = await db
        .insertInto('users')
        .values({
          username: 'ana',
          password_hash: 'x',
          role: 'clinician',
          created_at: '2026-01-01T00:00:00.000Z',
        })
        .returning(['id', 'disabled'])
        .executeTakeFirstOrThrow();
      expect(typeof user.id).toBe('number');
      expect(Boolean(user.disabled)).toBe(false);
      await db
        .insertInto('sessions')
        .values({ id: 'h', user_id: user.id, created_at: 'a', expires_at: 'b', csrf_token: 'c' })
        .execute();
      const audit = await db
        .insertInto('audit_log')
        .values({
          at: 'a',
          username: 'ana',
          action: 'login',
          entity: 'user',
          entity_id: null,
          details: '{}',
          prev_hash: '',
          hash: 'h1',
        })
        .returning('seq')
        .executeTakeFirstOrThrow();
      expect(audit.seq).toBe(1);
      await db
        .insertInto('site_settings')
        .values({ key: 'pseudonym_secret', value: 's', updated_at: 'a' })
        .execute();
      await expect(
        db
          .insertInto('users')
          .values({ username: 'ana', password_hash: 'y', role: 'admin', created_at: 'b' })
          .execute(),
      ).rejects.toThrow();
    });
  });
}

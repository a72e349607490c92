/** A migration that fails leaves the database as it was before it, on SQLite as on PostgreSQL. */
import { sql, type Kysely, type Migration } from 'kysely';
import { describe, expect, test } from 'vitest';
import { MIGRATION_NAMES, migrationProvider, runMigrations } from '../../src/store/migrator.js';
import { testDatabases } from './test-databases.js';

for (const database of testDatabases()) {
  describe(`${database.dialect}: a failing migration`, () => {
    test('is rolled back whole: no table, index or row of it remains, and it is not recorded', async () => {
      const store = await database.open();
      try {
        const db = store.db as unknown as Kysely<unknown>;
        const schema = store.config.kind === 'postgres' ? store.config.schema : undefined;
        const tables = async () => (await db.introspection.getTables()).map((t) => t.name).sort();
        const applied = async () =>
          (await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(db)).rows.map(
            (r) => r.name,
          );
        const settings = async () =>
          (await sql<{ key: string }>`SELECT key FROM site_settings ORDER BY key`.execute(db)).rows.map(
            (r) => r.key,
          );
        const before = { tables: await tables(), applied: await applied(), settings: await settings() };
        expect(before.applied).toEqual([...MIGRATION_NAMES]);

        let reached = false;
        const failing: Migration = {
          up: async (trx) => {
            await trx.schema
              .createTable('half_done')
              .addColumn('id', 'integer', (c) => c.primaryKey())
              .execute();
            await trx.schema.createIndex('half_done_id').on('half_done').column('id').execute();
            await sql`INSERT INTO site_settings (key, value, updated_at) VALUES ('half_done', 'x', '2026-01-01T00:00:00.000Z')`.execute(
              trx,
            );
            reached = true;
            throw new Error('the migration broke half-way');
          },
        };
        const product = await migrationProvider(store.dialect).getMigrations();
        const provider = { getMigrations: () => Promise.resolve({ ...product, '9999-fails': failing }) };
        await expect(runMigrations(db, store.dialect, provider, schema)).rejects.toThrow(
          'database migration 9999-fails failed: the migration broke half-way',
        );
        expect(reached).toBe(true);
        expect({ tables: await tables(), applied: await applied(), settings: await settings() }).toEqual(
          before,
        );

        // Mended, it runs and is recorded.
        const mended: Migration = {
          up: async (trx) => {
            await trx.schema
              .createTable('half_done')
              .addColumn('id', 'integer', (c) => c.primaryKey())
              .execute();
          },
        };
        const fixed = { getMigrations: () => Promise.resolve({ ...product, '9999-fails': mended }) };
        expect(await runMigrations(db, store.dialect, fixed, schema)).toEqual(['9999-fails']);
        expect(await tables()).toContain('half_done');
        expect(await applied()).toEqual([...MIGRATION_NAMES, '9999-fails']);
      } finally {
        await store.close();
      }
    });
  });
}

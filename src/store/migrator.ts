/**
 * Runs the numbered migrations. They are listed here statically (no directory scan), so the migrator
 * works the same from `src/` under tsx and from the built `dist/`. Every migration runs in a
 * transaction: on PostgreSQL all pending ones in one (Kysely's own, under its lock), on SQLite each
 * in its own (SQLite's CREATE TABLE, INDEX and TRIGGER are transactional too), so a failed migration
 * leaves the schema as it was before it.
 */
import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { PrrtError } from '../errors.js';
import type { MigrationDialect } from './dialect.js';
import { clinicalRecords } from './migrations/0001-clinical-records.js';
import { usersSessionsAudit } from './migrations/0002-users-sessions-audit.js';
import { dataStamps } from './migrations/0003-data-stamps.js';
import { clockLockFirst } from './migrations/0004-clock-lock-first.js';
import { auditAppendFunction } from './migrations/0005-audit-append-function.js';

/** Migration names in order; a database is a prrt database when its migrations are a prefix of these. */
export const MIGRATION_NAMES = [
  '0001-clinical-records',
  '0002-users-sessions-audit',
  '0003-data-stamps',
  '0004-clock-lock-first',
  '0005-audit-append-function',
] as const;

/** Kysely's bookkeeping table, present in every migrated prrt database. */
export const MIGRATION_TABLE = 'kysely_migration';

export function migrationProvider(dialect: MigrationDialect): MigrationProvider {
  const migrations: Record<(typeof MIGRATION_NAMES)[number], Migration> = {
    '0001-clinical-records': clinicalRecords(dialect),
    '0002-users-sessions-audit': usersSessionsAudit(dialect),
    '0003-data-stamps': dataStamps(dialect),
    '0004-clock-lock-first': clockLockFirst(dialect),
    '0005-audit-append-function': auditAppendFunction(dialect),
  };
  return { getMigrations: () => Promise.resolve(migrations) };
}

/**
 * Brings the schema to the newest migration; throws when a migration fails (it is rolled back).
 * `schema` names the PostgreSQL schema that holds the tables, so that the bookkeeping tables of
 * another schema in the same database are never taken for ours.
 */
export function migrateToLatest(
  db: Kysely<unknown>,
  dialect: MigrationDialect,
  schema?: string,
): Promise<string[]> {
  return runMigrations(db, dialect, migrationProvider(dialect), schema);
}

/**
 * Kysely runs migrations in a transaction only where DDL is transactional by its reckoning, which
 * leaves SQLite out. There each migration gets its own: the migration is undone when it fails, and
 * the bookkeeping row is written after it commits.
 */
function inTransaction(migration: Migration): Migration {
  return {
    up: (db) => db.transaction().execute((trx) => migration.up(trx)),
    ...(migration.down === undefined
      ? {}
      : { down: (db) => db.transaction().execute(async (trx) => migration.down?.(trx)) }),
  };
}

/** `migrateToLatest` with the given migrations (tests use it with one that fails). */
export async function runMigrations(
  db: Kysely<unknown>,
  dialect: MigrationDialect,
  provider: MigrationProvider,
  schema?: string,
): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider:
      dialect.name === 'sqlite'
        ? {
            getMigrations: async () =>
              Object.fromEntries(
                Object.entries(await provider.getMigrations()).map(([name, m]) => [name, inTransaction(m)]),
              ),
          }
        : provider,
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new PrrtError('INTERNAL', `database migration ${failed} failed: ${describe(error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs the numbered migrations. They are listed here statically (no directory scan), so the migrator
 * works the same from `src/` under tsx and from the built `dist/`.
 */
import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { PrrtError } from '../errors.js';
import type { MigrationDialect } from './dialect.js';
import { clinicalRecords } from './migrations/0001-clinical-records.js';
import { usersSessionsAudit } from './migrations/0002-users-sessions-audit.js';
import { dataStamps } from './migrations/0003-data-stamps.js';
import { clockLockFirst } from './migrations/0004-clock-lock-first.js';

/** Migration names in order; a database is a prrt database when its migrations are a prefix of these. */
export const MIGRATION_NAMES = [
  '0001-clinical-records',
  '0002-users-sessions-audit',
  '0003-data-stamps',
  '0004-clock-lock-first',
] as const;

/** Kysely's bookkeeping table, present in every migrated prrt database. */
export const MIGRATION_TABLE = 'kysely_migration';

export function migrationProvider(dialect: MigrationDialect): MigrationProvider {
  const migrations: Record<(typeof MIGRATION_NAMES)[number], Migration> = {
    '0001-clinical-records': clinicalRecords(dialect),
    '0002-users-sessions-audit': usersSessionsAudit(dialect),
    '0003-data-stamps': dataStamps(dialect),
    '0004-clock-lock-first': clockLockFirst(dialect),
  };
  return { getMigrations: () => Promise.resolve(migrations) };
}

/**
 * Brings the schema to the newest migration; throws when a migration fails (it is rolled back).
 * `schema` names the PostgreSQL schema that holds the tables, so that the bookkeeping tables of
 * another schema in the same database are never taken for ours.
 */
export async function migrateToLatest(
  db: Kysely<unknown>,
  dialect: MigrationDialect,
  schema?: string,
): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: migrationProvider(dialect),
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

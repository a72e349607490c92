/**
 * Change stamps without deadlocks on PostgreSQL. The statement triggers of migration 0003 lock the
 * `data_clock` row after the statement has locked the rows it changes, and then lock the patients they
 * stamp. So a write to a patient holds the patient's row when it reaches the clock, while a write to
 * one of that patient's records may hold the clock when it reaches the patient's row: each waits for
 * the other and PostgreSQL aborts one of them (`deadlock detected`). The same happens between a
 * deletion that cascades to a patient's records and a write to one of those records.
 *
 * A BEFORE statement trigger on every stamped table now locks the clock row first, before the statement
 * touches any row: every writer of clinical data takes the clock first and waits its turn there. The
 * clock row was already held from the triggers to the commit, so writers queued on it anyway; they now
 * queue before their own rows instead of after. SQLite writes one transaction at a time and needs
 * nothing.
 */
import { sql, type Kysely, type Migration } from 'kysely';
import type { MigrationDialect } from '../dialect.js';

/** Every table with the change-stamp triggers of migration 0003. */
const STAMPED_TABLES = ['patients', 'courses', 'cycles', 'labs', 'lesions', 'events', 'dosimetry'] as const;

export function clockLockFirst(d: MigrationDialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (d.name !== 'postgres') return;
      await sql
        .raw(
          `CREATE FUNCTION prrt_lock_clock() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM data_clock WHERE id = 1 FOR NO KEY UPDATE;
  RETURN NULL;
END $$`,
        )
        .execute(db);
      for (const table of STAMPED_TABLES) {
        await sql
          .raw(
            `CREATE TRIGGER ${table}_lock_clock BEFORE INSERT OR UPDATE OR DELETE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION prrt_lock_clock()`,
          )
          .execute(db);
      }
    },
    async down(db: Kysely<unknown>) {
      if (d.name !== 'postgres') return;
      for (const table of STAMPED_TABLES) {
        await sql`DROP TRIGGER IF EXISTS ${sql.id(`${table}_lock_clock`)} ON ${sql.table(table)}`.execute(db);
      }
      await sql`DROP FUNCTION IF EXISTS prrt_lock_clock()`.execute(db);
    },
  };
}

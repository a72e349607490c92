/**
 * Change stamps for derived views. `data_clock` holds one number that grows with every change to the
 * clinical tables; `patients.data_version` holds the clock's value at the patient's latest change (to
 * the patient row or to any row that hangs from it). Triggers keep both up to date in the same
 * transaction as the change, whoever writes (the API, an import, another process, plain SQL), so a
 * server can cache what it derives from a patient, or from the whole cohort, and know from one small
 * read whether it is still current. Clock values are never reused, so a patient deleted and created
 * again never matches an old stamp.
 *
 * SQLite has row triggers only: each changed row moves the clock by one. PostgreSQL uses statement
 * triggers with transition tables: each statement moves the clock once and stamps the patients it
 * touched; the clock row's lock orders concurrent writers, so its value is committed in order.
 */
import { sql, type Kysely, type Migration } from 'kysely';
import type { MigrationDialect } from '../dialect.js';

/** The tables whose rows hang from a patient (every one has `patient_id`). */
const CHILD_TABLES = ['courses', 'cycles', 'labs', 'lesions', 'events', 'dosimetry'] as const;
const EVENTS = ['insert', 'update', 'delete'] as const;

export function dataStamps(d: MigrationDialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await (
        d.tableSuffix === undefined
          ? db.schema.createTable('data_clock')
          : db.schema.createTable('data_clock').modifyEnd(d.tableSuffix)
      )
        .addColumn('id', d.types.integer, (c) => c.primaryKey().check(sql`id = 1`))
        .addColumn('value', d.name === 'postgres' ? 'bigint' : d.types.integer, (c) => c.notNull())
        .execute();
      await sql`INSERT INTO data_clock (id, value) VALUES (1, 1)`.execute(db);
      await db.schema
        .alterTable('patients')
        .addColumn('data_version', d.name === 'postgres' ? 'bigint' : d.types.integer, (c) =>
          c.notNull().defaultTo(1),
        )
        .execute();
      if (d.name === 'postgres') await postgresTriggers(db);
      else await sqliteTriggers(db);
    },
    async down(db: Kysely<unknown>) {
      if (d.name === 'postgres') {
        for (const table of [...CHILD_TABLES, 'patients']) {
          for (const event of EVENTS) {
            await sql`DROP TRIGGER IF EXISTS ${sql.id(`${table}_stamp_${event}`)} ON ${sql.table(table)}`.execute(
              db,
            );
          }
        }
        await sql`DROP FUNCTION IF EXISTS prrt_stamp_rows()`.execute(db);
      } else {
        for (const table of [...CHILD_TABLES, 'patients']) {
          for (const event of EVENTS) {
            await sql`DROP TRIGGER IF EXISTS ${sql.id(`${table}_stamp_${event}`)}`.execute(db);
          }
        }
      }
      await db.schema.alterTable('patients').dropColumn('data_version').execute();
      await db.schema.dropTable('data_clock').execute();
    },
  };
}

async function sqliteTriggers(db: Kysely<unknown>): Promise<void> {
  // The natural keys of every child table start with patient_id, and keys never change in place.
  const tick = 'UPDATE data_clock SET value = value + 1 WHERE id = 1;';
  const stamp = (who: string) =>
    `UPDATE patients SET data_version = (SELECT value FROM data_clock WHERE id = 1) WHERE patient_id = ${who};`;
  for (const table of CHILD_TABLES) {
    await sql
      .raw(
        `CREATE TRIGGER ${table}_stamp_insert AFTER INSERT ON ${table} BEGIN ${tick} ${stamp('NEW.patient_id')} END`,
      )
      .execute(db);
    await sql
      .raw(
        `CREATE TRIGGER ${table}_stamp_update AFTER UPDATE ON ${table} BEGIN ${tick} ${stamp('NEW.patient_id')} END`,
      )
      .execute(db);
    await sql
      .raw(
        `CREATE TRIGGER ${table}_stamp_delete AFTER DELETE ON ${table} BEGIN ${tick} ${stamp('OLD.patient_id')} END`,
      )
      .execute(db);
  }
  await sql
    .raw(
      `CREATE TRIGGER patients_stamp_insert AFTER INSERT ON patients BEGIN ${tick} ${stamp('NEW.patient_id')} END`,
    )
    .execute(db);
  // A change of data_version itself (made by the triggers above) is not a new change.
  await sql
    .raw(
      `CREATE TRIGGER patients_stamp_update AFTER UPDATE ON patients WHEN NEW.data_version = OLD.data_version BEGIN ${tick} ${stamp('NEW.patient_id')} END`,
    )
    .execute(db);
  await sql
    .raw(`CREATE TRIGGER patients_stamp_delete AFTER DELETE ON patients BEGIN ${tick} END`)
    .execute(db);
}

async function postgresTriggers(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `CREATE FUNCTION prrt_stamp_rows() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE stamp bigint;
BEGIN
  -- The stamping UPDATE of patients below fires the patients triggers again: nothing new changed.
  IF TG_TABLE_NAME = 'patients' AND pg_trigger_depth() > 1 THEN RETURN NULL; END IF;
  -- Statements that changed no row (an upsert that found everything equal, an empty cascade) change nothing.
  IF TG_OP = 'DELETE' THEN
    IF NOT EXISTS (SELECT 1 FROM old_rows) THEN RETURN NULL; END IF;
  ELSIF NOT EXISTS (SELECT 1 FROM new_rows) THEN RETURN NULL;
  END IF;
  UPDATE data_clock SET value = value + 1 WHERE id = 1 RETURNING value INTO stamp;
  IF TG_OP = 'DELETE' THEN
    IF TG_TABLE_NAME <> 'patients' THEN
      UPDATE patients SET data_version = stamp WHERE patient_id IN (SELECT DISTINCT patient_id FROM old_rows);
    END IF;
  ELSE
    UPDATE patients SET data_version = stamp WHERE patient_id IN (SELECT DISTINCT patient_id FROM new_rows);
  END IF;
  RETURN NULL;
END $$`,
    )
    .execute(db);
  for (const table of [...CHILD_TABLES, 'patients']) {
    for (const event of EVENTS) {
      const rows = event === 'delete' ? 'OLD TABLE AS old_rows' : 'NEW TABLE AS new_rows';
      await sql
        .raw(
          `CREATE TRIGGER ${table}_stamp_${event} AFTER ${event.toUpperCase()} ON ${table} REFERENCING ${rows} FOR EACH STATEMENT EXECUTE FUNCTION prrt_stamp_rows()`,
        )
        .execute(db);
    }
  }
}

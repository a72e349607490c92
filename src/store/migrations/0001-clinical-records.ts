/**
 * The clinical records: patients, courses, cycles, labs, lesions, events and dosimetry, with their
 * natural keys unique (re-importing matches rows by them), a `version` for optimistic concurrency and
 * `updated_at`. Child rows go with their parent when it is deleted.
 */
import { sql, type CreateTableBuilder, type Kysely, type Migration } from 'kysely';
import type { MigrationDialect } from '../dialect.js';

export function clinicalRecords(d: MigrationDialect): Migration {
  const t = d.types;
  const table = (db: Kysely<unknown>, name: string) => db.schema.createTable(name);
  const finish = <N extends string>(builder: CreateTableBuilder<N>) => {
    const withBookkeeping = builder
      .addColumn('version', t.integer, (c) => c.notNull().defaultTo(1))
      .addColumn('updated_at', t.text, (c) => c.notNull());
    return d.tableSuffix === undefined ? withBookkeeping : withBookkeeping.modifyEnd(d.tableSuffix);
  };
  const surrogate = <N extends string>(builder: CreateTableBuilder<N>) =>
    builder.addColumn('id', t.integer, (c) =>
      d.identity ? c.generatedByDefaultAsIdentity().primaryKey() : c.primaryKey(),
    );

  return {
    async up(db: Kysely<unknown>) {
      await finish(
        table(db, 'patients')
          .addColumn('patient_id', t.text, (c) => c.primaryKey())
          .addColumn('name', t.text)
          .addColumn('name_folded', t.text)
          .addColumn('mrn', t.text)
          .addColumn('sex', t.text, (c) => c.notNull())
          .addColumn('birth_date', t.text)
          .addColumn('primary_site', t.text, (c) => c.notNull())
          .addColumn('diagnosis_date', t.text)
          .addColumn('grade', t.text)
          .addColumn('ki67_percent', t.real)
          .addColumn('karnofsky', t.integer)
          .addColumn('weight_kg', t.real)
          .addColumn('hypertension', t.boolean)
          .addColumn('diabetes', t.boolean)
          .addColumn('last_contact_date', t.text, (c) => c.notNull())
          .addColumn('death_date', t.text),
      ).execute();
      await db.schema.createIndex('patients_primary_site').on('patients').column('primary_site').execute();
      await db.schema.createIndex('patients_name_folded').on('patients').column('name_folded').execute();

      await finish(
        table(db, 'courses')
          .addColumn('patient_id', t.text, (c) => c.notNull())
          .addColumn('course_id', t.text, (c) => c.notNull())
          .addColumn('kind', t.text, (c) => c.notNull())
          .addColumn('intended_cycles', t.integer, (c) => c.notNull())
          .addColumn('intended_activity_gbq', t.real, (c) => c.notNull())
          .addColumn('stop_reason', t.text)
          .addPrimaryKeyConstraint('courses_pk', ['patient_id', 'course_id'])
          .addForeignKeyConstraint('courses_patient_fk', ['patient_id'], 'patients', ['patient_id'], (c) =>
            c.onDelete('cascade'),
          ),
      ).execute();

      await finish(
        table(db, 'cycles')
          .addColumn('patient_id', t.text, (c) => c.notNull())
          .addColumn('course_id', t.text, (c) => c.notNull())
          .addColumn('cycle', t.integer, (c) => c.notNull())
          .addColumn('administered_at', t.text, (c) => c.notNull())
          .addColumn('administered_date', t.text, (c) => c.notNull())
          .addColumn('activity_gbq', t.real, (c) => c.notNull())
          .addColumn('planned_activity_gbq', t.real)
          .addPrimaryKeyConstraint('cycles_pk', ['patient_id', 'course_id', 'cycle'])
          .addForeignKeyConstraint(
            'cycles_course_fk',
            ['patient_id', 'course_id'],
            'courses',
            ['patient_id', 'course_id'],
            (c) => c.onDelete('cascade'),
          ),
      ).execute();

      await finish(
        surrogate(table(db, 'labs'))
          .addColumn('patient_id', t.text, (c) => c.notNull())
          .addColumn('taken_at', t.text, (c) => c.notNull())
          .addColumn('taken_date', t.text, (c) => c.notNull())
          .addColumn('test', t.text, (c) => c.notNull())
          .addColumn('value', t.real, (c) => c.notNull())
          .addColumn('lln', t.real)
          .addColumn('uln', t.real)
          .addColumn('original_value', t.real, (c) => c.notNull())
          .addColumn('original_unit', t.text, (c) => c.notNull())
          .addColumn('original_lln', t.real)
          .addColumn('original_uln', t.real)
          .addUniqueConstraint('labs_natural_key', ['patient_id', 'taken_at', 'test'])
          .addForeignKeyConstraint('labs_patient_fk', ['patient_id'], 'patients', ['patient_id'], (c) =>
            c.onDelete('cascade'),
          ),
      ).execute();

      await finish(
        surrogate(table(db, 'lesions'))
          .addColumn('patient_id', t.text, (c) => c.notNull())
          .addColumn('scan_date', t.text, (c) => c.notNull())
          .addColumn('lesion_id', t.text, (c) => c.notNull())
          .addColumn('organ', t.text)
          .addColumn('lymph_node', t.boolean, (c) => c.notNull())
          .addColumn('role', t.text, (c) => c.notNull())
          .addColumn('longest_mm', t.real)
          .addColumn('perpendicular_mm', t.real)
          .addColumn('short_axis_mm', t.real)
          .addColumn('status', t.text)
          .addUniqueConstraint('lesions_natural_key', ['patient_id', 'scan_date', 'lesion_id'])
          .addForeignKeyConstraint('lesions_patient_fk', ['patient_id'], 'patients', ['patient_id'], (c) =>
            c.onDelete('cascade'),
          ),
      ).execute();

      await finish(
        surrogate(table(db, 'events'))
          .addColumn('patient_id', t.text, (c) => c.notNull())
          .addColumn('date', t.text, (c) => c.notNull())
          .addColumn('event', t.text, (c) => c.notNull())
          .addColumn('term', t.text)
          .addColumn('grade', t.integer)
          .addColumn('note', t.text)
          .addForeignKeyConstraint('events_patient_fk', ['patient_id'], 'patients', ['patient_id'], (c) =>
            c.onDelete('cascade'),
          ),
      ).execute();
      // A missing term is part of the key: two events of a kind on a day differ only by their term.
      await sql`CREATE UNIQUE INDEX events_natural_key ON events (patient_id, date, event, coalesce(term, ''))`.execute(
        db,
      );

      await finish(
        surrogate(table(db, 'dosimetry'))
          .addColumn('patient_id', t.text, (c) => c.notNull())
          .addColumn('course_id', t.text, (c) => c.notNull())
          .addColumn('cycle', t.integer, (c) => c.notNull())
          .addColumn('region', t.text, (c) => c.notNull())
          .addColumn('hours_after', t.real, (c) => c.notNull())
          .addColumn('activity_mbq', t.real)
          .addColumn('percent_ia', t.real)
          .addColumn('concentration_mbq_per_ml', t.real)
          .addColumn('mass_g', t.real)
          .addColumn('hematocrit', t.real)
          .addUniqueConstraint('dosimetry_natural_key', [
            'patient_id',
            'course_id',
            'cycle',
            'region',
            'hours_after',
          ])
          .addForeignKeyConstraint(
            'dosimetry_cycle_fk',
            ['patient_id', 'course_id', 'cycle'],
            'cycles',
            ['patient_id', 'course_id', 'cycle'],
            (c) => c.onDelete('cascade'),
          ),
      ).execute();
    },
    async down(db: Kysely<unknown>) {
      for (const name of ['dosimetry', 'events', 'lesions', 'labs', 'cycles', 'courses', 'patients']) {
        await db.schema.dropTable(name).execute();
      }
    },
  };
}

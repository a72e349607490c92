/**
 * Reads the canonical model back: the whole cohort in seven queries (one per table, from one
 * snapshot), or one patient's record. Rows come in each table's order (patient, then natural key).
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Cohort, PatientRecord } from '../clinical/model.js';
import { PrrtError } from '../errors.js';
import { COHORT_TABLES } from './cohort-tables.js';
import type { Store } from './database.js';
import { selectRows } from './record-queries.js';
import type { StoreSchema } from './schema.js';

export async function loadCohort(store: Store): Promise<Cohort> {
  return inSnapshot(store, async (db) => {
    const parts: Record<string, object[]> = {};
    for (const { part, table } of COHORT_TABLES) {
      parts[part] = (await selectRows(db, table)).map((r) => table.fromRow(r));
    }
    return parts as unknown as Cohort;
  });
}

/** Everything recorded for one patient; NOT_FOUND when there is no such patient. */
export async function loadPatientRecord(store: Store, patientId: string): Promise<PatientRecord> {
  return inSnapshot(store, async (db) => {
    const parts: Record<string, object[]> = {};
    for (const { part, table } of COHORT_TABLES) {
      const rows = await selectRows(db, table, sql`${sql.ref('patient_id')} = ${patientId}`);
      parts[part] = rows.map((r) => table.fromRow(r));
    }
    const { patients, ...rest } = parts as unknown as Cohort;
    const patient = patients[0];
    if (patient === undefined) throw new PrrtError('NOT_FOUND', `patient ${patientId} does not exist`);
    return { patient, ...rest };
  });
}

/** Runs reads in one transaction so that they see one state of the database. */
async function inSnapshot<R>(store: Store, read: (db: Kysely<unknown>) => Promise<R>): Promise<R> {
  const run = (trx: Transaction<StoreSchema>) => read(trx as unknown as Kysely<unknown>);
  if (store.dialect.name === 'postgres') {
    return store.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .setAccessMode('read only')
      .execute(run);
  }
  return store.db.transaction().execute(run);
}

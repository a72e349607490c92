/**
 * The records of a page of patients in one query per table (instead of one per patient and table), so
 * that the patient list can show each patient's flags quickly.
 */
import type { Kysely } from 'kysely';
import type { PatientRecord } from '../../clinical/model.js';
import { COHORT_TABLES } from '../../store/cohort-tables.js';
import type { Store } from '../../store/index.js';
import { patientIn, selectRows } from '../../store/record-queries.js';

export async function loadPatientRecords(
  store: Store,
  patientIds: readonly string[],
): Promise<Map<string, PatientRecord>> {
  const out = new Map<string, PatientRecord>();
  if (patientIds.length === 0) return out;
  const db = store.db as unknown as Kysely<unknown>;
  const parts = new Map<string, Record<string, object[]>>();
  for (const id of patientIds) parts.set(id, {});
  for (const { part, table } of COHORT_TABLES) {
    const rows = await selectRows(db, table, patientIn(store.dialect, patientIds));
    for (const p of parts.values()) p[part] = [];
    for (const row of rows) {
      const value = table.fromRow(row) as { patientId: string };
      parts.get(value.patientId)?.[part]?.push(value);
    }
  }
  for (const [id, p] of parts) {
    const patient = p.patients?.[0];
    if (patient === undefined) continue;
    out.set(id, { ...(p as unknown as Omit<PatientRecord, 'patient'>), patient } as PatientRecord);
  }
  return out;
}

/**
 * Cheap change stamps for caches of derived views (see migration 0003): the cohort's stamp grows with
 * every change to any clinical table; a patient's stamp changes with every change to the patient or
 * to any of its records, and is never reused. Read the stamp before the data it guards: a cache filled
 * that way can hold data newer than its stamp, never older.
 */
import { sql, type Kysely } from 'kysely';
import type { Store } from './database.js';
import { batchedLookup } from './batched-lookup.js';
import { perDatabase, reusableQuery } from './reusable-query.js';

/** The stamp of the whole cohort. */
export async function cohortStamp(store: Store): Promise<number> {
  return (await clockLookup(store).get(CLOCK_ID)) ?? 0;
}

const CLOCK_ID = '1';

/** The cohort's stamp; the requests of one turn share one read of it. */
const clockLookup = perDatabase((store: Store) =>
  batchedLookup(async () => {
    const row = await store.db
      .selectFrom('data_clock')
      .select('value')
      .where('id', '=', 1)
      .executeTakeFirst();
    return new Map(row === undefined ? [] : [[CLOCK_ID, row.value]]);
  }),
);

/** One patient's stamp, or undefined when there is no such patient. */
export function patientStamp(store: Store, patientId: string): Promise<number | undefined> {
  return stampLookup(store).get(patientId);
}

/** Patients' stamps by id; lookups of one turn share one query. */
const stampLookup = perDatabase((store: Store) => {
  const query = reusableQuery<{ ids: string }, { patient_id: string; data_version: number }>(
    store.db,
    ['ids'],
    (marker) =>
      store.db
        .selectFrom('patients')
        .select(['patient_id', 'data_version'])
        .where('patient_id', 'in', store.dialect.jsonTextList(marker('ids'))),
  );
  return batchedLookup(async (ids) => {
    const rows = await query.rows({ ids: JSON.stringify(ids) });
    return new Map(rows.map((r) => [r.patient_id, r.data_version]));
  });
});

/** The stamps of the named patients that exist. */
export async function patientStamps(
  store: Store,
  patientIds: readonly string[],
): Promise<Map<string, number>> {
  const stamps = new Map<string, number>();
  if (patientIds.length === 0) return stamps;
  const db = store.db as unknown as Kysely<unknown>;
  const ids = sql.join(patientIds.map((id) => sql`${id}`));
  const result = await sql<{
    patient_id: string;
    data_version: number | string;
  }>`SELECT patient_id, data_version
    FROM patients WHERE patient_id IN (${ids})`.execute(db);
  for (const row of result.rows) stamps.set(row.patient_id, Number(row.data_version));
  return stamps;
}

/** The SQL the repositories, the loader and the importer share, written once over `RecordTable`. */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { SqlValue, StoreDialect } from './dialect.js';
import { allColumns, type RecordTable, type Row } from './record-table.js';

/** Selects the stored columns plus `version` and `updated_at`, in the table's order. */
export async function selectRows(
  db: Kysely<unknown>,
  t: RecordTable<unknown, unknown>,
  where?: RawBuilder<unknown>,
): Promise<Row[]> {
  const columns = sql.join([...allColumns(t), 'version', 'updated_at'].map((c) => sql.ref(c)));
  const order = sql.join(t.orderBy.map((c) => sql`${sql.ref(c)} ASC NULLS FIRST`));
  const filter = where === undefined ? sql`` : sql`WHERE ${where}`;
  const result =
    await sql<Row>`SELECT ${columns} FROM ${sql.table(t.table)} ${filter} ORDER BY ${order}`.execute(db);
  return result.rows;
}

/** Binds values the way the dialect's driver accepts them. */
export function bound(dialect: StoreDialect, values: readonly SqlValue[]): RawBuilder<unknown> {
  return sql.join(values.map((v) => dialect.encode(v)));
}

/** `patient_id IN (…)`. */
export function patientIn(dialect: StoreDialect, patientIds: readonly string[]): RawBuilder<unknown> {
  return sql`${sql.ref('patient_id')} IN (${bound(dialect, patientIds)})`;
}

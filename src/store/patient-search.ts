/**
 * The patient list: filter by id prefix (case-sensitive, as ids are written), name substring (ignoring
 * case and accents) and primary site; sort; one page at a time with the total count.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Patient, PrimarySite } from '../clinical/model.js';
import { PrrtError } from '../errors.js';
import type { Store } from './database.js';
import type { Row } from './record-table.js';
import { num } from './row-values.js';
import { foldForSearch } from './search-fold.js';
import { patientsTable } from './tables/patients-table.js';

export const PatientSort = {
  patientId: 'patientId',
  name: 'name',
  primarySite: 'primarySite',
  diagnosisDate: 'diagnosisDate',
  lastContactDate: 'lastContactDate',
} as const;
export type PatientSort = (typeof PatientSort)[keyof typeof PatientSort];

export const SortDirection = { asc: 'asc', desc: 'desc' } as const;
export type SortDirection = (typeof SortDirection)[keyof typeof SortDirection];

const SORT_COLUMN: Readonly<Record<PatientSort, string>> = {
  patientId: 'patient_id',
  name: 'name_folded',
  primarySite: 'primary_site',
  diagnosisDate: 'diagnosis_date',
  lastContactDate: 'last_contact_date',
};

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;

export interface PatientQuery {
  readonly idPrefix?: string;
  readonly name?: string;
  readonly primarySite?: PrimarySite;
  /** Default `patientId`; ties are broken by patient id; missing values sort last. */
  readonly sort?: PatientSort;
  /**
   * A key that takes the place of the patient id in the order (`patientId` sorts by it, and it breaks
   * ties): researchers' lists are ordered by pseudonym, so that the order of a page says nothing about
   * the hospital's ids.
   */
  readonly orderKey?: (patientId: string) => string;
  readonly direction?: SortDirection;
  readonly offset?: number;
  readonly limit?: number;
}

export interface PatientPage {
  /** Patients matching the filters, on every page. */
  readonly total: number;
  readonly offset: number;
  readonly limit: number;
  readonly patients: readonly Patient[];
}

export async function searchPatients(store: Store, query: PatientQuery = {}): Promise<PatientPage> {
  const offset = query.offset ?? 0;
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new PrrtError('INVALID_INPUT', `offset ${offset} is not a whole number ≥ 0`);
  }
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new PrrtError('INVALID_INPUT', `limit ${limit} is not a whole number from 1 to ${MAX_PAGE_SIZE}`);
  }
  const db = store.db as unknown as Kysely<unknown>;
  const where = conditions(query);
  const counted = await sql<Row>`SELECT count(*) AS n FROM patients WHERE ${where}`.execute(db);
  const total = counted.rows[0] === undefined ? 0 : num(counted.rows[0], 'n');

  if (query.orderKey !== undefined) {
    const patients = await pageByKey(db, where, query, query.orderKey, offset, limit);
    return { total, offset, limit, patients };
  }
  const direction = query.direction === SortDirection.desc ? sql`DESC` : sql`ASC`;
  const column = sql.ref(SORT_COLUMN[query.sort ?? PatientSort.patientId]);
  const page = sql`${where} ORDER BY ${column} ${direction} NULLS LAST, ${sql.ref('patient_id')} ${direction}
    LIMIT ${limit} OFFSET ${offset}`;
  const rows = await selectPage(db, page);
  return { total, offset, limit, patients: rows.map((r) => patientsTable.fromRow(r)) };
}

function conditions(query: PatientQuery): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [sql`1 = 1`];
  if (query.idPrefix !== undefined && query.idPrefix !== '') {
    // A range over the key's byte order uses the primary-key index and needs no LIKE escaping.
    parts.push(sql`patient_id >= ${query.idPrefix} AND patient_id < ${`${query.idPrefix}\uffff`}`);
  }
  if (query.name !== undefined && query.name.trim() !== '') {
    const pattern = `%${foldForSearch(query.name.trim()).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    parts.push(sql`name_folded LIKE ${pattern} ESCAPE '\\'`);
  }
  if (query.primarySite !== undefined) parts.push(sql`primary_site = ${query.primarySite}`);
  return sql.join(parts, sql` AND `);
}

/** The patients' columns with a WHERE … ORDER BY … LIMIT tail; the table's own order is replaced. */
async function selectPage(db: Kysely<unknown>, tail: RawBuilder<unknown>): Promise<Row[]> {
  const columns = sql.join(
    [...patientsTable.keyColumns, ...patientsTable.valueColumns, 'version', 'updated_at'].map((c) =>
      sql.ref(c),
    ),
  );
  return (await sql<Row>`SELECT ${columns} FROM patients WHERE ${tail}`.execute(db)).rows;
}

/**
 * One page in the order of `orderKey`: the sort column and id of every matching patient are read, put
 * in order here (missing values last, as the database does), and the page's patients read by id.
 */
async function pageByKey(
  db: Kysely<unknown>,
  where: RawBuilder<unknown>,
  query: PatientQuery,
  orderKey: (patientId: string) => string,
  offset: number,
  limit: number,
): Promise<Patient[]> {
  const sort = query.sort ?? PatientSort.patientId;
  const column = sql.ref(SORT_COLUMN[sort]);
  const result = await sql<{ patient_id: string; sort_value: string | null }>`
    SELECT patient_id, ${column} AS sort_value FROM patients WHERE ${where}`.execute(db);
  const sign = query.direction === SortDirection.desc ? -1 : 1;
  const keyed = result.rows.map((r) => ({
    id: r.patient_id,
    key: orderKey(r.patient_id),
    value: sort === PatientSort.patientId ? null : r.sort_value,
  }));
  const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  keyed.sort((a, b) => {
    if (a.value !== b.value) {
      if (a.value === null) return 1;
      if (b.value === null) return -1;
      return sign * compare(a.value, b.value);
    }
    return sign * compare(a.key, b.key);
  });
  const ids = keyed.slice(offset, offset + limit).map((k) => k.id);
  if (ids.length === 0) return [];
  const rows = await selectPage(db, sql`patient_id IN (${sql.join(ids)})`);
  const byId = new Map(rows.map((r) => [String(r.patient_id), patientsTable.fromRow(r)]));
  return ids.map((id) => byId.get(id)).filter((p): p is Patient => p !== undefined);
}

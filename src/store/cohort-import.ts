/**
 * Imports a whole cohort in one transaction: rows are matched by their natural keys, new ones are
 * inserted, changed ones updated (version + 1), identical ones left alone, so importing the same
 * cohort twice changes nothing. Rows of the database that the cohort does not mention are kept.
 * Either everything is written or, on any error, nothing. A dry run computes the same plan and writes
 * nothing. Work proceeds a few thousand rows at a time, so memory stays bounded by the input.
 */
import type { Kysely } from 'kysely';
import type { Cohort } from '../clinical/model.js';
import { PrrtError } from '../errors.js';
import { COHORT_TABLES, type CohortPart, type CohortTable } from './cohort-tables.js';
import type { Store } from './database.js';
import type { SqlValue, StoreDialect } from './dialect.js';
import { patientIn, selectRows } from './record-queries.js';
import { allColumns, type Row } from './record-table.js';

export type ImportCounts = Record<CohortPart, number>;

export interface ImportPlan {
  readonly inserted: ImportCounts;
  readonly updated: ImportCounts;
  readonly unchanged: ImportCounts;
}

export interface ImportOptions {
  /** Compute the plan, write nothing. */
  readonly dryRun?: boolean;
  /** Called after each batch with the rows handled so far and the rows in the cohort. */
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * Called with the plan after the last row is written, inside the import's transaction: what it writes
   * through the store (the import's audit entry) is committed with the import or not at all.
   */
  readonly beforeCommit?: (plan: ImportPlan) => Promise<void>;
}

/** Rows compared and written per round (all rows of a patient stay in one round). */
const ROWS_PER_ROUND = 5000;
/** Patients whose stored rows are read per query. */
const PATIENTS_PER_ROUND = 500;

export async function importCohort(
  store: Store,
  cohort: Cohort,
  options: ImportOptions = {},
): Promise<ImportPlan> {
  const plan: ImportPlan = { inserted: zeroCounts(), updated: zeroCounts(), unchanged: zeroCounts() };
  const total = COHORT_TABLES.reduce((n, { part }) => n + cohort[part].length, 0);
  const updatedAt = new Date().toISOString();
  const db = store.db as unknown as Kysely<unknown>;
  const work = async (trx: Kysely<unknown>) => {
    let done = 0;
    for (const entry of COHORT_TABLES) {
      const values = cohort[entry.part] as readonly object[];
      for (const round of rounds(entry, values)) {
        const { inserts, updates } = await compare(trx, store.dialect, entry, round, plan, updatedAt);
        if (options.dryRun !== true) await write(trx, store.dialect, entry, inserts, updates);
        done += round.values.length;
        options.onProgress?.(done, total);
      }
    }
  };
  if (options.dryRun === true) {
    await store.db.transaction().execute((trx) => work(trx as unknown as Kysely<unknown>));
    await options.beforeCommit?.(plan);
  } else {
    await store.inTransaction(async () => {
      await work(db);
      await options.beforeCommit?.(plan);
    });
  }
  return plan;
}

function zeroCounts(): ImportCounts {
  return { patients: 0, courses: 0, cycles: 0, labs: 0, lesions: 0, events: 0, dosimetry: 0 };
}

interface Round {
  readonly patientIds: readonly string[];
  readonly values: readonly object[];
}

/** Groups the rows by patient and cuts them into rounds of whole patients. */
function* rounds({ table }: CohortTable, values: readonly object[]): Generator<Round> {
  const byPatient = new Map<string, object[]>();
  for (const value of values) {
    const patientId = String(table.toRow(value)[0]);
    const list = byPatient.get(patientId);
    if (list === undefined) byPatient.set(patientId, [value]);
    else list.push(value);
  }
  let patientIds: string[] = [];
  let batch: object[] = [];
  for (const [patientId, list] of byPatient) {
    patientIds.push(patientId);
    batch.push(...list);
    if (batch.length >= ROWS_PER_ROUND || patientIds.length >= PATIENTS_PER_ROUND) {
      yield { patientIds, values: batch };
      patientIds = [];
      batch = [];
    }
  }
  if (patientIds.length > 0) yield { patientIds, values: batch };
}

/** Sorts a round's rows into inserts and updates (already encoded for the writer) and counts them. */
async function compare(
  db: Kysely<unknown>,
  dialect: StoreDialect,
  { part, table }: CohortTable,
  round: Round,
  plan: ImportPlan,
  updatedAt: string,
): Promise<{ inserts: SqlValue[][]; updates: SqlValue[][] }> {
  const keyCount = table.keyColumns.length;
  const columns = allColumns(table);
  const stored = new Map<string, Row>();
  for (const row of await selectRows(db, table, patientIn(dialect, round.patientIds))) {
    stored.set(keyText(table.keyColumns.map((c) => row[c])), row);
  }
  const seen = new Set<string>();
  const inserts: SqlValue[][] = [];
  const updates: SqlValue[][] = [];
  for (const value of round.values) {
    const row = table.toRow(value).map((v) => dialect.encode(v) as SqlValue);
    const keyValues = row.slice(0, keyCount);
    const key = keyText(keyValues);
    if (seen.has(key)) {
      throw new PrrtError(
        'INVALID_INPUT',
        `${table.describeKey(table.keyOf(value))} appears twice in the import`,
      );
    }
    seen.add(key);
    const existing = stored.get(key);
    if (existing === undefined) {
      inserts.push([...row, updatedAt]);
      plan.inserted[part] += 1;
    } else if (columns.every((c, i) => sameValue(existing[c], row[i] ?? null))) {
      plan.unchanged[part] += 1;
    } else {
      updates.push([...row.slice(keyCount), updatedAt, ...keyValues]);
      plan.updated[part] += 1;
    }
  }
  return { inserts, updates };
}

async function write(
  db: Kysely<unknown>,
  dialect: StoreDialect,
  { table }: CohortTable,
  inserts: readonly SqlValue[][],
  updates: readonly SqlValue[][],
): Promise<void> {
  const writer = dialect.bulkWriter(db);
  try {
    if (inserts.length > 0) await writer.insert(table.table, [...allColumns(table), 'updated_at'], inserts);
    if (updates.length > 0) await writer.update(table.table, table.valueColumns, table.keyColumns, updates);
  } catch (error) {
    const kind = dialect.constraintKind(error);
    if (kind === undefined) throw error;
    const why =
      kind === 'foreign_key'
        ? 'refers to a patient, course or cycle that does not exist'
        : `breaks a ${kind.replace('_', ' ')} rule`;
    throw new PrrtError('INVALID_INPUT', `a ${table.entity} in the import ${why}; nothing was imported`);
  }
}

function keyText(values: readonly unknown[]): string {
  return JSON.stringify(values);
}

/** A stored value equals an encoded incoming one (drivers return numbers, text, 0/1 or booleans). */
function sameValue(stored: unknown, incoming: SqlValue): boolean {
  if (stored === incoming) return true;
  if (typeof stored === 'string' && typeof incoming === 'number') return Number(stored) === incoming;
  return false;
}

/**
 * Imports a cohort that streams in, table by table, without holding it in memory: rows are written in
 * batches of multi-row `INSERT … ON CONFLICT (natural key) DO UPDATE … WHERE (a value differs)
 * RETURNING version`, all inside ONE transaction. The semantics are those of `importCohort`: a new row
 * is inserted (version 1), a changed one updated by its natural key (version + 1), an identical one left
 * untouched, nothing deleted; the plan counts them. Any error, including one thrown by `onProgress`,
 * rolls everything back; a dry run does the same work and rolls back at the end, so its plan is exact.
 *
 * SQLite is written through better-sqlite3 prepared statements on a connection of its own (the store's
 * file, `BEGIN IMMEDIATE`); PostgreSQL through one pooled connection of the store.
 */
import Database from 'better-sqlite3';
import { CompiledQuery, type Kysely } from 'kysely';
import { PrrtError } from '../errors.js';
import type { ImportCounts, ImportOptions, ImportPlan } from './cohort-import.js';
import { COHORT_TABLES, type CohortPart, type CohortTable } from './cohort-tables.js';
import type { Store } from './database.js';
import { quoteIdentifier, type SqlValue, type StoreDialect } from './dialect.js';
import { allColumns } from './record-table.js';

/** A cohort to import as a stream: how many rows each part has, and the rows of each part in turn. */
export interface CohortStream {
  readonly counts: ImportCounts;
  /** The model objects of one part (`Cohort[part][number]`) in batches; each part is asked for once, in table order. */
  rows(part: CohortPart): AsyncIterable<readonly object[]>;
}

/** Rows per statement: large enough to cut the per-statement cost, well under both parameter limits. */
const ROWS_PER_STATEMENT = { sqlite: 200, postgres: 500 } as const;

/** Runs batches of rows through one database's upsert; gives back the `version` of each row written. */
interface Upserter {
  upsert(entry: CohortTable, rows: readonly SqlValue[][]): Promise<number[]> | number[];
}

export async function streamImport(
  store: Store,
  source: CohortStream,
  options: ImportOptions = {},
): Promise<ImportPlan> {
  const dryRun = options.dryRun === true;
  if (store.config.kind === 'sqlite') {
    const path = store.config.path;
    if (path === ':memory:') throw new PrrtError('USAGE', 'a streaming import needs a database file');
    const connection = new Database(path);
    try {
      connection.pragma(`busy_timeout = ${Math.max(0, Math.trunc(store.config.busyTimeoutMs ?? 5000))}`);
      connection.pragma('foreign_keys = ON');
      connection.pragma('synchronous = NORMAL');
      connection.pragma('cache_size = -65536');
      const upserter = sqliteUpserter(connection);
      connection.exec('BEGIN IMMEDIATE');
      try {
        const plan = await run(upserter, store.dialect, source, options);
        connection.exec(dryRun ? 'ROLLBACK' : 'COMMIT');
        return plan;
      } catch (error) {
        if (connection.inTransaction) connection.exec('ROLLBACK');
        throw error;
      }
    } finally {
      connection.close();
    }
  }
  const db = store.db as unknown as Kysely<unknown>;
  return db.connection().execute(async (conn) => {
    const exec = (text: string, parameters: readonly unknown[] = []) =>
      conn.executeQuery<{ version: number }>(CompiledQuery.raw(text, [...parameters]));
    await exec('BEGIN');
    try {
      const plan = await run(postgresUpserter(exec), store.dialect, source, options);
      await exec(dryRun ? 'ROLLBACK' : 'COMMIT');
      return plan;
    } catch (error) {
      await exec('ROLLBACK');
      throw error;
    }
  });
}

async function run(
  upserter: Upserter,
  dialect: StoreDialect,
  source: CohortStream,
  options: ImportOptions,
): Promise<ImportPlan> {
  const plan: ImportPlan = { inserted: zeroCounts(), updated: zeroCounts(), unchanged: zeroCounts() };
  const total = COHORT_TABLES.reduce((n, { part }) => n + source.counts[part], 0);
  const updatedAt = new Date().toISOString();
  const size = ROWS_PER_STATEMENT[dialect.name];
  let done = 0;
  for (const entry of COHORT_TABLES) {
    let batch: SqlValue[][] = [];
    const flush = async () => {
      const versions = await written(upserter, dialect, entry, batch);
      for (const v of versions) {
        if (v === 1) plan.inserted[entry.part] += 1;
        else plan.updated[entry.part] += 1;
      }
      plan.unchanged[entry.part] += batch.length - versions.length;
      done += batch.length;
      batch = [];
      options.onProgress?.(done, total);
    };
    for await (const values of source.rows(entry.part)) {
      for (const value of values) {
        const row = entry.table.toRow(value).map((v) => dialect.encode(v) as SqlValue);
        row.push(updatedAt);
        batch.push(row);
        if (batch.length >= size) await flush();
      }
    }
    if (batch.length > 0) await flush();
  }
  return plan;
}

/** The upsert, with an integrity error turned into the importer's message. */
async function written(
  upserter: Upserter,
  dialect: StoreDialect,
  entry: CohortTable,
  rows: readonly SqlValue[][],
): Promise<number[]> {
  try {
    return await upserter.upsert(entry, rows);
  } catch (error) {
    const kind = dialect.constraintKind(error);
    if (kind === undefined) throw error;
    const why =
      kind === 'foreign_key'
        ? 'refers to a patient, course or cycle that does not exist'
        : `breaks a ${kind.replace('_', ' ')} rule`;
    throw new PrrtError(
      'INVALID_INPUT',
      `a ${entry.table.entity} in the import ${why}; nothing was imported`,
    );
  }
}

function zeroCounts(): ImportCounts {
  return { patients: 0, courses: 0, cycles: 0, labs: 0, lesions: 0, events: 0, dosimetry: 0 };
}

/**
 * The columns of the unique index a row is matched on: the natural key, except that a missing event
 * term is part of the key through `coalesce(term, '')`, as the index is written.
 */
function conflictTarget({ table }: CohortTable): string {
  return table.keyColumns
    .map((c) =>
      table.table === 'events' && c === 'term' ? `coalesce(${quoteIdentifier(c)}, '')` : quoteIdentifier(c),
    )
    .join(', ');
}

/** `INSERT … VALUES (…) × rows ON CONFLICT … DO UPDATE … WHERE (some value differs) RETURNING version`. */
function upsertSql(entry: CohortTable, rows: number, placeholder: (n: number) => string, differs: string) {
  const { table } = entry;
  const columns = [...allColumns(table), 'updated_at'];
  const name = quoteIdentifier(table.table);
  let n = 0;
  const tuples: string[] = [];
  for (let r = 0; r < rows; r++) tuples.push(`(${columns.map(() => placeholder(++n)).join(', ')})`);
  const set = [
    ...table.valueColumns.map((c) => `${quoteIdentifier(c)} = excluded.${quoteIdentifier(c)}`),
    `version = ${name}.version + 1`,
    'updated_at = excluded.updated_at',
  ];
  const changed = table.valueColumns.map(
    (c) => `${name}.${quoteIdentifier(c)} ${differs} excluded.${quoteIdentifier(c)}`,
  );
  return (
    `INSERT INTO ${name} (${columns.map(quoteIdentifier).join(', ')}) VALUES ${tuples.join(', ')} ` +
    `ON CONFLICT (${conflictTarget(entry)}) DO UPDATE SET ${set.join(', ')} ` +
    `WHERE ${changed.join(' OR ')} RETURNING version`
  );
}

function sqliteUpserter(connection: Database.Database): Upserter {
  const statements = new Map<string, Database.Statement<unknown[], { version: number }>>();
  return {
    upsert(entry, rows) {
      const key = `${entry.table.table}:${rows.length}`;
      let statement = statements.get(key);
      if (statement === undefined) {
        statement = connection.prepare<unknown[], { version: number }>(
          upsertSql(entry, rows.length, () => '?', 'IS NOT'),
        );
        statements.set(key, statement);
      }
      return statement.all(rows.flat()).map((r) => r.version);
    },
  };
}

function postgresUpserter(
  exec: (text: string, parameters: readonly unknown[]) => Promise<{ rows: { version: number }[] }>,
): Upserter {
  const texts = new Map<string, string>();
  return {
    async upsert(entry, rows) {
      const key = `${entry.table.table}:${rows.length}`;
      let text = texts.get(key);
      if (text === undefined) {
        text = upsertSql(entry, rows.length, (n) => `$${n}`, 'IS DISTINCT FROM');
        texts.set(key, text);
      }
      const result = await exec(text, rows.flat());
      return result.rows.map((r) => r.version);
    },
  };
}

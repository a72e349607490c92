/**
 * Imports a cohort that streams in, table by table, without holding it in memory: rows are written in
 * batches of multi-row statements, all inside ONE transaction. The semantics are those of
 * `importCohort`: a new row is inserted (version 1), a changed one updated by its natural key
 * (version + 1), an identical one left untouched, nothing deleted; the plan counts them. Any error,
 * including one thrown by `onProgress`, rolls everything back; a dry run does the same work and rolls
 * back at the end, so its plan is exact.
 *
 * A table that is empty when the import starts gets plain `INSERT`s (every row is new: the checks of
 * the exchange folder exclude repeated keys, and the unique indexes would refuse one anyway); any other
 * gets `INSERT … ON CONFLICT (natural key) DO UPDATE … WHERE (a value differs) RETURNING …`.
 *
 * SQLite is written through better-sqlite3 prepared statements on a connection of its own (the store's
 * file, `BEGIN IMMEDIATE`), a few hundred rows per statement as one multi-row `VALUES` list of bound
 * parameters. The change-stamp triggers of migration 0003 (two more updates for every row written)
 * are dropped inside the transaction and created again, unchanged, before it commits; the
 * stamps are then moved once: the data clock by one, and every patient the import inserted or changed,
 * or whose records it inserted or changed, gets that new clock value — the end state the triggers give,
 * in one step. The transaction is all or nothing, so no other connection ever sees the triggers
 * missing. PostgreSQL is written through one pooled connection of the store; its statement triggers
 * stay.
 */
import Database from 'better-sqlite3';
import { CompiledQuery, type Kysely } from 'kysely';
import { PrrtError } from '../errors.js';
import type { ImportCounts, ImportOptions, ImportPlan } from './cohort-import.js';
import { COHORT_TABLES, type CohortPart, type CohortTable } from './cohort-tables.js';
import type { Store } from './database.js';
import { quoteIdentifier, type SqlValue } from './dialect.js';
import { allColumns } from './record-table.js';

/** A cohort to import as a stream: how many rows each part has, and the rows of each part in turn. */
export interface CohortStream {
  readonly counts: ImportCounts;
  /** The model objects of one part (`Cohort[part][number]`) in batches; each part is asked for once, in table order. */
  rows(part: CohortPart): AsyncIterable<readonly object[]>;
}

/** The table of each part. */
const TABLE_OF = new Map<CohortPart, CohortTable>(COHORT_TABLES.map((t) => [t.part, t]));

/**
 * Rows of one part as the writer takes them: a JSON array of rows, each the values of the stored
 * columns in order (`RecordTable.toRow`), and the distinct patients of those rows. PostgreSQL unpacks the
 * JSON itself (`json_array_elements`), which spares binding every value one by one; SQLite binds the
 * parsed values. Both take numbers exactly (to the nearest double).
 */
export interface RowsText {
  readonly json: string;
  readonly count: number;
  readonly patients: readonly string[];
}

/** Bytes of the encoder's first buffer; it doubles when a piece needs more. */
const ENCODER_BYTES = 1 << 20;

/**
 * Builds the `RowsText` of one part row by row: each row is encoded to UTF-8 JSON as it comes, into a
 * buffer outside the JavaScript heap, so that nothing of it outlives it there however many rows a piece
 * has (a short-lived heap is cheap to collect). `take` gives the rows added since the last `take` and
 * starts again (its buffer is reused).
 */
export class RowsEncoder {
  private readonly table: CohortTable['table'];
  private bytes = Buffer.allocUnsafe(ENCODER_BYTES);
  private length = 0;
  private count = 0;
  private patients: string[] = [];
  private last: unknown = undefined;

  constructor(part: CohortPart) {
    this.table = TABLE_OF.get(part)!.table;
  }

  get size(): number {
    return this.count;
  }

  /** Adds one model object (`Cohort[part][number]`). */
  add(model: object): void {
    const row = this.table.toRow(model);
    const text = JSON.stringify(row);
    // A UTF-16 unit takes at most 3 bytes; then the separator and the closing bracket.
    const room = text.length * 3 + 2;
    if (this.length + room > this.bytes.length) this.grow(this.length + room);
    this.bytes[this.length++] = this.count === 0 ? 0x5b : 0x2c;
    this.length += this.bytes.write(text, this.length);
    this.count++;
    // patient_id comes first in every natural key; a file keeps a patient's rows together, mostly.
    if (row[0] !== this.last) {
      this.last = row[0];
      this.patients.push(row[0] as string);
    }
  }

  take(): RowsText {
    let json = '[]';
    if (this.count > 0) {
      this.bytes[this.length++] = 0x5d;
      json = this.bytes.toString('utf8', 0, this.length);
    }
    const rows: RowsText = { json, count: this.count, patients: [...new Set(this.patients)] };
    this.length = 0;
    this.count = 0;
    this.patients = [];
    this.last = undefined;
    return rows;
  }

  private grow(needed: number): void {
    let size = this.bytes.length * 2;
    while (size < needed) size *= 2;
    const bigger = Buffer.allocUnsafe(size);
    this.bytes.copy(bigger, 0, 0, this.length);
    this.bytes = bigger;
  }
}

export function rowsText(part: CohortPart, models: readonly object[]): RowsText {
  const encoder = new RowsEncoder(part);
  for (const model of models) encoder.add(model);
  return encoder.take();
}

/**
 * An import in progress: one open transaction. `write` takes rows of the parts in table order;
 * `finish` commits (a dry run rolls back) and gives the plan; `abort` rolls back. After `finish` or
 * `abort` the writer is closed.
 */
export interface StreamWriter {
  write(part: CohortPart, rows: RowsText): Promise<void>;
  finish(): Promise<ImportPlan>;
  abort(): Promise<void>;
}

/** One database's statements: the writer itself is written once over this. */
interface Backend {
  /** Whether `table` has no row at all (checked once, at the start of its part). */
  isEmpty(table: string): Promise<boolean>;
  /** Plain insert of the rows. */
  insert(entry: CohortTable, json: string): Promise<void> | void;
  /** The upsert; gives back `[patient_id, version]` of each row inserted or changed. */
  upsert(entry: CohortTable, json: string): Promise<unknown[][]> | unknown[][];
  /** Before commit: moves the change stamps of the patients the import touched (`null`: all of them). */
  stamp(touched: Set<string> | null): Promise<void> | void;
  end(commit: boolean): Promise<void> | void;
}

/** Opens the transaction of a streaming import. */
export async function openStreamWriter(store: Store, options: ImportOptions = {}): Promise<StreamWriter> {
  const updatedAt = new Date().toISOString();
  const backend =
    store.config.kind === 'sqlite'
      ? sqliteBackend(store, updatedAt)
      : await postgresBackend(store, updatedAt);
  return writer(backend, store, options);
}

function writer(backend: Backend, store: Store, options: ImportOptions): StreamWriter {
  const dryRun = options.dryRun === true;
  const plan: ImportPlan = { inserted: zeroCounts(), updated: zeroCounts(), unchanged: zeroCounts() };
  const empty = new Map<CohortPart, boolean>();
  /** The patients whose stamp moves; null once every patient does (patients was empty at the start). */
  let touched: Set<string> | null = new Set();
  let open = true;
  const closed = () => new PrrtError('USAGE', 'the streaming import has already ended');

  const isEmpty = async (entry: CohortTable): Promise<boolean> => {
    let known = empty.get(entry.part);
    if (known === undefined) {
      known = await backend.isEmpty(entry.table.table);
      empty.set(entry.part, known);
      if (entry.part === 'patients' && known) touched = null;
    }
    return known;
  };

  const end = async (commit: boolean) => {
    open = false;
    await backend.end(commit);
  };

  return {
    async write(part, rows) {
      if (!open) throw closed();
      if (rows.count === 0) return;
      const entry = TABLE_OF.get(part)!;
      try {
        if (await isEmpty(entry)) {
          await backend.insert(entry, rows.json);
          plan.inserted[part] += rows.count;
          if (touched !== null) for (const p of rows.patients) touched.add(p);
          return;
        }
        const changed = await backend.upsert(entry, rows.json);
        for (const [patientId, version] of changed) {
          if (version === 1) plan.inserted[part] += 1;
          else plan.updated[part] += 1;
          touched?.add(patientId as string);
        }
        plan.unchanged[part] += rows.count - changed.length;
      } catch (error) {
        throw constraintError(store, entry, error);
      }
    },
    async finish() {
      if (!open) throw closed();
      try {
        const anything = touched === null || touched.size > 0;
        if (!dryRun && anything) await backend.stamp(touched);
      } catch (error) {
        await end(false);
        throw error;
      }
      await end(!dryRun);
      return plan;
    },
    async abort() {
      if (open) await end(false);
    },
  };
}

/** An integrity error turned into the importer's message; any other error as it is. */
function constraintError(store: Store, entry: CohortTable, error: unknown): unknown {
  const kind = store.dialect.constraintKind(error);
  if (kind === undefined) return error;
  const why =
    kind === 'foreign_key'
      ? 'refers to a patient, course or cycle that does not exist'
      : `breaks a ${kind.replace('_', ' ')} rule`;
  return new PrrtError('INVALID_INPUT', `a ${entry.table.entity} in the import ${why}; nothing was imported`);
}

/** Model objects per write when `streamImport` is given a large batch. */
const ROWS_PER_WRITE = 20_000;

/**
 * Imports `source` in one transaction (the rows of each part as model objects); see the module's
 * comment. `onProgress` gets the rows written so far and the rows of the whole source.
 */
export async function streamImport(
  store: Store,
  source: CohortStream,
  options: ImportOptions = {},
): Promise<ImportPlan> {
  const total = COHORT_TABLES.reduce((n, { part }) => n + source.counts[part], 0);
  const out = await openStreamWriter(store, options);
  try {
    let done = 0;
    for (const { part } of COHORT_TABLES) {
      for await (const models of source.rows(part)) {
        for (let i = 0; i < models.length; i += ROWS_PER_WRITE) {
          const some = models.slice(i, i + ROWS_PER_WRITE);
          await out.write(part, rowsText(part, some));
          done += some.length;
          options.onProgress?.(done, total);
        }
      }
    }
    return await out.finish();
  } catch (error) {
    await out.abort();
    throw error;
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

/**
 * `INSERT INTO t (columns…, updated_at) SELECT (each value of a row), ? FROM (the JSON rows)`, for
 * PostgreSQL: `value` gives the SQL of one column's value (`i` its place in a row); the first parameter
 * is `updated_at`, the second the JSON text.
 */
function insertSql(entry: CohortTable, value: (i: number) => string, from: string): string {
  const columns = allColumns(entry.table);
  const values = columns.map((_c, i) => value(i));
  return (
    `INSERT INTO ${quoteIdentifier(entry.table.table)} (${[...columns, 'updated_at'].map(quoteIdentifier).join(', ')}) ` +
    `SELECT ${values.join(', ')}, ${from}`
  );
}

/**
 * `INSERT INTO t (columns…, updated_at) VALUES (?, …), …` for `rows` rows (SQLite): the parameters are
 * the stored columns of each row and its `updated_at`, row after row.
 */
function valuesInsertSql(entry: CohortTable, rows: number): string {
  const columns = [...allColumns(entry.table), 'updated_at'];
  const row = `(${columns.map(() => '?').join(', ')})`;
  return (
    `INSERT INTO ${quoteIdentifier(entry.table.table)} (${columns.map(quoteIdentifier).join(', ')}) ` +
    `VALUES ${Array.from({ length: rows }, () => row).join(', ')}`
  );
}

/** The insert, then `ON CONFLICT … DO UPDATE … WHERE (some value differs) RETURNING patient_id, version`. */
function upsertSql(entry: CohortTable, insert: string, differs: string) {
  const { table } = entry;
  const name = quoteIdentifier(table.table);
  const set = [
    ...table.valueColumns.map((c) => `${quoteIdentifier(c)} = excluded.${quoteIdentifier(c)}`),
    `version = ${name}.version + 1`,
    'updated_at = excluded.updated_at',
  ];
  const changed = table.valueColumns.map(
    (c) => `${name}.${quoteIdentifier(c)} ${differs} excluded.${quoteIdentifier(c)}`,
  );
  return (
    `${insert} ` +
    `ON CONFLICT (${conflictTarget(entry)}) DO UPDATE SET ${set.join(', ')} ` +
    `WHERE ${changed.join(' OR ')} RETURNING ${name}.patient_id, ${name}.version`
  );
}

/** Rows per statement on SQLite (parameters stay far below its limit of 32,766). */
const ROWS_PER_STATEMENT = 256;

/** Patients per statement when stamps are moved. */
const STAMP_CHUNK = 500;

/** The triggers of migration 0003 on the cohort tables. */
const STAMP_TRIGGERS = COHORT_TABLES.flatMap(({ table }) =>
  ['insert', 'update', 'delete'].map((event) => `${table.table}_stamp_${event}`),
);

function sqliteBackend(store: Store, updatedAt: string): Backend {
  if (store.config.kind !== 'sqlite') throw new Error('not SQLite');
  const path = store.config.path;
  if (path === ':memory:') throw new PrrtError('USAGE', 'a streaming import needs a database file');
  const connection = new Database(path);
  let triggers: { name: string; sql: string }[] = [];
  try {
    connection.pragma(`busy_timeout = ${Math.max(0, Math.trunc(store.config.busyTimeoutMs ?? 5000))}`);
    connection.pragma('foreign_keys = ON');
    connection.pragma('synchronous = NORMAL');
    // 8 MB of page cache: a file keeps a patient's rows together, so the pages written and looked up
    // are mostly the last ones; a larger cache only holds more memory.
    connection.pragma('cache_size = -8192');
    connection.exec('BEGIN IMMEDIATE');
    triggers = connection
      .prepare<string[], { name: string; sql: string }>(
        `SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN (${STAMP_TRIGGERS.map(() => '?').join(', ')})`,
      )
      .all(...STAMP_TRIGGERS);
    for (const { name } of triggers) connection.exec(`DROP TRIGGER ${quoteIdentifier(name)}`);
  } catch (error) {
    if (connection.inTransaction) connection.exec('ROLLBACK');
    connection.close();
    throw error;
  }
  const statements = new Map<string, Database.Statement>();
  const statement = (key: string, text: () => string) => {
    let s = statements.get(key);
    if (s === undefined) {
      s = connection.prepare(text());
      statements.set(key, s);
    }
    return s;
  };
  /** One parameter array per statement size, filled again for each statement. */
  const parameterArrays = new Map<number, unknown[]>();
  /**
   * Runs the rows of `json` through `kind`'s statements: as many full ones as fit, then the rest in
   * halving sizes (so that a few statements of each size serve every piece).
   */
  const each = (
    entry: CohortTable,
    json: string,
    kind: 'insert' | 'upsert',
    run: (statement: Database.Statement, parameters: unknown[]) => void,
  ) => {
    const rows = JSON.parse(json) as SqlValue[][];
    const width = allColumns(entry.table).length + 1;
    let at = 0;
    while (at < rows.length) {
      let n = ROWS_PER_STATEMENT;
      while (n > rows.length - at) n >>= 1;
      const text = () => {
        const insert = valuesInsertSql(entry, n);
        return kind === 'insert' ? insert : upsertSql(entry, insert, 'IS NOT');
      };
      const size = n * width;
      let parameters = parameterArrays.get(size);
      if (parameters === undefined) {
        parameters = new Array<unknown>(size);
        parameterArrays.set(size, parameters);
      }
      let p = 0;
      for (let i = at; i < at + n; i++) {
        const row = rows[i]!;
        // The store keeps booleans as 1 and 0.
        for (let c = 0; c < width - 1; c++) {
          const v = row[c] ?? null;
          parameters[p++] = typeof v === 'boolean' ? (v ? 1 : 0) : v;
        }
        parameters[p++] = updatedAt;
      }
      run(statement(`${kind}:${entry.part}:${n}`, text), parameters);
      at += n;
    }
  };
  return {
    isEmpty: (table) =>
      Promise.resolve(
        connection.prepare(`SELECT 1 FROM ${quoteIdentifier(table)} LIMIT 1`).get() === undefined,
      ),
    insert(entry, json) {
      each(entry, json, 'insert', (s, parameters) => s.run(parameters));
    },
    upsert(entry, json) {
      const changed: unknown[][] = [];
      each(entry, json, 'upsert', (s, parameters) => {
        for (const row of s.raw(true).all(parameters) as unknown[][]) changed.push(row);
      });
      return changed;
    },
    stamp(touched) {
      if (triggers.length === 0) return;
      connection.prepare('UPDATE data_clock SET value = value + 1 WHERE id = 1').run();
      const clock = '(SELECT value FROM data_clock WHERE id = 1)';
      if (touched === null) {
        connection.prepare(`UPDATE patients SET data_version = ${clock}`).run();
      } else {
        const update = connection.prepare(
          `UPDATE patients SET data_version = ${clock} WHERE patient_id IN (SELECT value FROM json_each(?))`,
        );
        const ids = [...touched];
        for (let i = 0; i < ids.length; i += STAMP_CHUNK)
          update.run(JSON.stringify(ids.slice(i, i + STAMP_CHUNK)));
      }
    },
    end(commit) {
      try {
        if (connection.inTransaction) {
          if (commit) {
            for (const { sql } of triggers) connection.exec(sql);
            connection.exec('COMMIT');
          } else {
            connection.exec('ROLLBACK');
          }
        }
      } catch (error) {
        if (connection.inTransaction) connection.exec('ROLLBACK');
        throw error;
      } finally {
        connection.close();
      }
    },
  };
}

type Exec = (text: string, parameters?: readonly unknown[]) => Promise<{ rows: Record<string, unknown>[] }>;

async function postgresBackend(store: Store, updatedAt: string): Promise<Backend> {
  const db = store.db as unknown as Kysely<unknown>;
  // One connection of the pool, held for the whole import: given back when the transaction ends.
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const exec = await new Promise<Exec>((resolve, reject) => {
    db.connection()
      .execute(async (conn) => {
        resolve((text, parameters = []) =>
          conn.executeQuery<Record<string, unknown>>(CompiledQuery.raw(text, [...parameters])),
        );
        await released;
      })
      .catch(reject);
  });
  const texts = new Map<string, string>();
  /** The SQL type of each stored column of `table`, to cast the JSON text to. */
  const types = async (entry: CohortTable): Promise<Map<string, string>> => {
    const r = await exec(
      `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
       WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped`,
      [quoteIdentifier(entry.table.table)],
    );
    return new Map(r.rows.map((row) => [row.name as string, row.type as string]));
  };
  const insert = async (entry: CohortTable) => {
    const key = `insert:${entry.part}`;
    let text = texts.get(key);
    if (text === undefined) {
      const type = await types(entry);
      const columns = allColumns(entry.table);
      text = insertSql(
        entry,
        (i) => `(value ->> ${i})::${type.get(columns[i]!) ?? 'text'}`,
        '$1 FROM json_array_elements($2::json)',
      );
      texts.set(key, text);
    }
    return text;
  };
  try {
    await exec('BEGIN');
  } catch (error) {
    release();
    throw error;
  }
  return {
    async isEmpty(table) {
      const r = await exec(`SELECT 1 FROM ${quoteIdentifier(table)} LIMIT 1`);
      return r.rows.length === 0;
    },
    async insert(entry, json) {
      await exec(await insert(entry), [updatedAt, json]);
    },
    async upsert(entry, json) {
      // `WHERE true` tells the parser that ON CONFLICT belongs to the INSERT, not to a join of the SELECT.
      const upsert = upsertSql(entry, `${await insert(entry)} WHERE true`, 'IS DISTINCT FROM');
      const r = await exec(upsert, [updatedAt, json]);
      return r.rows.map((row) => [row.patient_id, Number(row.version)]);
    },
    // The statement triggers of PostgreSQL have stamped every patient already.
    stamp: () => undefined,
    async end(commit) {
      try {
        await exec(commit ? 'COMMIT' : 'ROLLBACK');
      } catch (error) {
        if (commit) await exec('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        release();
      }
    },
  };
}

/**
 * What differs between the databases the store runs on, in one small interface. Everything else in
 * the store is written once, against Kysely and this interface.
 */
import { sql, type ColumnDataType, type Expression, type Kysely, type RawBuilder } from 'kysely';

export const DialectName = { sqlite: 'sqlite', postgres: 'postgres' } as const;
export type DialectName = (typeof DialectName)[keyof typeof DialectName];

/** A value bound to a statement before the dialect encodes it (booleans become 0/1 on SQLite). */
export type SqlValue = string | number | boolean | null;

/** The kind of integrity rule a failed statement broke. */
export const ConstraintKind = {
  unique: 'unique',
  foreign_key: 'foreign_key',
  not_null: 'not_null',
  check: 'check',
} as const;
export type ConstraintKind = (typeof ConstraintKind)[keyof typeof ConstraintKind];

/** Column types used by the migrations; each database spells them its own way. */
export interface ColumnTypes {
  /** Text compared byte by byte (`COLLATE "C"` on PostgreSQL), so both databases sort alike. */
  readonly text: ColumnDataType | Expression<unknown>;
  /** An IEEE double: `real` on SQLite, `double precision` on PostgreSQL. */
  readonly real: ColumnDataType | Expression<unknown>;
  readonly integer: ColumnDataType | Expression<unknown>;
  /** `boolean` on PostgreSQL; an integer 0/1 on SQLite. */
  readonly boolean: ColumnDataType | Expression<unknown>;
}

/** The part of a dialect that migrations may use; kept small so that old migrations stay valid. */
export interface MigrationDialect {
  readonly name: DialectName;
  readonly types: ColumnTypes;
  /** Appended to every `CREATE TABLE` (`strict` on SQLite). */
  readonly tableSuffix: Expression<unknown> | undefined;
  /** Whether a surrogate key is an identity column (PostgreSQL) or the rowid alias (SQLite). */
  readonly identity: boolean;
}

/** Writes many rows inside a transaction as fast as the database allows. */
export interface BulkWriter {
  insert(table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[]): Promise<void>;
  /**
   * Runs `UPDATE table SET set… , version = version + 1, updated_at = ? WHERE key…` once per row;
   * each row is `[...setValues, updatedAt, ...keyValues]`. A null key value matches `IS NULL`.
   */
  update(
    table: string,
    setColumns: readonly string[],
    keyColumns: readonly string[],
    rows: readonly (readonly SqlValue[])[],
  ): Promise<void>;
}

export interface StoreDialect extends MigrationDialect {
  /** Turns a value into what the driver binds. */
  encode(value: SqlValue): unknown;
  /** The integrity rule a driver error reports, or undefined when the error is something else. */
  constraintKind(error: unknown): ConstraintKind | undefined;
  /**
   * The texts of a JSON array of strings bound as one parameter, as a parenthesised subquery for `IN`
   * (`where('id', 'in', list)`). One parameter whatever the number of values, so the statement is the
   * same text every time.
   */
  jsonTextList(json: string): RawBuilder<string>;
  /** Rows per multi-row statement that stay under the database's limit on bound parameters. */
  rowsPerStatement(columns: number): number;
  bulkWriter(db: Kysely<unknown>): BulkWriter;
  /**
   * Runs `work` in one write transaction, committed when it resolves and rolled back when it throws.
   * SQLite takes the write lock at the start (`BEGIN IMMEDIATE`), so a long import never fails half-way
   * for want of it.
   */
  writeTransaction<R>(db: Kysely<unknown>, work: (trx: Kysely<unknown>) => Promise<R>): Promise<R>;
  /**
   * SQLite only: runs `work` at once, synchronously, as one whole write transaction on the store's
   * connection, and gives `{ value }`; or gives undefined, running nothing, when a transaction is already
   * open on the connection (an awaited one of Kysely's), so that the caller uses `writeTransaction`.
   * Being synchronous, the transaction cannot interleave with anything else of this process, and it
   * costs a fraction of an awaited one: for small, hot writes such as audit entries.
   */
  writeNow?<R>(work: (run: SyncStatements) => R): { readonly value: R } | undefined;
}

/** Plain SQL with `?` placeholders run synchronously inside `writeNow`. */
export interface SyncStatements {
  /** The first row, or undefined. */
  get(text: string, parameters: readonly unknown[]): Record<string, unknown> | undefined;
  run(text: string, parameters: readonly unknown[]): void;
}

/** `col = value` or `col IS NULL` for each key column, joined by AND. */
export function keyMatch(columns: readonly string[], values: readonly SqlValue[]): RawBuilder<unknown> {
  return sql.join(
    columns.map((column, i) => {
      const v = values[i] ?? null;
      return v === null ? sql`${sql.ref(column)} IS NULL` : sql`${sql.ref(column)} = ${v}`;
    }),
    sql` AND `,
  );
}

/** Double-quotes an identifier (our own table and column names only, never user input). */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

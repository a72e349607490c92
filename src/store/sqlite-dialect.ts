/**
 * SQLite through better-sqlite3: booleans as 0/1 in `strict` tables, surrogate keys as the rowid, and
 * bulk writes as cached prepared statements run row by row inside the caller's transaction (the
 * fastest way to load SQLite; one connection, so the statements join the open transaction).
 */
import type BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import {
  ConstraintKind,
  quoteIdentifier,
  type BulkWriter,
  type SqlValue,
  type StoreDialect,
  type SyncStatements,
} from './dialect.js';

/** SQLite's default limit on bound parameters since 3.32. */
const SQLITE_MAX_PARAMETERS = 32_766;

export function sqliteDialect(connection: BetterSqlite3.Database): StoreDialect {
  const statements = new Map<string, BetterSqlite3.Statement>();
  const prepared = (text: string): BetterSqlite3.Statement => {
    let statement = statements.get(text);
    if (statement === undefined) {
      statement = connection.prepare(text);
      statements.set(text, statement);
    }
    return statement;
  };
  const encode = (value: SqlValue): unknown => (typeof value === 'boolean' ? (value ? 1 : 0) : value);

  const writer: BulkWriter = {
    insert(table, columns, rows) {
      const statement = prepared(
        `INSERT INTO ${quoteIdentifier(table)} (${columns.map(quoteIdentifier).join(', ')}) VALUES (${columns
          .map(() => '?')
          .join(', ')})`,
      );
      for (const row of rows) statement.run(row.map(encode));
      return Promise.resolve();
    },
    update(table, setColumns, keyColumns, rows) {
      const set = [
        ...setColumns.map((c) => `${quoteIdentifier(c)} = ?`),
        'version = version + 1',
        'updated_at = ?',
      ];
      for (const row of rows) {
        const keyValues = row.slice(setColumns.length + 1);
        const where = keyColumns.map((c, i) =>
          keyValues[i] === null ? `${quoteIdentifier(c)} IS NULL` : `${quoteIdentifier(c)} = ?`,
        );
        const statement = prepared(
          `UPDATE ${quoteIdentifier(table)} SET ${set.join(', ')} WHERE ${where.join(' AND ')}`,
        );
        statement.run(
          [...row.slice(0, setColumns.length + 1), ...keyValues.filter((v) => v !== null)].map(encode),
        );
      }
      return Promise.resolve();
    },
  };

  return {
    name: 'sqlite',
    types: { text: 'text', real: 'real', integer: 'integer', boolean: 'integer' },
    tableSuffix: sql`strict`,
    identity: false,
    encode,
    constraintKind(error) {
      const code = errorCode(error);
      if (code === undefined) return undefined;
      if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
        return ConstraintKind.unique;
      }
      if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return ConstraintKind.foreign_key;
      if (code === 'SQLITE_CONSTRAINT_NOTNULL') return ConstraintKind.not_null;
      if (code.startsWith('SQLITE_CONSTRAINT')) return ConstraintKind.check;
      return undefined;
    },
    rowsPerStatement: (columns) => Math.max(1, Math.min(500, Math.floor(SQLITE_MAX_PARAMETERS / columns))),
    bulkWriter: () => writer,
    jsonTextList: (json) => sql<string>`(SELECT value FROM json_each(${json}))`,
    writeTransaction: (db, work) =>
      db.connection().execute(async (conn) => {
        await sql`BEGIN IMMEDIATE`.execute(conn);
        try {
          const result = await work(conn);
          await sql`COMMIT`.execute(conn);
          return result;
        } catch (error) {
          await sql`ROLLBACK`.execute(conn);
          throw error;
        }
      }),
    writeNow(work) {
      const inTransaction = (): boolean => connection.inTransaction;
      if (inTransaction()) return undefined;
      const run: SyncStatements = {
        get: (text, parameters) =>
          prepared(text).get(parameters.map((v) => encode(v as SqlValue))) as
            Record<string, unknown> | undefined,
        run: (text, parameters) => {
          prepared(text).run(parameters.map((v) => encode(v as SqlValue)));
        },
      };
      connection.exec('BEGIN IMMEDIATE');
      try {
        const value = work(run);
        connection.exec('COMMIT');
        return { value };
      } catch (error) {
        if (inTransaction()) connection.exec('ROLLBACK');
        throw error;
      }
    },
  };
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

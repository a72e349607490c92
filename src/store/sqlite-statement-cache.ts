/**
 * better-sqlite3 as Kysely sees it, with its prepared statements kept. Kysely's SQLite driver prepares
 * every query's text anew, which costs more than running a small indexed query; the server runs the
 * same few texts thousands of times a second. Statements are kept per text, the least recently used
 * dropped beyond `maxStatements`; a statement that is still being iterated is never handed out twice
 * (a fresh one is prepared instead). SQLite re-prepares a kept statement by itself after a schema change.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

export function cachingSqliteDatabase(
  connection: BetterSqlite3.Database,
  maxStatements = 256,
): SqliteDatabase {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => {
      statements.clear();
      connection.close();
    },
    prepare(text: string): SqliteStatement {
      const kept = statements.get(text);
      if (kept !== undefined && !kept.busy) {
        // Most recently used last.
        statements.delete(text);
        statements.set(text, kept);
        return kept;
      }
      const statement = connection.prepare(text);
      if (kept === undefined) {
        statements.set(text, statement);
        if (statements.size > maxStatements) {
          const oldest = statements.keys().next();
          if (oldest.done !== true) statements.delete(oldest.value);
        }
      }
      return statement;
    },
  };
}

/**
 * A consistent copy of a SQLite database while it is in use (SQLite's online backup), and its
 * restore. For PostgreSQL use `pg_dump -Fc` and `pg_restore` (docs/store.md).
 */
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { PrrtError } from '../errors.js';
import { MIGRATION_NAMES, MIGRATION_TABLE } from './migrator.js';

/** Copies the database at `databasePath` to `file`; the copy appears whole or not at all. */
export async function backupSqlite(databasePath: string, file: string): Promise<void> {
  if (!existsSync(databasePath)) throw new PrrtError('NOT_FOUND', `there is no database at ${databasePath}`);
  const source = new Database(databasePath, { fileMustExist: true });
  const partial = `${file}.partial`;
  try {
    rmSync(partial, { force: true });
    await source.backup(partial);
    renameSync(partial, file);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    source.close();
  }
}

/**
 * Replaces the database at `databasePath` with the backup in `file`, after checking that the file is a
 * prrt database whose migrations this version knows. Stop the server first: the database must not be
 * in use (it is refused when another connection keeps its write-ahead log open).
 */
export async function restoreSqlite(file: string, databasePath: string): Promise<void> {
  checkBackup(file);
  const staged = `${databasePath}.restoring`;
  rmSync(staged, { force: true });
  const source = new Database(file, { readonly: true, fileMustExist: true });
  try {
    await source.backup(staged);
  } catch (error) {
    rmSync(staged, { force: true });
    throw error;
  } finally {
    source.close();
  }
  try {
    if (existsSync(databasePath)) settle(databasePath);
    renameSync(staged, databasePath);
  } catch (error) {
    rmSync(staged, { force: true });
    throw error;
  }
}

function checkBackup(file: string): void {
  if (!existsSync(file)) throw new PrrtError('NOT_FOUND', `there is no backup at ${file}`);
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(String(check));
    const table = db
      .prepare('SELECT name FROM sqlite_master WHERE type = ? AND name = ?')
      .get('table', MIGRATION_TABLE);
    if (table === undefined) throw new Error('it has no migrations table');
    const rows = db.prepare(`SELECT name FROM ${MIGRATION_TABLE} ORDER BY name`).all() as { name: unknown }[];
    const names = rows.map((r) => String(r.name));
    const known = new Set<string>(MIGRATION_NAMES);
    const unknown = names.filter((n) => !known.has(n));
    if (unknown.length > 0)
      throw new Error(`it was written by a newer version (migrations ${unknown.join(', ')})`);
    if (names.length === 0) throw new Error('no migration was ever applied to it');
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new PrrtError('INVALID_INPUT', `${file} is not a prrt database backup: ${why}`);
  } finally {
    db?.close();
  }
}

/**
 * Folds the target's write-ahead log into the file and removes it, so that no stale log is applied to
 * the restored file; refuses when another connection still has the database open.
 */
function settle(databasePath: string): void {
  const db = new Database(databasePath, { fileMustExist: true, timeout: 1000 });
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.pragma('journal_mode = DELETE');
  } catch (error) {
    db.close();
    const why = error instanceof Error ? error.message : String(error);
    throw new PrrtError(
      'INVALID_INPUT',
      `${databasePath} is in use (${why}); stop the server before restoring`,
    );
  }
  db.close();
  for (const suffix of ['-wal', '-shm']) {
    const path = `${databasePath}${suffix}`;
    if (existsSync(path) && statSync(path).size > 0 && suffix === '-wal') {
      throw new PrrtError('INVALID_INPUT', `${databasePath} is in use; stop the server before restoring`);
    }
    rmSync(path, { force: true });
  }
}

import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { PrrtError } from '../../src/errors.js';
import { loadCohort } from '../../src/store/cohort-loader.js';
import { importCohort } from '../../src/store/cohort-import.js';
import { openStore } from '../../src/store/database.js';
import { repositories } from '../../src/store/repositories.js';
import { backupSqlite, restoreSqlite } from '../../src/store/sqlite-backup.js';
import { sampleCohort } from './sample-cohort.js';

describe('sqlite: backup and restore', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'prrt-backup-'));
    path = join(dir, 'prrt.sqlite');
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  test('a backup taken while the database is open restores to the same content', async () => {
    const store = await openStore({ kind: 'sqlite', path });
    await importCohort(store, sampleCohort());
    const backup = join(dir, 'copy.sqlite');
    await backupSqlite(path, backup);
    // Changed after the backup: the restore must bring back the state at backup time.
    const repos = repositories(store);
    const read = await repos.patients.get({ patientId: 'P002' });
    await repos.patients.delete({ patientId: 'P002' }, read.version);
    await store.close();

    await restoreSqlite(backup, path);
    const reopened = await openStore({ kind: 'sqlite', path });
    try {
      expect(await loadCohort(reopened)).toStrictEqual(sampleCohort());
    } finally {
      await reopened.close();
    }
  });

  test('a file that is not a prrt database is refused and the database is kept', async () => {
    const store = await openStore({ kind: 'sqlite', path });
    await importCohort(store, sampleCohort());
    await store.close();
    const original = readFileSync(path);

    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'not a database at all, but long enough to look like one '.repeat(100));
    const other = join(dir, 'other.sqlite');
    const plain = new Database(other);
    plain.exec('CREATE TABLE things (x integer)');
    plain.close();

    for (const file of [text, other, join(dir, 'missing.sqlite')]) {
      await expect(restoreSqlite(file, path)).rejects.toBeInstanceOf(PrrtError);
    }
    expect(readFileSync(path).equals(original)).toBe(true);
  });

  test('a backup written by a newer version (unknown migration) is refused', async () => {
    const store = await openStore({ kind: 'sqlite', path });
    await store.close();
    const backup = join(dir, 'newer.sqlite');
    await backupSqlite(path, backup);
    const db = new Database(backup);
    db.prepare('INSERT INTO kysely_migration (name, timestamp) VALUES (?, ?)').run(
      '9999-future',
      '2030-01-01',
    );
    db.close();
    await expect(restoreSqlite(backup, path)).rejects.toThrow(/newer version/);
  });

  test('a restore is refused while another connection holds the database', async () => {
    const store = await openStore({ kind: 'sqlite', path });
    await importCohort(store, sampleCohort());
    const backup = join(dir, 'copy.sqlite');
    await backupSqlite(path, backup);
    const reader = new Database(path);
    reader.pragma('busy_timeout = 0');
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM patients').get();
    try {
      await expect(restoreSqlite(backup, path)).rejects.toThrow(/in use/);
    } finally {
      reader.exec('COMMIT');
      reader.close();
      await store.close();
    }
  });
});

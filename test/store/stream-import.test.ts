import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { writeRegistry } from '../../bench/registry-cohort.js';
import { importFolderStreaming } from '../../src/cli/store-commands.js';
import { readExchangeFolder } from '../../src/interop/exchange-folder/index.js';
import { importCohort, type ImportCounts } from '../../src/store/cohort-import.js';
import { loadCohort } from '../../src/store/cohort-loader.js';
import type { Store } from '../../src/store/database.js';
import { storeSnapshot } from './store-snapshot.js';
import { testDatabases } from './test-databases.js';

const ROOT = join(import.meta.dirname, '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'exchange');

const none: ImportCounts = {
  patients: 0,
  courses: 0,
  cycles: 0,
  labs: 0,
  lesions: 0,
  events: 0,
  dosimetry: 0,
};

async function readValid(dir: string) {
  const r = await readExchangeFolder(dir);
  if (!r.ok) throw new Error(`${dir} should be valid: ${r.errors[0]?.message ?? ''}`);
  return r.cohort;
}

async function streamed(
  store: Store,
  dir: string,
  options: Parameters<typeof importFolderStreaming>[2] = {},
) {
  const r = await importFolderStreaming(store, dir, options);
  if (!r.ok) throw new Error(`${dir} should be valid: ${r.errors[0]?.message ?? ''}`);
  return r.plan;
}

let work: string;
let registry: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'prrt-stream-test-'));
  registry = join(work, 'registry');
  writeRegistry({ dir: registry, patients: 60, seed: 7 });
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

for (const database of testDatabases()) {
  describe(`${database.dialect}: streaming import of an exchange folder`, () => {
    let store: Store;
    let other: Store;
    beforeEach(async () => {
      store = await database.open();
      other = await database.open();
    });
    afterEach(async () => {
      await store.close();
      await other.close();
    });

    test.each([
      ['a generated registry', () => registry],
      [
        'valid-small (dosimetry, quoted multi-line cells, unit conversions)',
        () => join(FIXTURES, 'valid-small'),
      ],
    ])('%s stores the same content as importCohort, with the same plan', async (_name, dir) => {
      const cohort = await readValid(dir());
      const inMemory = await importCohort(other, cohort);
      const plan = await streamed(store, dir());
      expect(plan).toStrictEqual(inMemory);
      expect(plan.inserted.labs).toBe(cohort.labs.length);
      const loaded = await loadCohort(store);
      expect(loaded).toStrictEqual(await loadCohort(other));
      expect(loaded.patients.length).toBe(cohort.patients.length);
    });

    test('re-importing the same folder changes nothing, not even versions or timestamps', async () => {
      const first = await streamed(store, registry);
      const before = await storeSnapshot(store);
      const again = await streamed(store, registry);
      expect(again.inserted).toStrictEqual(none);
      expect(again.updated).toStrictEqual(none);
      expect(again.unchanged).toStrictEqual(first.inserted);
      expect(await storeSnapshot(store)).toStrictEqual(before);
    });

    test('a changed row is updated by its natural key (version + 1); rows it does not mention stay', async () => {
      await streamed(store, join(FIXTURES, 'valid-small'));
      const changed = join(work, `changed-${database.dialect}`);
      cpSync(registry, changed, { recursive: true });
      const labs = readFileSync(join(changed, 'labs.csv'), 'utf8').split('\n');
      const [patientId, takenAt, testName] = labs[1]!.split(',');
      labs[1] = labs[1]!.replace(/,(\d+),10\^9\/L,/, (_m, v: string) => `,${Number(v) + 1},10^9/L,`);
      await streamed(store, registry);
      writeFileSync(join(changed, 'labs.csv'), labs.join('\n'));
      const plan = await streamed(store, changed);
      expect(plan.updated).toStrictEqual({ ...none, labs: 1 });
      expect(plan.inserted).toStrictEqual(none);
      const rows = (await storeSnapshot(store)).labs!;
      const row = rows.find(
        (r) => r.patient_id === patientId && r.taken_at === takenAt && r.test === testName,
      )!;
      expect(row.version).toBe(2);
      const cohort = await loadCohort(store);
      expect(cohort.patients.map((p) => p.patientId)).toContain('P001');
      expect(cohort.patients.length).toBe(60 + 4);
    });

    test('a dry run gives the plan of the real import and writes nothing', async () => {
      await streamed(store, join(FIXTURES, 'valid-small'));
      const before = await storeSnapshot(store);
      const dry = await streamed(store, registry, { dryRun: true });
      expect(await storeSnapshot(store)).toStrictEqual(before);
      expect(await streamed(store, registry)).toStrictEqual(dry);
    });

    test('an invalid folder writes nothing and reports every error as prrt validate does', async () => {
      await streamed(store, join(FIXTURES, 'valid-small'));
      const before = await storeSnapshot(store);
      const dir = join(FIXTURES, 'planted-errors');
      const expected = await readExchangeFolder(dir);
      const r = await importFolderStreaming(store, dir);
      expect(r.ok).toBe(false);
      expect(expected.ok).toBe(false);
      if (r.ok || expected.ok) return;
      expect(r.errors).toStrictEqual(expected.errors);
      expect(r.errors.map((e) => `${e.file ?? ''}:${e.line ?? ''}:${e.column ?? ''}`)).toContain(
        'labs.csv:6:patient_id',
      );
      expect(await storeSnapshot(store)).toStrictEqual(before);
    });

    test('a failure halfway through (thrown by the progress callback) leaves the database as it was', async () => {
      await streamed(store, join(FIXTURES, 'valid-small'));
      const before = await storeSnapshot(store);
      let calls = 0;
      const failure = importFolderStreaming(store, registry, {
        onProgress: (done, total) => {
          calls++;
          if (done >= total / 2) throw new Error('interrupted');
        },
      });
      await expect(failure).rejects.toThrow('interrupted');
      expect(calls).toBeGreaterThan(1);
      expect(await storeSnapshot(store)).toStrictEqual(before);
      // The database is still usable: the same import now goes through.
      expect((await streamed(store, registry)).inserted.patients).toBe(60);
    });

    test(
      'an import killed with SIGKILL midway leaves the database as it was',
      { timeout: 180_000 },
      async () => {
        await streamed(store, join(FIXTURES, 'valid-small'));
        const before = await storeSnapshot(store);
        const large = join(work, `large-${database.dialect}`);
        writeRegistry({ dir: large, patients: 4000, seed: 3 });
        const env: NodeJS.ProcessEnv = { ...process.env };
        let writing: () => Promise<boolean>;
        if (store.config.kind === 'sqlite') {
          env.PRRT_DB = store.config.path;
          env.PRRT_DATABASE_URL = '';
          const wal = `${store.config.path}-wal`;
          writing = () => Promise.resolve(existsSync(wal) && statSync(wal).size > 4 << 20);
        } else {
          const url = new URL(store.config.url);
          url.searchParams.set('options', `-c search_path=${store.config.schema!}`);
          env.PRRT_DATABASE_URL = url.toString();
          writing = async () => {
            const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE state = 'active' AND query LIKE 'INSERT INTO "lesions"%'`.execute(store.db);
            return (r.rows[0]?.n ?? 0) > 0;
          };
        }
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts'), 'import', large],
          {
            cwd: ROOT,
            env,
            stdio: 'ignore',
          },
        );
        const exited = new Promise<NodeJS.Signals | null>((resolve) => {
          child.on('exit', (_code, signal) => {
            resolve(signal);
          });
        });
        let killed = false;
        while (child.exitCode === null) {
          if (await writing()) {
            killed = child.kill('SIGKILL');
            break;
          }
          await new Promise((r) => setTimeout(r, 20));
        }
        expect(await exited).toBe('SIGKILL');
        expect(killed).toBe(true);
        if (store.config.kind === 'sqlite') {
          const check = new Database(store.config.path);
          try {
            expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
          } finally {
            check.close();
          }
        }
        expect(await storeSnapshot(store)).toStrictEqual(before);
      },
    );
  });
}

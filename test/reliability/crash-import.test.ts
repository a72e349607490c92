/**
 * `prrt import` killed with SIGKILL before, during and at the end of its transaction, on a database
 * holding a first import: afterwards the database opens and checks clean, holds exactly the state
 * before or exactly the state after the import, and its audit trail verifies. The short form of
 * `bench/crash-bench.ts`; `PRRT_CRASH_SEED` repeats a run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { crashDatabases, crashLogOption, crashSeed, importCrashes, killAllChildren } from './crash-safety.js';

const KILLS = 6;
const work = mkdtempSync(join(tmpdir(), 'prrt-crash-import-'));
afterAll(() => {
  killAllChildren();
  rmSync(work, { recursive: true, force: true });
});

for (const kind of crashDatabases(join(work, 'databases'))) {
  describe(`${kind.dialect}: prrt import killed with SIGKILL`, () => {
    test(
      `${KILLS} kills leave the state before or after the import, never part of it`,
      { timeout: 300_000 },
      async () => {
        const seed = crashSeed();
        const database = await kind.open();
        try {
          const report = await importCrashes({
            database,
            work: join(work, kind.dialect),
            seed,
            kills: KILLS,
            ...crashLogOption(),
            patients: 150,
            extraPatients: 40,
          });
          const why = `seed ${seed} (repeat with PRRT_CRASH_SEED=${seed})`;
          expect(report.failures, why).toStrictEqual([]);
          const killed = report.runs.filter((r) => r.exit === 'SIGKILL');
          expect(killed.length, why).toBe(KILLS);
          // Every kill was aimed at one of the three windows, each at least once.
          expect(new Set(killed.map((r) => r.aim)).size, why).toBe(3);
          // Runs let finish hold the whole import; the two states differ, so the check has teeth.
          const finished = report.runs.filter((r) => r.exit !== 'SIGKILL');
          expect(finished.length, why).toBeGreaterThanOrEqual(1);
          for (const r of finished) expect(r.state, why).toBe('after');
          expect(report.rows.after, why).toBeGreaterThan(report.rows.before);
          for (const r of killed) expect(['before', 'after'], why).toContain(r.state);
        } finally {
          await database.close();
        }
      },
    );
  });
}

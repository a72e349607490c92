/**
 * `prrt serve` killed with SIGKILL under concurrent writes (records created, changed with If-Match and
 * deleted, zip archives imported) and restarted on the same database: every acknowledged write is
 * there after the restart with its audit entry, every other write is wholly there or not at all, the
 * database checks clean and the audit trail verifies. The short form of `bench/crash-bench.ts`;
 * `PRRT_CRASH_SEED` repeats a run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { crashDatabases, crashLogOption, crashSeed, killAllChildren, serverCrashes } from './crash-safety.js';

const KILLS = 6;
const work = mkdtempSync(join(tmpdir(), 'prrt-crash-server-'));
afterAll(() => {
  killAllChildren();
  rmSync(work, { recursive: true, force: true });
});

for (const kind of crashDatabases(join(work, 'databases'))) {
  describe(`${kind.dialect}: prrt serve killed with SIGKILL under writes`, () => {
    test(
      `${KILLS} kills lose no acknowledged write and half-write nothing`,
      { timeout: 300_000 },
      async () => {
        const seed = crashSeed();
        const database = await kind.open();
        try {
          const report = await serverCrashes({
            database,
            work: join(work, kind.dialect),
            seed,
            kills: KILLS,
            ...crashLogOption(),
            clients: 6,
            maxLoadMs: 1500,
          });
          const why = `seed ${seed} (repeat with PRRT_CRASH_SEED=${seed})`;
          expect(report.failures, why).toStrictEqual([]);
          expect(report.lives.length, why).toBe(KILLS);
          const loaded = report.lives.filter((l) => l.aim === 'under load');
          expect(loaded.length, why).toBeGreaterThanOrEqual(KILLS - 2);
          // The writes really ran: each kind was acknowledged, and most lives were killed mid-flight.
          const a = report.acknowledgedByKind;
          expect(a.login, why).toBe(loaded.length);
          expect(a['patient.create'] + a['lab.create'] + a['cycle.update'], why).toBeGreaterThan(10);
          expect(loaded.filter((l) => l.unanswered > 0).length, why).toBeGreaterThanOrEqual(1);
        } finally {
          await database.close();
        }
      },
    );
  });
}

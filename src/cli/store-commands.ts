/**
 * Commands that work on the database: `prrt import`, `prrt backup`, `prrt restore`. The database is
 * SQLite at `$PRRT_DB` (default ./data/prrt.sqlite) or PostgreSQL at `$PRRT_DATABASE_URL`.
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import type { Cohort } from '../clinical/model.js';
import { PrrtError } from '../errors.js';
import {
  backupSqlite,
  importCohort,
  loadCohort,
  openStore,
  restoreSqlite,
  storeConfigFromEnv,
  type ImportCounts,
  type ImportPlan,
  type Store,
} from '../store/index.js';
import { loadCohortFolder } from './report-command.js';

/** Opens the configured store, runs `work`, and always closes it. */
export async function withStore<T>(work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(storeConfigFromEnv());
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/** The stored cohort, for `prrt report` and other commands without `--data`. */
export function cohortFromDatabase(): Promise<Cohort> {
  return withStore((store) => loadCohort(store));
}

const PARTS: readonly (keyof ImportCounts)[] = [
  'patients',
  'courses',
  'cycles',
  'labs',
  'lesions',
  'events',
  'dosimetry',
];

function describe(counts: ImportCounts): string {
  const parts = PARTS.filter((p) => counts[p] > 0).map((p) => `${counts[p]} ${p}`);
  return parts.length ? parts.join(', ') : 'nothing';
}

export function planSummary(plan: ImportPlan, dryRun: boolean): string {
  const verb = dryRun ? 'would be' : '';
  return [
    `inserted${verb ? ` (${verb})` : ''}: ${describe(plan.inserted)}`,
    `updated${verb ? ` (${verb})` : ''}: ${describe(plan.updated)}`,
    `unchanged: ${describe(plan.unchanged)}`,
  ].join('\n');
}

function sqlitePath(store: Store): string {
  if (store.config.kind !== 'sqlite') {
    throw new PrrtError(
      'USAGE',
      'backup and restore here are for the embedded SQLite database; for PostgreSQL use pg_dump -Fc and pg_restore (docs/store.md)',
    );
  }
  return store.config.path;
}

export function registerStoreCommands(program: Command): void {
  program
    .command('import')
    .description('validate an exchange folder (or .zip) and store it in one transaction, all or nothing')
    .argument('<DIR_OR_ZIP>', 'the exchange folder, or a zip archive of it')
    .option('--dry-run', 'report what would change and write nothing')
    .action(async (path: string, opts: { dryRun?: boolean }) => {
      if (!existsSync(path)) throw new PrrtError('USAGE', `no such folder or zip file: ${path}`);
      const cohort = await loadCohortFolder(path);
      const dryRun = opts.dryRun === true;
      const bar = process.stderr.isTTY
        ? new cliProgress.SingleBar(
            { format: 'importing [{bar}] {percentage}% | {value}/{total} rows', stream: process.stderr },
            cliProgress.Presets.shades_classic,
          )
        : null;
      let started = false;
      const plan = await withStore((store) =>
        importCohort(store, cohort, {
          dryRun,
          onProgress: (done, total) => {
            if (!bar) return;
            if (!started) {
              bar.start(total, 0);
              started = true;
            }
            bar.update(done);
          },
        }),
      ).finally(() => {
        if (started) bar?.stop();
      });
      process.stdout.write(`${dryRun ? 'dry run, nothing written\n' : ''}${planSummary(plan, dryRun)}\n`);
    });

  program
    .command('backup')
    .description('write a consistent copy of the SQLite database (works while the server runs)')
    .argument('<FILE>', 'the backup file to write')
    .action(async (file: string) => {
      const path = await withStore((store) => Promise.resolve(sqlitePath(store)));
      await backupSqlite(path, file);
      process.stdout.write(`backed up ${path} to ${file}\n`);
    });

  program
    .command('restore')
    .description('replace the SQLite database with a backup (stop the server first)')
    .argument('<FILE>', 'a backup written by prrt backup')
    .action(async (file: string) => {
      const config = storeConfigFromEnv();
      if (config.kind !== 'sqlite') {
        throw new PrrtError(
          'USAGE',
          'restore here is for SQLite; for PostgreSQL use pg_restore (docs/store.md)',
        );
      }
      await restoreSqlite(file, config.path);
      process.stdout.write(`restored ${config.path} from ${file}\n`);
    });
}

/**
 * Commands that work on the database: `prrt import`, `prrt backup`, `prrt restore`. The database is
 * SQLite at `$PRRT_DB` (default ./data/prrt.sqlite) or PostgreSQL at `$PRRT_DATABASE_URL`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import type { Cohort } from '../clinical/model.js';
import { PrrtError, type ErrorDetail } from '../errors.js';
import { AuditTrail } from '../server/audit-trail.js';
import { bundleToCohort } from '../interop/fhir/index.js';
import { importFolder, type FolderImportOptions, type FolderImportResult } from './folder-import.js';
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

export type { FolderImportOptions, FolderImportResult } from './folder-import.js';

/**
 * Imports the exchange folder (or zip) at `path` in one streaming pass (`importFolder`): every import
 * rule is checked while the rows are written in one transaction, which commits only when no error was
 * found. Invalid input writes nothing and gives back every error.
 */
export function importFolderStreaming(
  store: Store,
  path: string,
  options: FolderImportOptions = {},
): Promise<FolderImportResult> {
  return importFolder(store, path, options);
}

/** A cli-progress bar on standard error when it is a terminal; nothing otherwise. */
function progressBar(): {
  show(phase: string, value: number, total: number, unit: string): void;
  stop(): void;
} {
  let bar: cliProgress.SingleBar | null = null;
  let phase = '';
  return {
    show(name, value, total, unit) {
      if (!process.stderr.isTTY) return;
      if (bar === null || phase !== name) {
        bar?.stop();
        phase = name;
        bar = new cliProgress.SingleBar(
          { format: '{phase} [{bar}] {percentage}% | {value}/{total} {unit}', stream: process.stderr },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, 0, { phase, unit });
      }
      bar.update(value);
    },
    stop() {
      bar?.stop();
      bar = null;
      phase = '';
    },
  };
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

/** A FHIR R4 Bundle file as a cohort; every problem located by entry and path. */
export function readFhirBundle(path: string): Cohort {
  let bundle: unknown;
  try {
    bundle = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new PrrtError('INVALID_INPUT', `${path} is not JSON: ${(e as Error).message}`);
  }
  const result = bundleToCohort(bundle as Parameters<typeof bundleToCohort>[0]);
  if (!result.ok) {
    const details: ErrorDetail[] = result.errors.map((e) => ({
      file: path,
      line: e.entry === null ? undefined : e.entry + 1,
      column: e.path,
      message: e.message,
    }));
    throw new PrrtError(
      'INVALID_INPUT',
      `${path} is not a valid prrt FHIR Bundle (${details.length} errors)`,
      details,
    );
  }
  return result.cohort;
}

/**
 * The audit entry of an import from the command line, as the API writes one for an upload: who (the
 * operating-system account, as `cli:name`), what kind of source, and how many rows went in or changed.
 */
async function auditImport(store: Store, plan: ImportPlan, source: string): Promise<void> {
  const sum = (counts: ImportCounts): number => Object.values(counts).reduce((a, b) => a + b, 0);
  await new AuditTrail(store).record({
    user: { username: `cli:${userInfo().username}` },
    action: 'cohort.import',
    entity: 'cohort',
    details: { source, inserted: sum(plan.inserted), updated: sum(plan.updated) },
  });
}

export function registerStoreCommands(program: Command): void {
  program
    .command('import')
    .description(
      'validate an exchange folder (or .zip) and store it in one transaction, all or nothing; ' +
        'the files are streamed, so any size fits in memory',
    )
    .argument('<DIR_OR_ZIP>', 'the exchange folder, or a zip archive of it, or a FHIR R4 Bundle (.json)')
    .option('--dry-run', 'report what would change and write nothing')
    .action(async (path: string, opts: { dryRun?: boolean }) => {
      if (!existsSync(path)) throw new PrrtError('USAGE', `no such folder or zip file: ${path}`);
      const dryRun = opts.dryRun === true;
      if (path.toLowerCase().endsWith('.json')) {
        const plan = await withStore(async (store) => {
          const done = await importCohort(store, readFhirBundle(path), { dryRun });
          if (!dryRun) await auditImport(store, done, 'FHIR bundle');
          return done;
        });
        process.stdout.write(`${dryRun ? 'dry run, nothing written\n' : ''}${planSummary(plan, dryRun)}\n`);
        return;
      }
      const progress = progressBar();
      try {
        const result = await withStore(async (store) => {
          const imported = await importFolderStreaming(store, path, {
            dryRun,
            onProgress: (done, total) => {
              progress.show('importing', Math.round(done / 1e6), Math.round(total / 1e6), 'MB');
            },
          });
          if (imported.ok && !dryRun) await auditImport(store, imported.plan, 'exchange folder');
          return imported;
        });
        progress.stop();
        if (!result.ok) {
          throw new PrrtError(
            'INVALID_INPUT',
            `${path} is not a valid exchange folder (${result.errors.length} errors)`,
            result.errors,
          );
        }
        process.stdout.write(
          `${dryRun ? 'dry run, nothing written\n' : ''}${planSummary(result.plan, dryRun)}\n`,
        );
      } finally {
        progress.stop();
      }
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

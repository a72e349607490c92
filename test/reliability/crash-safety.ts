/**
 * Crash safety: the `prrt` command and server are killed with SIGKILL at random moments, and after each
 * kill the database must open cleanly, hold either exactly the state before or exactly the state after
 * each write (never part of one), keep every write a client saw acknowledged, and keep an intact audit
 * trail with an entry for every acknowledged write.
 *
 * Two kinds of kill, each on SQLite and, when `PRRT_TEST_DATABASE_URL` is set, PostgreSQL:
 * - `importCrashes`: `prrt import FOLDER` as a child process over a database that already holds a first
 *   import, killed before, during and near the end of its transaction (some runs are let finish);
 * - `serverCrashes`: `prrt serve` as a child process under concurrent writes over HTTP (records created,
 *   changed with If-Match and deleted, zip archives imported), killed and restarted on the same database.
 *
 * Every random choice comes from one seed (`PRRT_CRASH_SEED` in the tests, `--seed` in the benchmark);
 * each failure names the seed and the run, so a failing run can be repeated.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { isDeepStrictEqual } from 'node:util';
import Database from 'better-sqlite3';
import { Command } from 'commander';
import { zipSync } from 'fflate';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { writeRegistry } from '../../bench/registry-cohort.js';
import { registerAuditCommand } from '../../src/cli/audit-command.js';
import { readExchangeFolder } from '../../src/interop/exchange-folder/index.js';
import { AuditTrail } from '../../src/server/audit-trail.js';
import { Users } from '../../src/server/users.js';
import { importCohort, openStore, type Store, type StoreConfig } from '../../src/store/index.js';
import { storeSnapshot } from '../store/store-snapshot.js';
import { Rng } from '../../examples/salvage-demo/prng.js';

export const ROOT = join(import.meta.dirname, '..', '..');
const PRRT = join(ROOT, 'bin', 'prrt.js');
const PASSWORD = 'crash-safety password 1';
const CLINICIAN = 'crash-clinician';

// ---------------------------------------------------------------------------------------------------
// Randomness, timing, failures

/** With `PRRT_CRASH_LOG=1`, a logger that prints each run on standard error; otherwise nothing. */
export function crashLogOption(): { log?: (line: string) => void } {
  return process.env.PRRT_CRASH_LOG === '1' ? { log: (line) => void process.stderr.write(`${line}\n`) } : {};
}

/** A seeded generator (the demo cohort's mulberry32), enough to repeat a run from its seed. */
export function prng(seed: number): () => number {
  const rng = new Rng(seed);
  return () => rng.next();
}

/** The seed from `PRRT_CRASH_SEED`, or a new random one. */
export function crashSeed(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const given = env.PRRT_CRASH_SEED;
  if (given !== undefined && /^\d+$/.test(given)) return Number(given) >>> 0;
  return randomBytes(4).readUInt32LE(0);
}

const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, Math.max(0, ms));
  });

/** Collects what went wrong; every message names the seed and the run so that it can be repeated. */
class Findings {
  readonly failures: string[] = [];
  checks = 0;

  constructor(private readonly prefix: string) {}

  check(ok: boolean, run: string, message: () => string): boolean {
    this.checks++;
    if (!ok) this.failures.push(`${this.prefix}, ${run}: ${message()}`);
    return ok;
  }
}

// ---------------------------------------------------------------------------------------------------
// Databases

export interface CrashDatabase {
  readonly dialect: 'sqlite' | 'postgres';
  /** A new, empty database (not yet migrated). */
  create(label: string): Promise<CrashTarget>;
  /** A copy of a database no one has open. */
  copy(source: CrashTarget, label: string): Promise<CrashTarget>;
  /** What a process with that application name is doing in the database now. */
  activity(target: CrashTarget, appName: string): Promise<Activity>;
  /**
   * Waits until the killed process's connections are gone and checks the database is usable: SQLite's
   * integrity and foreign-key checks; PostgreSQL's locks free and no transaction left prepared.
   */
  sound(target: CrashTarget, appName: string): Promise<string[]>;
  close(): Promise<void>;
}

export interface CrashTarget {
  readonly name: string;
  /** How an in-process store opens it. */
  readonly config: StoreConfig;
  /** The environment of a `prrt` child process on it, connecting under `appName`. */
  childEnv(appName: string): NodeJS.ProcessEnv;
  drop(): Promise<void>;
}

/** Seen from outside the process: `null` where the database cannot tell. */
export interface Activity {
  readonly connected: boolean | null;
  readonly inTransaction: boolean;
  readonly wrote: boolean | null;
}

/** SQLite always, PostgreSQL when `PRRT_TEST_DATABASE_URL` (or the given URL) is set. */
export function crashDatabases(
  work: string,
  postgresUrl = process.env.PRRT_TEST_DATABASE_URL,
): CrashDatabaseKind[] {
  const kinds: CrashDatabaseKind[] = [
    { dialect: 'sqlite', open: () => Promise.resolve(sqliteDatabases(work)) },
  ];
  if (postgresUrl !== undefined && postgresUrl !== '') {
    kinds.push({ dialect: 'postgres', open: () => postgresDatabases(postgresUrl) });
  }
  return kinds;
}

export interface CrashDatabaseKind {
  readonly dialect: 'sqlite' | 'postgres';
  open(): Promise<CrashDatabase>;
}

function sqliteDatabases(work: string): CrashDatabase {
  mkdirSync(work, { recursive: true });
  const target = (label: string): CrashTarget & { path: string } => {
    const path = join(work, `${label}.sqlite`);
    return {
      name: label,
      path,
      config: { kind: 'sqlite', path },
      childEnv: () => childEnvironment({ PRRT_DB: path, PRRT_DATABASE_URL: '' }),
      drop: () => {
        for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${path}${suffix}`, { force: true });
        return Promise.resolve();
      },
    };
  };
  const pathOf = (t: CrashTarget) => (t.config as { path: string }).path;
  return {
    dialect: 'sqlite',
    create: (label) => Promise.resolve(target(label)),
    copy: (source, label) => {
      const copy = target(label);
      for (const suffix of ['', '-wal']) {
        if (existsSync(`${pathOf(source)}${suffix}`))
          copyFileSync(`${pathOf(source)}${suffix}`, `${copy.path}${suffix}`);
      }
      return Promise.resolve(copy);
    },
    activity: (t) => {
      // Another connection that cannot take the write lock at once means a write transaction is open.
      const probe = new Database(pathOf(t), { fileMustExist: true });
      try {
        probe.pragma('busy_timeout = 0');
        try {
          probe.exec('BEGIN IMMEDIATE');
          probe.exec('ROLLBACK');
          return Promise.resolve({ connected: null, inTransaction: false, wrote: null });
        } catch (error) {
          if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY') !== true) throw error;
          return Promise.resolve({ connected: true, inTransaction: true, wrote: true });
        }
      } finally {
        probe.close();
      }
    },
    sound: (t) => {
      const db = new Database(pathOf(t), { fileMustExist: true });
      try {
        const problems: string[] = [];
        const integrity = db.pragma('integrity_check', { simple: true });
        if (integrity !== 'ok') problems.push(`PRAGMA integrity_check: ${String(integrity)}`);
        const orphans = db.pragma('foreign_key_check') as unknown[];
        if (orphans.length > 0)
          problems.push(`PRAGMA foreign_key_check: ${JSON.stringify(orphans.slice(0, 5))}`);
        return Promise.resolve(problems);
      } finally {
        db.close();
      }
    },
    close: () => Promise.resolve(),
  };
}

async function postgresDatabases(adminUrl: string): Promise<CrashDatabase> {
  const admin = new pg.Client({ connectionString: adminUrl, application_name: 'prrt-crash-admin' });
  await admin.connect();
  const tag = `${process.pid}_${randomBytes(3).toString('hex')}`;
  const created = new Set<string>();
  const urlOf = (name: string, appName?: string) => {
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    url.search = '';
    if (appName !== undefined) url.searchParams.set('application_name', appName);
    return url.toString();
  };
  const drop = async (name: string) => {
    // A closed pool's connections end a moment after it says so; forcing them out before would make
    // their clients report an error with no one listening.
    const until = performance.now() + 10_000;
    while (performance.now() < until) {
      const r = await admin.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1',
        [name],
      );
      if (r.rows[0]!.n === 0) break;
      await sleep(20);
    }
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    created.delete(name);
  };
  const target = (label: string): CrashTarget => {
    const name = `prrt_crash_${tag}_${label}`
      .toLowerCase()
      .replace(/[^a-z0-9_]/g, '_')
      .slice(0, 63);
    created.add(name);
    return {
      name,
      config: { kind: 'postgres', url: urlOf(name, 'prrt-crash-check'), poolSize: 4 },
      childEnv: (appName) => childEnvironment({ PRRT_DB: '', PRRT_DATABASE_URL: urlOf(name, appName) }),
      drop: () => drop(name),
    };
  };
  const backends = async (name: string, appName: string) =>
    (
      await admin.query<{ n: number; tx: number; wrote: number }>(
        `SELECT count(*)::int AS n,
                count(*) FILTER (WHERE xact_start IS NOT NULL)::int AS tx,
                count(*) FILTER (WHERE backend_xid IS NOT NULL)::int AS wrote
           FROM pg_stat_activity WHERE datname = $1 AND application_name = $2`,
        [name, appName],
      )
    ).rows[0]!;
  return {
    dialect: 'postgres',
    create: async (label) => {
      const t = target(label);
      await admin.query(`CREATE DATABASE "${t.name}"`);
      return t;
    },
    copy: async (source, label) => {
      const t = target(label);
      await admin.query(`CREATE DATABASE "${t.name}" TEMPLATE "${source.name}"`);
      return t;
    },
    activity: async (t, appName) => {
      const b = await backends(t.name, appName);
      return { connected: b.n > 0, inTransaction: b.tx > 0, wrote: b.wrote > 0 };
    },
    sound: async (t, appName) => {
      const problems: string[] = [];
      // The server notices the closed connections and rolls their transactions back; wait for it.
      const until = performance.now() + 60_000;
      let left = await backends(t.name, appName);
      while (left.n > 0 && performance.now() < until) {
        await sleep(50);
        left = await backends(t.name, appName);
      }
      if (left.n > 0) problems.push(`${left.n} connection(s) of the killed process still open after 60 s`);
      const prepared = await admin.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM pg_prepared_xacts WHERE database = $1',
        [t.name],
      );
      if (prepared.rows[0]!.n !== 0) problems.push(`${prepared.rows[0]!.n} prepared transaction(s) left`);
      // Every table can be locked exclusively at once: nothing of the killed process holds a lock.
      const client = new pg.Client({ connectionString: urlOf(t.name, 'prrt-crash-check') });
      await client.connect();
      try {
        const tables = await client.query<{ t: string }>(
          "SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
        );
        await client.query('BEGIN');
        try {
          for (const { t: table } of tables.rows) {
            await client.query(`LOCK TABLE "${table}" IN ACCESS EXCLUSIVE MODE NOWAIT`);
          }
        } catch (error) {
          problems.push(`a table is still locked: ${(error as Error).message}`);
        } finally {
          await client.query('ROLLBACK');
        }
      } finally {
        await client.end();
      }
      return problems;
    },
    close: async () => {
      try {
        for (const name of [...created]) await drop(name);
      } finally {
        await admin.end();
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Child processes

interface Child {
  readonly process: ChildProcess;
  readonly started: number;
  /** Resolves with the exit code, or the signal's name. */
  readonly exited: Promise<string>;
  stdout(): string;
  stderr(): string;
  /** Whether it has exited. */
  done(): boolean;
}

const running = new Set<ChildProcess>();

/** The environment of every child: one server process, the database as given. */
function childEnvironment(database: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...database };
  delete env.PRRT_WORKERS;
  return env;
}

/** Kills every child still running (after a failed test). */
export function killAllChildren(): void {
  for (const c of running) c.kill('SIGKILL');
  running.clear();
}

function prrt(args: string[], env: NodeJS.ProcessEnv, input?: string): Child {
  const started = performance.now();
  const child = spawn(process.execPath, [PRRT, ...args], {
    cwd: ROOT,
    env,
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  running.add(child);
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (err += s));
  if (input !== undefined) child.stdin!.end(input);
  let finished = false;
  const exited = new Promise<string>((resolve) => {
    child.on('close', (code, signal) => {
      finished = true;
      running.delete(child);
      resolve(signal ?? String(code));
    });
  });
  return { process: child, started, exited, stdout: () => out, stderr: () => err, done: () => finished };
}

/** Read through a call, since a command sets it while awaited. */
function currentExitCode(): string | number | null | undefined {
  return process.exitCode;
}

/** `prrt audit verify` run in this process over the database (the command's own code). */
export async function auditVerify(
  config: StoreConfig,
): Promise<{ ok: boolean; entries: number; text: string }> {
  const program = new Command('prrt').exitOverride();
  registerAuditCommand(program, () => openStore(config, { migrate: false }));
  let text = '';
  const write = process.stdout.write.bind(process.stdout);
  const writeErr = process.stderr.write.bind(process.stderr);
  const capture = (s: string | Uint8Array) => {
    text += String(s);
    return true;
  };
  const savedCode = process.exitCode;
  process.exitCode = undefined;
  process.stdout.write = capture;
  process.stderr.write = capture;
  let code: string | number | null | undefined;
  try {
    await program.parseAsync(['audit', 'verify'], { from: 'user' });
    code = currentExitCode();
  } finally {
    process.stdout.write = write;
    process.stderr.write = writeErr;
    process.exitCode = savedCode;
  }
  const m = /audit trail intact: (\d+) entries/.exec(text);
  return {
    ok: (code === undefined || Number(code) === 0) && m !== null,
    entries: Number(m?.[1] ?? -1),
    text,
  };
}

/** `prrt audit verify` as a child process. */
export async function auditVerifyCommand(target: CrashTarget): Promise<{ ok: boolean; text: string }> {
  const child = prrt(['audit', 'verify'], target.childEnv('prrt-crash-verify'));
  const exit = await child.exited;
  return {
    ok: exit === '0' && /audit trail intact/.test(child.stdout()),
    text: child.stdout() + child.stderr(),
  };
}

async function withTargetStore<T>(target: CrashTarget, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(target.config, { migrate: false });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

async function addClinician(store: Store): Promise<void> {
  const user = await new Users(store).create({ username: CLINICIAN, password: PASSWORD, role: 'clinician' });
  await new AuditTrail(store).record({
    user: { username: 'cli:crash-safety' },
    action: 'user.create',
    entity: 'user',
    entityId: String(user.id),
    details: { username: user.username, role: user.role },
  });
}

async function importFolderInProcess(store: Store, dir: string): Promise<void> {
  const read = await readExchangeFolder(dir);
  if (!read.ok) throw new Error(`${dir} is not valid: ${read.errors[0]?.message ?? ''}`);
  await importCohort(store, read.cohort);
}

function quantiles(values: readonly number[]): { min: number; median: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return { min: Number.NaN, median: Number.NaN, max: Number.NaN };
  return { min: sorted[0]!, median: sorted[Math.floor(sorted.length / 2)]!, max: sorted[sorted.length - 1]! };
}

// ---------------------------------------------------------------------------------------------------
// Import kills

export interface ImportCrashOptions {
  readonly database: CrashDatabase;
  /** A folder of its own for the generated cohorts. */
  readonly work: string;
  readonly seed: number;
  /** Runs killed with SIGKILL (runs that finish before the kill do not count). */
  readonly kills: number;
  /** Runs let finish besides: one after every `finishEvery` kills (default 4). */
  readonly finishEvery?: number;
  /** Patients of the first import; the second has `extraPatients` more and changed lab values. */
  readonly patients: number;
  readonly extraPatients: number;
  readonly log?: (line: string) => void;
}

/** Where the kill was aimed, relative to a run timed in advance. */
export type ImportAim = 'before the transaction' | 'in the transaction' | 'near the commit' | 'not killed';

export interface ImportRun {
  readonly run: number;
  readonly aim: ImportAim;
  /** ms after the start of the command; null when not killed. */
  readonly killAtMs: number | null;
  /** What was seen from outside at the kill (or `finished`). */
  readonly seen: string;
  readonly exit: string;
  readonly state: 'before' | 'after' | 'neither';
  readonly ms: number;
}

export interface ImportCrashReport {
  readonly dialect: string;
  readonly seed: number;
  readonly runs: readonly ImportRun[];
  readonly failures: readonly string[];
  readonly checks: number;
  /** Of the timed run: ms until the transaction started, ended, and the command exited. */
  readonly timing: { readonly txStartMs: number; readonly txEndMs: number; readonly exitMs: number };
  readonly rows: { readonly before: number; readonly after: number };
  readonly seconds: number;
}

/** The first cohort, and a second with more patients and some lab values changed. */
function writeImportFolders(work: string, patients: number, extra: number, seed: number) {
  const first = join(work, 'first');
  const second = join(work, 'second');
  rmSync(first, { recursive: true, force: true });
  rmSync(second, { recursive: true, force: true });
  writeRegistry({ dir: first, patients, seed });
  // The same seed with more patients: the first `patients` are written identically, then the new ones.
  writeRegistry({ dir: second, patients: patients + extra, seed });
  const labsPath = join(second, 'labs.csv');
  const lines = readFileSync(labsPath, 'utf8').split('\n');
  let changed = 0;
  for (let i = 1; i < lines.length; i += 37) {
    const line = lines[i]!.replace(/,(\d+),(10\^9\/L|umol\/L|g\/L),/, (_m, v: string, unit: string) => {
      changed++;
      return `,${Number(v) + 1},${unit},`;
    });
    lines[i] = line;
  }
  writeFileSync(labsPath, lines.join('\n'));
  return { first, second, changed };
}

type Snapshot = Awaited<ReturnType<typeof storeSnapshot>>;

function withoutStamps(s: Snapshot): Snapshot {
  return Object.fromEntries(
    Object.entries(s).map(([table, rows]) => [
      table,
      rows.map((r) => {
        const rest = { ...r };
        delete rest.updated_at;
        return rest;
      }),
    ]),
  );
}

function rowCount(s: Snapshot): number {
  return Object.values(s).reduce((n, rows) => n + rows.length, 0);
}

/**
 * `before` exactly, or `after` exactly but for the time stamps of the rows the import wrote (a run
 * writes its own time); rows the import left alone keep their stamps.
 */
function classify(actual: Snapshot, before: Snapshot, after: Snapshot): 'before' | 'after' | 'neither' {
  if (isDeepStrictEqual(actual, before)) return 'before';
  if (!isDeepStrictEqual(withoutStamps(actual), withoutStamps(after))) return 'neither';
  for (const [table, rows] of Object.entries(before)) {
    const stamps = new Map(
      rows.map((r) => {
        const { updated_at, ...rest } = r;
        return [JSON.stringify(rest), updated_at];
      }),
    );
    for (const r of actual[table] ?? []) {
      const { updated_at, ...rest } = r;
      const old = stamps.get(JSON.stringify(rest));
      if (old !== undefined && old !== updated_at) return 'neither';
    }
  }
  return 'after';
}

function describeDifference(actual: Snapshot, before: Snapshot, after: Snapshot): string {
  return Object.keys(after)
    .map(
      (t) =>
        `${t} ${actual[t]?.length ?? 0} rows (before ${before[t]?.length ?? 0}, after ${after[t]?.length ?? 0})`,
    )
    .join('; ');
}

/** Polls what the command does in the database until it exits: when its transaction starts and ends. */
async function timeImport(database: CrashDatabase, target: CrashTarget, folder: string) {
  const appName = 'prrt-crash-timed';
  const child = prrt(['import', folder], target.childEnv(appName));
  let txStart = Number.NaN;
  let txEnd = Number.NaN;
  while (!child.done()) {
    const a = await database.activity(target, appName).catch(() => null);
    const t = performance.now() - child.started;
    if (a?.inTransaction === true) {
      if (Number.isNaN(txStart)) txStart = t;
      txEnd = t;
    }
    await sleep(15);
  }
  const exit = await child.exited;
  const exitMs = performance.now() - child.started;
  if (exit !== '0') throw new Error(`prrt import failed (${exit}): ${child.stderr()}`);
  if (Number.isNaN(txStart)) {
    // Too quick to be seen: assume the transaction took the last fifth of the run.
    txStart = exitMs * 0.8;
    txEnd = exitMs * 0.97;
  }
  return { txStartMs: txStart, txEndMs: txEnd, exitMs };
}

function seenAt(a: Activity | null, finished: boolean): string {
  if (finished) return 'finished';
  if (a === null) return 'unknown';
  if (a.inTransaction) return a.wrote === false ? 'in transaction, nothing written' : 'in transaction';
  if (a.connected === false) return 'not connected';
  return a.connected === true ? 'connected, no transaction' : 'no transaction';
}

/**
 * The import kills: a database with a first import (and an audit trail) is copied for each run;
 * `prrt import SECOND` runs on the copy and is killed at a random moment of a window aimed in turn
 * before, inside and at the end of its transaction; some runs are let finish.
 */
export async function importCrashes(options: ImportCrashOptions): Promise<ImportCrashReport> {
  const { database, work, seed } = options;
  const begun = performance.now();
  const random = prng(seed);
  const findings = new Findings(`${database.dialect} import, seed ${seed}`);
  const log = options.log ?? (() => undefined);
  mkdirSync(work, { recursive: true });
  const folders = writeImportFolders(work, options.patients, options.extraPatients, seed);

  const base = await database.create('import_base');
  try {
    return await importRuns(options, base, folders, begun, random, findings, log);
  } finally {
    killAllChildren();
    await base.drop();
  }
}

async function importRuns(
  options: ImportCrashOptions,
  base: CrashTarget,
  folders: { readonly first: string; readonly second: string },
  begun: number,
  random: () => number,
  findings: Findings,
  log: (line: string) => void,
): Promise<ImportCrashReport> {
  const { database, seed } = options;
  const baseStore = await openStore(base.config);
  let before: Snapshot;
  let auditBefore: number;
  try {
    await importFolderInProcess(baseStore, folders.first);
    await addClinician(baseStore);
    before = await storeSnapshot(baseStore);
  } finally {
    await baseStore.close();
  }
  {
    const v = await auditVerify(base.config);
    if (!v.ok) throw new Error(`the audit trail of the first import does not verify: ${v.text}`);
    auditBefore = v.entries;
  }

  // One run to the end, watched: the state after, and when the transaction runs.
  const reference = await database.copy(base, 'import_ref');
  const timing = await timeImport(database, reference, folders.second);
  const after = await withTargetStore(reference, storeSnapshot);
  await reference.drop();
  if (isDeepStrictEqual(withoutStamps(after), withoutStamps(before))) {
    throw new Error('the second import changes nothing: the test would prove nothing');
  }
  log(
    `${database.dialect}: timed import: transaction ${timing.txStartMs.toFixed(0)}–${timing.txEndMs.toFixed(0)} ms, ` +
      `exit ${timing.exitMs.toFixed(0)} ms; rows before ${rowCount(before)}, after ${rowCount(after)}`,
  );

  const aims: ImportAim[] = ['in the transaction', 'before the transaction', 'near the commit'];
  const finishEvery = options.finishEvery ?? 4;
  const runs: ImportRun[] = [];
  // What runs showed so far: when the transaction started, and how long it lasted (the timed run first).
  const txStarts = [timing.txStartMs];
  const txLengths = [Math.max(1, timing.txEndMs - timing.txStartMs)];
  let kills = 0;
  let aimed = 0;
  for (let run = 1; kills < options.kills && run <= options.kills * 3 + 10; run++) {
    const started = performance.now();
    const letFinish = run % (finishEvery + 1) === 0;
    const aim: ImportAim = letFinish ? 'not killed' : aims[aimed % aims.length]!;
    // Before the transaction: a moment of the time it usually takes to begin. In it or near its end:
    // once it is seen to begin, a part of (or about all of) the time it usually lasts. The machine's load
    // moves these times, so the kill follows what the run is seen doing rather than a fixed clock.
    const fraction = random();
    const txStartEstimate = quantiles(txStarts).median;
    const txLengthEstimate = quantiles(txLengths).median;
    const target = await database.copy(base, `import_${run}`);
    const appName = `prrt-crash-import-${run}`;
    try {
      const child = prrt(['import', folders.second], target.childEnv(appName));
      const since = () => performance.now() - child.started;
      let txSeenAt = Number.NaN;
      let txLastSeen = Number.NaN;
      let last: Activity | null = null;
      const watch = async (until: () => boolean) => {
        while (!child.done() && !until()) {
          last = await database.activity(target, appName).catch(() => null);
          if (last?.inTransaction === true) {
            if (Number.isNaN(txSeenAt)) txSeenAt = since();
            txLastSeen = since();
          }
          if (!until()) await sleep(10);
        }
      };
      let killAt: number | null = null;
      if (aim === 'before the transaction') {
        const at = fraction * txStartEstimate;
        await watch(() => since() >= at || !Number.isNaN(txSeenAt));
      } else if (aim !== 'not killed') {
        await watch(() => !Number.isNaN(txSeenAt));
        const wait =
          (aim === 'in the transaction' ? 0.75 * fraction : 0.75 + 0.4 * fraction) * txLengthEstimate;
        // Near the commit, a transaction seen to end is killed at once: between the commit and the exit.
        const ended = () => aim === 'near the commit' && last?.inTransaction === false;
        await watch(() => since() >= txSeenAt + wait || ended());
      } else {
        await watch(() => false);
      }
      let seen = 'finished';
      if (aim !== 'not killed' && !child.done()) {
        const a: Activity | null = await database.activity(target, appName).catch(() => null);
        killAt = since();
        child.process.kill('SIGKILL');
        seen = seenAt(a ?? last, false);
      }
      const label = `run ${run} (${aim}${killAt === null ? '' : ` killed at ${killAt.toFixed(0)} ms`})`;
      if (!Number.isNaN(txSeenAt)) txStarts.push(txSeenAt);
      if (killAt === null && !Number.isNaN(txSeenAt)) txLengths.push(Math.max(1, txLastSeen - txSeenAt));
      const exit = await child.exited;
      if (exit !== 'SIGKILL') {
        findings.check(exit === '0', label, () => `prrt import exited with ${exit}: ${child.stderr()}`);
      }
      for (const p of await database.sound(target, appName)) findings.check(false, label, () => p);
      const actual = await withTargetStore(target, storeSnapshot);
      const state = classify(actual, before, after);
      findings.check(
        state !== 'neither',
        label,
        () =>
          `the database holds neither the state before nor after the import: ${describeDifference(actual, before, after)}`,
      );
      if (exit !== 'SIGKILL') {
        findings.check(state === 'after', label, () => 'the import finished but its rows are not all there');
      }
      const audit = await auditVerify(target.config);
      findings.check(audit.ok, label, () => `prrt audit verify: ${audit.text.trim()}`);
      findings.check(
        audit.entries >= auditBefore,
        label,
        () => `the audit trail lost entries (${auditBefore} before, ${audit.entries} now)`,
      );
      if (exit === 'SIGKILL') {
        kills++;
        aimed++;
      }
      const r: ImportRun = {
        run,
        aim,
        killAtMs: exit === 'SIGKILL' ? killAt : null,
        seen: exit === 'SIGKILL' ? seen : 'finished',
        exit,
        state,
        ms: performance.now() - started,
      };
      runs.push(r);
      log(
        `${database.dialect} import ${label}: seen ${r.seen}, exit ${exit}, state ${state} (${r.ms.toFixed(0)} ms)`,
      );
    } finally {
      await target.drop();
    }
  }
  return {
    dialect: database.dialect,
    seed,
    runs,
    failures: findings.failures,
    checks: findings.checks,
    timing,
    rows: { before: rowCount(before), after: rowCount(after) },
    seconds: (performance.now() - begun) / 1000,
  };
}

// ---------------------------------------------------------------------------------------------------
// Server kills

export interface ServerCrashOptions {
  readonly database: CrashDatabase;
  readonly work: string;
  readonly seed: number;
  /** Server lives ended by SIGKILL. */
  readonly kills: number;
  /** Clients writing at the same time (default 6). */
  readonly clients?: number;
  /** The kill comes this many ms (at most) after the writes start (default 2000). */
  readonly maxLoadMs?: number;
  readonly log?: (line: string) => void;
}

export type WriteKind = 'login' | 'patient.create' | 'lab.create' | 'lab.delete' | 'cycle.update' | 'import';

export interface ServerLife {
  readonly life: number;
  readonly aim: 'start-up' | 'under load';
  /** ms after the spawn (start-up) or after the writes began (under load). */
  readonly killAtMs: number;
  /** Whether the server was listening when killed. */
  readonly listening: boolean;
  readonly sent: number;
  readonly acknowledged: number;
  /** Writes with no answer at the kill, and of those how many were found applied. */
  readonly unanswered: number;
  readonly unansweredApplied: number;
  /** Applied writes without an audit entry: each is also a failure (a change commits with its entry). */
  readonly appliedWithoutAudit: number;
  readonly ms: number;
}

export interface ServerCrashReport {
  readonly dialect: string;
  readonly seed: number;
  readonly lives: readonly ServerLife[];
  readonly acknowledgedByKind: Readonly<Record<WriteKind, number>>;
  readonly failures: readonly string[];
  readonly checks: number;
  readonly seconds: number;
}

/** What one key (a record, or a zip's patients) looks like in the database, as a comparable text. */
type Key =
  | { readonly t: 'patient'; readonly id: string }
  | { readonly t: 'lab'; readonly id: string; readonly takenAt: string; readonly test: string }
  | { readonly t: 'cycle'; readonly id: string; readonly course: string; readonly cycle: number }
  | { readonly t: 'zip'; readonly ids: readonly string[] }
  | { readonly t: 'session'; readonly n: number };

const ZIP_ROWS = { patients: 1, courses: 1, cycles: 2, labs: 5 } as const;
const ZIP_PATIENTS = 3;
const ZIP_WHOLE = `patients=${ZIP_PATIENTS * ZIP_ROWS.patients} courses=${ZIP_PATIENTS * ZIP_ROWS.courses} cycles=${ZIP_PATIENTS * ZIP_ROWS.cycles} labs=${ZIP_PATIENTS * ZIP_ROWS.labs}`;
const ZIP_NONE = 'patients=0 courses=0 cycles=0 labs=0';

async function readState(db: Kysely<unknown>, key: Key): Promise<string> {
  switch (key.t) {
    case 'patient': {
      const r = await sql<{
        name: string | null;
      }>`SELECT name FROM patients WHERE patient_id = ${key.id}`.execute(db);
      return r.rows[0] === undefined ? 'absent' : `name=${String(r.rows[0].name)}`;
    }
    case 'lab': {
      const r = await sql<{
        original_value: number | string;
        version: number | string;
      }>`SELECT original_value, version FROM labs
        WHERE patient_id = ${key.id} AND taken_at = ${key.takenAt} AND test = ${key.test}`.execute(db);
      return r.rows[0] === undefined
        ? 'absent'
        : `v${Number(r.rows[0].version)} value=${Number(r.rows[0].original_value)}`;
    }
    case 'cycle': {
      const r = await sql<{
        activity_gbq: number | string;
        version: number | string;
      }>`SELECT activity_gbq, version FROM cycles
        WHERE patient_id = ${key.id} AND course_id = ${key.course} AND cycle = ${key.cycle}`.execute(db);
      return r.rows[0] === undefined
        ? 'absent'
        : `v${Number(r.rows[0].version)} gbq=${Number(r.rows[0].activity_gbq)}`;
    }
    case 'zip': {
      const parts: string[] = [];
      for (const table of ['patients', 'courses', 'cycles', 'labs'] as const) {
        const r = await sql<{ n: number | string }>`SELECT count(*) AS n FROM ${sql.table(table)}
          WHERE patient_id IN (${sql.join(key.ids)})`.execute(db);
        parts.push(`${table}=${Number(r.rows[0]!.n)}`);
      }
      return parts.join(' ');
    }
    case 'session':
      return 'n/a';
  }
}

/** An audit action and entity id a write is recorded under. */
interface AuditMark {
  readonly action: string;
  readonly entityId: string | null;
}

interface Write {
  readonly kind: WriteKind;
  readonly life: number;
  readonly key: Key;
  readonly keyText: string;
  /** The state if it takes effect. */
  readonly effect: string;
  readonly audit: AuditMark;
  answer: 'none' | 'ok' | 'refused';
  status?: number;
}

/** The owner of a set of keys: one client, one write at a time on each, so answers come in order. */
interface KeyState {
  /** The state as of the last answered write (or the last check). */
  confirmed: string;
  /** The state if the unanswered write took effect. */
  pending?: string;
}

function zipOf(ids: readonly string[], random: () => number): Buffer {
  const patients = ['patient_id,name,sex,primary_site,last_contact_date'];
  const courses = ['patient_id,course_id,kind,intended_cycles,intended_activity_gbq,stop_reason'];
  const cycles = ['patient_id,course_id,cycle,administered_at,activity_gbq,planned_activity_gbq'];
  const labs = ['patient_id,taken_at,test,value,unit,lln,uln'];
  for (const id of ids) {
    patients.push(`${id},"Crash import ${id}",${random() < 0.5 ? 'F' : 'M'},pancreatic,2023-01-31`);
    courses.push(`${id},R1,regular,4,29.6,`);
    cycles.push(`${id},R1,1,2022-01-10T09:00:00Z,7.4,7.4`, `${id},R1,2,2022-03-07T09:00:00Z,7.3,7.4`);
    labs.push(
      `${id},2022-01-03,platelets,${200 + Math.floor(random() * 100)},10^9/L,150,400`,
      `${id},2022-01-03,hemoglobin,13.1,g/dL,,`,
      `${id},2022-01-03,wbc,6.2,10^9/L,4.0,10.0`,
      `${id},2022-01-03,creatinine,80,umol/L,,`,
      `${id},2022-01-03,albumin,40,g/L,35,50`,
    );
  }
  const enc = (lines: string[]) => new TextEncoder().encode(`${lines.join('\n')}\n`);
  return Buffer.from(
    zipSync({
      'crash/patients.csv': enc(patients),
      'crash/courses.csv': enc(courses),
      'crash/cycles.csv': enc(cycles),
      'crash/labs.csv': enc(labs),
    }),
  );
}

interface Session {
  readonly base: string;
  readonly cookie: string;
  readonly csrf: string;
}

async function login(base: string): Promise<{ status: number; session?: Session }> {
  const res = await fetch(`${base}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: CLINICIAN, password: PASSWORD }),
    signal: AbortSignal.timeout(60_000),
  });
  const body = (await res.json()) as { csrfToken?: string };
  const cookie = (res.headers.getSetCookie().find((c) => c.startsWith('prrt_session=')) ?? '').split(';')[0]!;
  if (res.status !== 200 || body.csrfToken === undefined || cookie === '') return { status: res.status };
  return { status: res.status, session: { base, cookie, csrf: body.csrfToken } };
}

async function send(
  s: Session,
  method: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: unknown }> {
  const binary = Buffer.isBuffer(body);
  const res = await fetch(`${s.base}${path}`, {
    method,
    headers: {
      cookie: s.cookie,
      'x-csrf-token': s.csrf,
      ...(body === undefined ? {} : { 'content-type': binary ? 'application/zip' : 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: binary ? new Uint8Array(body) : JSON.stringify(body) }),
    signal: AbortSignal.timeout(120_000),
  });
  const text = await res.text();
  return { status: res.status, json: text === '' ? null : (JSON.parse(text) as unknown) };
}

/** Starts `prrt serve` on a free port; resolves with its URL once it listens (null if it exits first). */
function serve(target: CrashTarget, appName: string): { child: Child; ready: Promise<string | null> } {
  const child = prrt(['serve', '--port', '0', '--host', '127.0.0.1', '--quiet'], target.childEnv(appName));
  const ready = new Promise<string | null>((resolve) => {
    const look = () => {
      const m = /running at (http:\/\/\S+)/.exec(child.stdout());
      if (m !== null) resolve(m[1]!);
    };
    child.process.stdout!.on('data', look);
    void child.exited.then(() => {
      resolve(null);
    });
  });
  return { child, ready };
}

const keyText = (k: Key): string =>
  k.t === 'patient'
    ? `patient ${k.id}`
    : k.t === 'lab'
      ? `lab ${k.id}/${k.takenAt}/${k.test}`
      : k.t === 'cycle'
        ? `cycle ${k.id}/${k.course}/${k.cycle}`
        : k.t === 'zip'
          ? `zip ${k.ids.join(',')}`
          : `session ${k.n}`;

/**
 * The server kills: `prrt serve` over one database, restarted after each kill. Each life signs in and
 * runs `clients` clients writing at once until the kill; then, with the server down, the database is
 * checked: sound, audit trail intact, every acknowledged write there (and its audit entry), every other
 * write wholly there or not at all. A last life checks the old session still works and stops cleanly.
 */
export async function serverCrashes(options: ServerCrashOptions): Promise<ServerCrashReport> {
  const { database, seed } = options;
  const begun = performance.now();
  const random = prng(seed);
  const findings = new Findings(`${database.dialect} server, seed ${seed}`);
  const log = options.log ?? (() => undefined);
  const clients = options.clients ?? 6;
  const maxLoadMs = options.maxLoadMs ?? 2000;

  // A database with a small cohort (whose cycles the clients change) and a clinician's account.
  const seedDir = join(options.work, 'server-seed');
  rmSync(seedDir, { recursive: true, force: true });
  writeRegistry({ dir: seedDir, patients: clients * 3, seed });
  const target = await database.create('server');
  const keys = new Map<string, KeyState>();
  const owned: Key[][] = Array.from({ length: clients }, () => []);
  {
    const store = await openStore(target.config);
    try {
      await importFolderInProcess(store, seedDir);
      await addClinician(store);
      const db = store.db as unknown as Kysely<unknown>;
      for (let p = 1; p <= clients * 3; p++) {
        const id = `R${String(p).padStart(7, '0')}`;
        for (let c = 1; c <= 3; c++) {
          const k: Key = { t: 'cycle', id, course: 'R1', cycle: c };
          keys.set(keyText(k), { confirmed: await readState(db, k) });
          owned[p % clients]!.push(k);
        }
      }
    } finally {
      await store.close();
    }
  }
  const ownedPatients: string[][] = Array.from({ length: clients }, (_, w) =>
    owned[w]!.filter((k) => k.t === 'cycle' && k.cycle === 1).map((k) => (k as { id: string }).id),
  );
  const ownedLabs: { key: Key; version: number }[][] = Array.from({ length: clients }, () => []);
  const acknowledgedByKind: Record<WriteKind, number> = {
    login: 0,
    'patient.create': 0,
    'lab.create': 0,
    'lab.delete': 0,
    'cycle.update': 0,
    import: 0,
  };
  /** Acknowledged writes per audit mark, over all lives: the audit trail must hold at least as many. */
  const auditNeeded = new Map<string, number>();
  const markText = (m: AuditMark) => `${m.action} ${m.entityId ?? '-'}`;
  let lastSession: Session | null = null;
  let startupMs = 3000;
  const lives: ServerLife[] = [];

  try {
    for (let life = 1; life <= options.kills; life++) {
      const started = performance.now();
      const aim: ServerLife['aim'] = life % 5 === 3 ? 'start-up' : 'under load';
      const appName = `prrt-crash-serve-${life}`;
      const label = `life ${life} (${aim})`;
      const writes: Write[] = [];
      const { child, ready } = serve(target, appName);
      let listening = false;
      let killAt: number;
      if (aim === 'start-up') {
        killAt = random() * startupMs * 1.2;
        await Promise.race([ready, sleep(killAt - (performance.now() - child.started))]);
        await sleep(killAt - (performance.now() - child.started));
        listening = /running at/.test(child.stdout());
        child.process.kill('SIGKILL');
      } else {
        const url = await ready;
        if (url === null) {
          findings.check(false, label, () => `the server did not start: ${child.stderr()}`);
          break;
        }
        listening = true;
        startupMs = performance.now() - child.started;
        // A session from before the kill still works.
        if (lastSession !== null) {
          const s = await send({ ...lastSession, base: url }, 'GET', '/api/session', undefined);
          findings.check(
            s.status === 200,
            label,
            () => `an acknowledged session was lost (GET /api/session ${s.status})`,
          );
        }
        const loginWrite: Write = {
          kind: 'login',
          life,
          key: { t: 'session', n: life },
          keyText: `session ${life}`,
          effect: 'n/a',
          audit: { action: 'login.success', entityId: null },
          answer: 'none',
        };
        writes.push(loginWrite);
        const signed = await login(url);
        loginWrite.status = signed.status;
        if (signed.session === undefined) {
          findings.check(false, label, () => `login failed with ${signed.status}`);
          child.process.kill('SIGKILL');
          await child.exited;
          break;
        }
        loginWrite.answer = 'ok';
        const session = signed.session;
        lastSession = session;
        let stop = false;
        const client = async (w: number) => {
          const r = prng(seed ^ (life * 7919 + w * 104729));
          let n = 0;
          while (!stop) {
            n++;
            const roll = r();
            let write: Write;
            let request: () => Promise<{ status: number; json: unknown }>;
            let expected: number;
            let onOk: (json: unknown) => string | undefined = () => undefined;
            const labs = ownedLabs[w]!;
            if (roll < 0.2) {
              const id = `P${life}-${w}-${n}`;
              const name = `Crash ${id}`;
              const key: Key = { t: 'patient', id };
              write = {
                kind: 'patient.create',
                life,
                key,
                keyText: keyText(key),
                effect: `name=${name}`,
                audit: { action: 'patient.create', entityId: id },
                answer: 'none',
              };
              request = () =>
                send(session, 'POST', '/api/patients', {
                  patient_id: id,
                  name,
                  sex: 'F',
                  primary_site: 'midgut',
                  last_contact_date: '2023-06-30',
                });
              expected = 201;
              onOk = () => {
                ownedPatients[w]!.push(id);
                return undefined;
              };
            } else if (roll < 0.45) {
              const patients = ownedPatients[w]!;
              const id = patients[Math.floor(r() * patients.length)]!;
              // A key of its own: minutes after 2000-01-01 numbered by life, client and write.
              const minutes = (life * 100 + w) * 10_000 + n;
              const takenAt = `${new Date(Date.UTC(2000, 0, 1) + minutes * 60_000).toISOString().slice(0, 16)}:00Z`;
              const value = 100 + Math.floor(r() * 300);
              const key: Key = { t: 'lab', id, takenAt, test: 'platelets' };
              write = {
                kind: 'lab.create',
                life,
                key,
                keyText: keyText(key),
                effect: `v1 value=${value}`,
                audit: { action: 'lab.create', entityId: `${id}/${takenAt}/platelets` },
                answer: 'none',
              };
              request = () =>
                send(session, 'POST', `/api/patients/${id}/labs`, {
                  taken_at: takenAt,
                  test: 'platelets',
                  value,
                  unit: '10^9/L',
                  lln: 150,
                  uln: 400,
                });
              expected = 201;
              onOk = () => {
                labs.push({ key, version: 1 });
                return undefined;
              };
            } else if (roll < 0.55 && labs.length > 0) {
              const { key, version } = labs.splice(Math.floor(r() * labs.length), 1)[0]!;
              const k = key as Extract<Key, { t: 'lab' }>;
              write = {
                kind: 'lab.delete',
                life,
                key,
                keyText: keyText(key),
                effect: 'absent',
                audit: { action: 'lab.delete', entityId: `${k.id}/${k.takenAt}/${k.test}` },
                answer: 'none',
              };
              request = () =>
                send(
                  session,
                  'DELETE',
                  `/api/patients/${k.id}/labs/${encodeURIComponent(k.takenAt)}/${k.test}`,
                  undefined,
                  { 'if-match': `"${version}"` },
                );
              expected = 204;
            } else if (roll < 0.9) {
              const cycles = owned[w]!;
              const key = cycles[Math.floor(r() * cycles.length)] as Extract<Key, { t: 'cycle' }>;
              const state = keys.get(keyText(key))!;
              const m = /^v(\d+) gbq=([\d.]+)$/.exec(state.confirmed)!;
              const version = Number(m[1]);
              let gbq = Number(m[2]);
              while (gbq === Number(m[2])) gbq = Math.round((7 + r() * 0.6) * 100) / 100;
              write = {
                kind: 'cycle.update',
                life,
                key,
                keyText: keyText(key),
                effect: `v${version + 1} gbq=${gbq}`,
                audit: { action: 'cycle.update', entityId: `${key.id}/${key.course}/${key.cycle}` },
                answer: 'none',
              };
              request = () =>
                send(
                  session,
                  'PATCH',
                  `/api/patients/${key.id}/courses/${key.course}/cycles/${key.cycle}`,
                  { activity_gbq: gbq },
                  { 'if-match': `"${version}"` },
                );
              expected = 200;
              onOk = (json) => {
                const v = (json as { version?: number }).version;
                return `v${String(v)} gbq=${gbq}`;
              };
            } else {
              const ids = Array.from({ length: ZIP_PATIENTS }, (_, k) => `Z${life}-${w}-${n}-${k + 1}`);
              const key: Key = { t: 'zip', ids };
              write = {
                kind: 'import',
                life,
                key,
                keyText: keyText(key),
                effect: ZIP_WHOLE,
                audit: { action: 'cohort.import', entityId: null },
                answer: 'none',
              };
              const zip = zipOf(ids, r);
              request = () => send(session, 'POST', '/api/import?name=crash.zip', zip);
              expected = 200;
              onOk = (json) => {
                const plan = json as { imported?: boolean; plan?: { inserted?: { patients?: number } } };
                if (plan.imported !== true || plan.plan?.inserted?.patients !== ZIP_PATIENTS) {
                  findings.check(false, label, () => `import answered ${JSON.stringify(json)}`);
                }
                return undefined;
              };
            }
            const state = keys.get(write.keyText) ?? {
              confirmed: write.kind === 'import' ? ZIP_NONE : 'absent',
            };
            keys.set(write.keyText, state);
            state.pending = write.effect;
            writes.push(write);
            let answer: { status: number; json: unknown };
            try {
              answer = await request();
            } catch {
              return; // no answer: the server is gone
            }
            write.status = answer.status;
            if (answer.status === expected) {
              write.answer = 'ok';
              state.confirmed = onOk(answer.json) ?? write.effect;
              const mark = markText(write.audit);
              auditNeeded.set(mark, (auditNeeded.get(mark) ?? 0) + 1);
              acknowledgedByKind[write.kind]++;
            } else {
              write.answer = 'refused';
              findings.check(
                false,
                label,
                () =>
                  `${write.kind} ${write.keyText}: answered ${answer.status} ${JSON.stringify(answer.json)}`,
              );
            }
            delete state.pending;
          }
        };
        acknowledgedByKind.login++;
        auditNeeded.set(markText(loginWrite.audit), (auditNeeded.get(markText(loginWrite.audit)) ?? 0) + 1);
        const loadStart = performance.now();
        const running = Array.from({ length: clients }, (_, w) => client(w));
        killAt = 50 + random() * (maxLoadMs - 50);
        await sleep(killAt - (performance.now() - loadStart));
        child.process.kill('SIGKILL');
        stop = true;
        await Promise.all(running);
      }
      const exit = await child.exited;
      findings.check(
        exit === 'SIGKILL',
        label,
        () => `the server exited by itself (${exit}): ${child.stderr()}`,
      );

      // The server is down: check the database.
      for (const p of await database.sound(target, appName)) findings.check(false, label, () => p);
      const audit = await auditVerify(target.config);
      findings.check(audit.ok, label, () => `prrt audit verify: ${audit.text.trim()}`);
      let unanswered = 0;
      let unansweredApplied = 0;
      let appliedWithoutAudit = 0;
      await withTargetStore(target, async (store) => {
        const db = store.db as unknown as Kysely<unknown>;
        const counts = new Map<string, number>();
        const rows = await sql<{ action: string; entity_id: string | null; n: number | string }>`
          SELECT action, entity_id, count(*) AS n FROM audit_log GROUP BY action, entity_id`.execute(db);
        for (const r of rows.rows) counts.set(`${r.action} ${r.entity_id ?? '-'}`, Number(r.n));
        for (const [mark, needed] of auditNeeded) {
          findings.check(
            (counts.get(mark) ?? 0) >= needed,
            label,
            () =>
              `${needed} acknowledged write(s) recorded as ${mark}, the audit trail has ${counts.get(mark) ?? 0}`,
          );
        }
        for (const write of writes) {
          if (write.key.t === 'session') continue;
          const state = keys.get(write.keyText)!;
          const actual = await readState(db, write.key);
          if (write.answer === 'none') {
            unanswered++;
            const applied = actual === write.effect && actual !== state.confirmed;
            if (applied) {
              unansweredApplied++;
              const mark = markText(write.audit);
              if ((counts.get(mark) ?? 0) <= (auditNeeded.get(mark) ?? 0)) {
                appliedWithoutAudit++;
                // A change and its entry are committed together: a change kept without its entry is a bug.
                findings.check(
                  false,
                  label,
                  () => `${write.kind} ${write.keyText} was applied but has no audit entry (${mark})`,
                );
              }
            }
          }
          findings.check(
            actual === state.confirmed || (state.pending !== undefined && actual === state.pending),
            label,
            () =>
              `${write.kind} ${write.keyText} (${write.answer === 'ok' ? 'acknowledged' : 'unanswered'}): ` +
              `found ${actual}, expected ${state.confirmed}${state.pending === undefined ? '' : ` or ${state.pending}`}`,
          );
        }
        // What the database holds is the truth the next life starts from.
        for (const write of writes) {
          if (write.key.t === 'session') continue;
          const state = keys.get(write.keyText)!;
          state.confirmed = await readState(db, write.key);
          delete state.pending;
          if (write.answer === 'none' && write.kind === 'patient.create' && state.confirmed !== 'absent') {
            const w = Number(/^P\d+-(\d+)-/.exec((write.key as { id: string }).id)![1]);
            ownedPatients[w]!.push((write.key as { id: string }).id);
          }
          if (write.answer === 'none' && write.kind === 'lab.create' && state.confirmed !== 'absent') {
            const w = ownedPatients.findIndex((ids) => ids.includes((write.key as { id: string }).id));
            ownedLabs[w]!.push({ key: write.key, version: 1 });
          }
        }
      });
      const l: ServerLife = {
        life,
        aim,
        killAtMs: killAt,
        listening,
        sent: writes.length,
        acknowledged: writes.filter((w) => w.answer === 'ok').length,
        unanswered,
        unansweredApplied,
        appliedWithoutAudit,
        ms: performance.now() - started,
      };
      lives.push(l);
      log(
        `${database.dialect} server ${label}: killed at ${killAt.toFixed(0)} ms, ${l.sent} writes sent, ` +
          `${l.acknowledged} acknowledged, ${unanswered} unanswered (${unansweredApplied} applied, ` +
          `${appliedWithoutAudit} without audit entry) (${l.ms.toFixed(0)} ms)`,
      );
    }

    // A last life: the old session works, an acknowledged patient reads back, and the server stops cleanly.
    {
      const appName = 'prrt-crash-serve-last';
      const { child, ready } = serve(target, appName);
      const url = await ready;
      if (
        findings.check(url !== null, 'last life', () => `the server did not start: ${child.stderr()}`) &&
        url !== null
      ) {
        if (lastSession !== null) {
          const s = await send({ ...lastSession, base: url }, 'GET', '/api/session', undefined);
          findings.check(
            s.status === 200,
            'last life',
            () => `an acknowledged session was lost (${s.status})`,
          );
          const id = ownedPatients.flat().find((p) => p.startsWith('P'));
          if (id !== undefined) {
            const p = await send({ ...lastSession, base: url }, 'GET', `/api/patients/${id}`, undefined);
            findings.check(p.status === 200, 'last life', () => `GET /api/patients/${id}: ${p.status}`);
          }
        }
        child.process.kill('SIGTERM');
      }
      const exit = await child.exited;
      findings.check(exit === '0', 'last life', () => `the server did not stop cleanly on SIGTERM (${exit})`);
      for (const p of await database.sound(target, appName)) findings.check(false, 'last life', () => p);
      const v = await auditVerifyCommand(target);
      findings.check(v.ok, 'last life', () => `prrt audit verify (command): ${v.text.trim()}`);
    }
  } finally {
    killAllChildren();
    await target.drop();
  }
  return {
    dialect: database.dialect,
    seed,
    lives,
    acknowledgedByKind,
    failures: findings.failures,
    checks: findings.checks,
    seconds: (performance.now() - begun) / 1000,
  };
}

// ---------------------------------------------------------------------------------------------------
// Reporting

export function importTable(reports: readonly ImportCrashReport[]): string {
  const lines = [
    '| database | kills | aimed before / in / near commit | seen at the kill | state after kill: before / after | runs not killed (all complete) | offsets ms (min / median / max) | checks | failures | time |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of reports) {
    const killed = r.runs.filter((x) => x.exit === 'SIGKILL');
    const aimed = (aim: ImportAim) => killed.filter((x) => x.aim === aim).length;
    const seen = new Map<string, number>();
    for (const x of killed) seen.set(x.seen, (seen.get(x.seen) ?? 0) + 1);
    const q = quantiles(killed.map((x) => x.killAtMs ?? 0));
    const finished = r.runs.filter((x) => x.exit !== 'SIGKILL');
    lines.push(
      `| ${r.dialect} | ${killed.length} | ${aimed('before the transaction')} / ${aimed('in the transaction')} / ${aimed('near the commit')} | ` +
        `${[...seen].map(([k, n]) => `${k}: ${n}`).join(', ')} | ` +
        `${killed.filter((x) => x.state === 'before').length} / ${killed.filter((x) => x.state === 'after').length} | ` +
        `${finished.length} (${finished.filter((x) => x.state === 'after').length}) | ${q.min.toFixed(0)} / ${q.median.toFixed(0)} / ${q.max.toFixed(0)} | ` +
        `${r.checks} | ${r.failures.length} | ${r.seconds.toFixed(0)} s |`,
    );
  }
  return lines.join('\n');
}

export function serverTable(reports: readonly ServerCrashReport[]): string {
  const lines = [
    '| database | kills (start-up / under load) | writes sent | acknowledged (login / patient / lab / lab delete / cycle / import) | unanswered at the kill (applied / of those without audit entry) | offsets ms (min / median / max) | checks | failures | time |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of reports) {
    const sum = (f: (l: ServerLife) => number) => r.lives.reduce((n, l) => n + f(l), 0);
    const a = r.acknowledgedByKind;
    const q = quantiles(r.lives.filter((l) => l.aim === 'under load').map((l) => l.killAtMs));
    lines.push(
      `| ${r.dialect} | ${r.lives.length} (${r.lives.filter((l) => l.aim === 'start-up').length} / ${r.lives.filter((l) => l.aim === 'under load').length}) | ` +
        `${sum((l) => l.sent)} | ${sum((l) => l.acknowledged)} (${a.login} / ${a['patient.create']} / ${a['lab.create']} / ${a['lab.delete']} / ${a['cycle.update']} / ${a.import}) | ` +
        `${sum((l) => l.unanswered)} (${sum((l) => l.unansweredApplied)} / ${sum((l) => l.appliedWithoutAudit)}) | ` +
        `${q.min.toFixed(0)} / ${q.median.toFixed(0)} / ${q.max.toFixed(0)} | ${r.checks} | ${r.failures.length} | ${r.seconds.toFixed(0)} s |`,
    );
  }
  return lines.join('\n');
}

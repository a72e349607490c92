/**
 * Load test of the JSON API on a generated 10,000-patient cohort, SQLite and PostgreSQL side by side.
 *
 * 1. Generates the cohort once (`bench/registry-cohort.ts`, cached in `bench/out/registry-10k`) and
 *    imports it with `prrt import` into a fresh SQLite file and a fresh PostgreSQL schema.
 * 2. Starts the server in separate processes (`node` with tsx, `node:cluster` workers sharing one port:
 *    one for SQLite, two for PostgreSQL by default), each with a bare Fastify route beside the API as
 *    the ceiling, signs in as a clinician and fills the caches once (timed, reported as "cold").
 * 3. Runs autocannon (127.0.0.1 only, fixed duration) at 16, 64 and 256 connections against the bare
 *    route, `GET /api/patients/:id/summary` rotating over every patient, `GET /api/patients?page=…`
 *    rotating over every page, and `GET /api/report`; prints one markdown table per database.
 *
 *   npx tsx bench/api-bench.ts [--seconds 10] [--connections 16,64,256] [--patients 10000]
 *                              [--sqlite-workers 1] [--postgres-workers 2] [--only sqlite|postgres]
 *
 * PostgreSQL runs when `PRRT_BENCH_DATABASE_URL` (or `PRRT_TEST_DATABASE_URL`) is set; on that server it
 * uses the database `prrt_api_bench`, dropped and made again on every run. Everything stops by itself (a hard limit of
 * 20 minutes stops the servers and exits).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import cluster from 'node:cluster';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import Fastify from 'fastify';
import pg from 'pg';
import { buildApp } from '../src/server/app.js';
import { createServerContext } from '../src/server/context.js';
import { Users } from '../src/server/users.js';
import { openStore, storeConfigFromEnv } from '../src/store/index.js';
import { load, rotating } from './load-client.js';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, 'bench/out');
const BENCH_DATABASE = 'prrt_api_bench';
const USER = { username: 'bench-clinician', password: 'bench-password-1', role: 'clinician' } as const;
const PAGE_SIZE = 50;
const HARD_LIMIT_MS = 20 * 60 * 1000;

const args = process.argv.slice(2);
const opt = (name: string, dflt: string): string => {
  const i = args.indexOf(name);
  return i >= 0 ? (args[i + 1] ?? dflt) : dflt;
};

// ---------------------------------------------------------------------------------------------------
// The server processes: a cluster primary forks workers; each serves the app on the shared port, with
// a bare Fastify app (one route, no plugins) on the port after it as the ceiling.

async function serveWorker(): Promise<void> {
  const store = await openStore(storeConfigFromEnv());
  const ctx = await createServerContext(store);
  const app = await buildApp(ctx);
  // Names the worker that answered, so that the cache fill can reach every worker.
  const worker = String(cluster.worker?.id ?? 0);
  app.addHook('onRequest', (_req, reply, done) => {
    void reply.header(WORKER_HEADER, worker);
    done();
  });
  const port = Number(process.env.BENCH_PORT);
  await app.listen({ port, host: '127.0.0.1' });
  const bare = Fastify();
  bare.get('/plain', () => ({ ok: true }));
  await bare.listen({ port: port + 1, host: '127.0.0.1' });
  const stop = () => {
    void Promise.all([app.close(), bare.close()])
      .then(() => store.close())
      .finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('disconnect', stop);
}

function servePrimary(): void {
  const workers = Number(process.env.BENCH_WORKERS ?? '1');
  for (let i = 0; i < workers; i += 1) cluster.fork();
  let listening = 0;
  cluster.on('listening', () => {
    listening += 1;
    // Two listeners per worker: the app and the bare route.
    if (listening === workers * 2) process.stdout.write('ready\n');
  });
  process.on('SIGTERM', () => {
    for (const w of Object.values(cluster.workers ?? {})) w?.kill('SIGTERM');
    setTimeout(() => process.exit(0), 2000).unref();
  });
}

// ---------------------------------------------------------------------------------------------------
// The driver.

interface Database {
  readonly name: 'sqlite' | 'postgres';
  readonly env: Record<string, string>;
  readonly workers: number;
}

interface Row {
  readonly db: string;
  readonly target: string;
  readonly connections: number;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  readonly non2xx: number;
  readonly requests: number;
}

const children = new Set<ChildProcess>();

function run(command: string, argv: string[], env: Record<string, string> = {}): Promise<void> {
  return new Promise((ok, fail) => {
    const child = spawn(command, argv, { cwd: ROOT, env: { ...process.env, ...env }, stdio: 'inherit' });
    children.add(child);
    child.on('exit', (code) => {
      children.delete(child);
      if (code === 0) ok();
      else fail(new Error(`${command} ${argv.join(' ')} exited with ${String(code)}`));
    });
  });
}

const tsx = (script: string, argv: string[], env?: Record<string, string>) =>
  run(process.execPath, ['--import', 'tsx', script, ...argv], env);

async function cohortFolder(patients: number): Promise<string> {
  const dir = join(OUT, `registry-${String(patients / 1000)}k`);
  if (!existsSync(join(dir, 'patients.csv'))) {
    await tsx('bench/registry-cohort.ts', [dir, '--patients', String(patients), '--seed', '7']);
  }
  return dir;
}

async function timed<T>(label: string, work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await work();
  const ms = performance.now() - t0;
  process.stdout.write(`${label}: ${(ms / 1000).toFixed(1)} s\n`);
  return { value, ms };
}

async function freshDatabases(
  folder: string,
): Promise<{ dbs: Database[]; importMs: Record<string, number> }> {
  const dbs: Database[] = [];
  const importMs: Record<string, number> = {};
  const only = opt('--only', '');
  if (only !== 'postgres') {
    const dir = join(OUT, 'api-bench');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const env = { PRRT_DB: join(dir, 'prrt.sqlite'), PRRT_DATABASE_URL: '' };
    importMs.sqlite = (
      await timed('import into SQLite', () => tsx('src/cli/main.ts', ['import', folder], env))
    ).ms;
    dbs.push({ name: 'sqlite', env, workers: Number(opt('--sqlite-workers', '1')) });
  }
  const url = process.env.PRRT_BENCH_DATABASE_URL ?? process.env.PRRT_TEST_DATABASE_URL ?? '';
  if (only !== 'sqlite' && url !== '') {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${BENCH_DATABASE} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${BENCH_DATABASE}`);
    await client.end();
    const own = new URL(url);
    own.pathname = `/${BENCH_DATABASE}`;
    const env = { PRRT_DATABASE_URL: own.toString() };
    importMs.postgres = (
      await timed('import into PostgreSQL', () => tsx('src/cli/main.ts', ['import', folder], env))
    ).ms;
    dbs.push({ name: 'postgres', env, workers: Number(opt('--postgres-workers', '2')) });
  }
  return { dbs, importMs };
}

async function startServer(db: Database, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/api-bench.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...db.env,
      BENCH_SERVE: '1',
      BENCH_PORT: String(port),
      BENCH_WORKERS: String(db.workers),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(child);
  await new Promise<void>((ok, fail) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) ok();
    });
    child.on('exit', (code) => {
      fail(new Error(`the server exited with ${String(code)}`));
    });
  });
  return child;
}

async function stopServer(child: ChildProcess): Promise<void> {
  await new Promise<void>((ok) => {
    child.on('exit', () => {
      ok();
    });
    child.kill('SIGTERM');
  });
  children.delete(child);
}

async function signIn(base: string): Promise<string> {
  const login = await fetch(`${base}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: USER.username, password: USER.password }),
  });
  if (login.status !== 200) throw new Error(`sign-in failed: ${String(login.status)} ${await login.text()}`);
  return (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

async function patientIds(db: Database): Promise<string[]> {
  const saved = { ...process.env };
  Object.assign(process.env, db.env);
  const store = await openStore(storeConfigFromEnv());
  process.env = saved;
  try {
    const rows = await store.db.selectFrom('patients').select('patient_id').orderBy('patient_id').execute();
    if ((await new Users(store).list()).every((u) => u.username !== USER.username)) {
      await new Users(store).create(USER);
    }
    return rows.map((r) => r.patient_id);
  } finally {
    await store.close();
  }
}

/** The header in which each worker names itself. */
const WORKER_HEADER = 'x-bench-worker';

/**
 * Requests every path until each of the `workers` processes has answered it (each keeps its own
 * caches). Every request opens a new connection, which the cluster hands to the workers in turn.
 */
async function fillEveryWorker(
  url: string,
  paths: readonly string[],
  cookie: string,
  workers: number,
): Promise<void> {
  const once = (path: string) =>
    new Promise<string>((resolveWorker, reject) => {
      const req = httpGet(`${url}${path}`, { agent: false, headers: { cookie } }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode !== 200) reject(new Error(`${path}: ${String(res.statusCode)}`));
          else resolveWorker(String(res.headers[WORKER_HEADER]));
        });
      });
      req.on('error', reject);
    });
  let next = 0;
  const fill = async () => {
    for (let i = next++; i < paths.length; i = next++) {
      const seen = new Set<string>();
      for (let attempt = 0; seen.size < workers; attempt++) {
        if (attempt > 50 * workers) throw new Error(`${paths[i]!} never reached every worker`);
        seen.add(await once(paths[i]!));
      }
    }
  };
  await Promise.all(Array.from({ length: 16 }, fill));
}

async function benchDatabase(
  db: Database,
  port: number,
  seconds: number,
  connections: readonly number[],
): Promise<{ rows: Row[]; cold: Record<string, number> }> {
  const ids = await patientIds(db);
  const server = await startServer(db, port);
  const base = `http://127.0.0.1:${String(port)}`;
  const rows: Row[] = [];
  const cold: Record<string, number> = {};
  try {
    const cookie = await signIn(base);
    const summaries = ids.map((id) => `/api/patients/${encodeURIComponent(id)}/summary`);
    const pages = Array.from({ length: Math.ceil(ids.length / PAGE_SIZE) }, (_, i) => {
      return `/api/patients?page=${String(i + 1)}&pageSize=${String(PAGE_SIZE)}`;
    });
    const targets = [
      {
        name: 'plain Fastify route (ceiling)',
        url: `http://127.0.0.1:${String(port + 1)}`,
        paths: ['/plain'],
      },
      { name: 'GET /api/patients/:id/summary', url: base, paths: summaries },
      { name: 'GET /api/patients?page=…', url: base, paths: pages },
      { name: 'GET /api/report', url: base, paths: ['/api/report'] },
    ];
    // Fill every worker's caches once: the first report, every summary, every list page.
    cold.report = (
      await timed(`${db.name}: first report`, () =>
        fillEveryWorker(base, ['/api/report'], cookie, db.workers),
      )
    ).ms;
    for (const t of targets.slice(1, 3)) {
      const r = await timed(`${db.name}: cold ${t.name} (${String(t.paths.length)} paths)`, () =>
        fillEveryWorker(t.url, t.paths, cookie, db.workers),
      );
      cold[t.name] = r.ms;
    }
    for (const t of targets) {
      for (const c of connections) {
        const r = await load(t.url, rotating(t.paths), { connections: c, duration: seconds, cookie });
        const row: Row = {
          db: db.name,
          target: t.name,
          connections: c,
          rps: r.requests.average,
          p50: r.latency.p50,
          p99: r.latency.p99,
          errors: r.errors + r.timeouts,
          non2xx: r.non2xx,
          requests: r.requests.total,
        };
        rows.push(row);
        process.stdout.write(
          `${db.name} ${t.name} c=${String(c)}: ${row.rps.toFixed(0)} req/s, p50 ${String(row.p50)} ms, p99 ${String(row.p99)} ms, errors ${String(row.errors)}, non-2xx ${String(row.non2xx)}\n`,
        );
      }
    }
  } finally {
    await stopServer(server);
  }
  return { rows, cold };
}

function table(db: Database, rows: readonly Row[]): string {
  const lines = [
    `### ${db.name} (${String(db.workers)} server process${db.workers === 1 ? '' : 'es'})`,
    '',
    '| target | connections | req/s | p50 ms | p99 ms | errors | non-2xx |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.target} | ${String(r.connections)} | ${r.rps.toFixed(0)} | ${String(r.p50)} | ${String(r.p99)} | ${String(r.errors)} | ${String(r.non2xx)} |`,
    ),
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const hardStop = setTimeout(() => {
    process.stderr.write('the benchmark ran past its time limit: stopping\n');
    for (const child of children) child.kill('SIGTERM');
    process.exit(1);
  }, HARD_LIMIT_MS);
  hardStop.unref();
  const seconds = Number(opt('--seconds', '10'));
  const connections = opt('--connections', '16,64,256').split(',').map(Number);
  const patients = Number(opt('--patients', '10000'));
  const folder = (await timed('cohort', () => cohortFolder(patients))).value;
  const { dbs, importMs } = await freshDatabases(folder);
  const out: string[] = [
    `Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${String(availableParallelism())} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
    `Cohort: ${String(patients)} patients (${folder.replace(`${ROOT}/`, '')}); ${String(seconds)} s per run`,
    '',
  ];
  let port = 18_200;
  for (const db of dbs) {
    const { rows, cold } = await benchDatabase(db, port, seconds, connections);
    port += 10;
    out.push(table(db, rows), '');
    out.push(
      `Import ${((importMs[db.name] ?? 0) / 1000).toFixed(1)} s; first report ${((cold.report ?? 0) / 1000).toFixed(1)} s; ` +
        `filling the caches: summaries ${((cold['GET /api/patients/:id/summary'] ?? 0) / 1000).toFixed(1)} s, ` +
        `list pages ${((cold['GET /api/patients?page=…'] ?? 0) / 1000).toFixed(1)} s.`,
      '',
    );
  }
  process.stdout.write(`\n${out.join('\n')}\n`);
}

if (process.env.BENCH_SERVE === '1') {
  if (cluster.isPrimary) servePrimary();
  else await serveWorker();
} else {
  await main();
}

/**
 * The import benchmark: `prrt import` of a generated registry (bench/registry-cohort.ts, 100,000
 * patients ≈ 5 million rows by default) into a fresh SQLite file and into a fresh PostgreSQL database,
 * each followed by a re-import of the same folder (which changes nothing). Every run is a child process;
 * its wall time and peak resident memory (GNU time's maximum resident set when /usr/bin/time exists,
 * else the kernel's VmHWM polled from /proc/<pid>/status) are measured and printed as a markdown table. PostgreSQL runs when PRRT_BENCH_DATABASE_URL (or
 * PRRT_TEST_DATABASE_URL) names a server to create the benchmark database on.
 *
 *   npx tsx bench/import-bench.ts [--patients 100000] [--seed 1] [--out DIR] [--json FILE] [--tsx]
 *
 * The command measured is the compiled one (the project's tsc into bench/out/dist), as `npm start`
 * runs it; `--tsx` measures the sources run through tsx instead. The registry is generated once into
 * bench/out/registry-PATIENTS-seedSEED (or --out) and reused. Each run also gives the machine's load
 * average during it: on a shared machine the CPU time is the steadier figure.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { writeRegistry, type RegistryCounts } from './registry-cohort.js';

const ROOT = join(import.meta.dirname, '..');
const CLI = join(ROOT, 'src', 'cli', 'main.ts');
const TIME = '/usr/bin/time';

interface Args {
  patients: number;
  seed: number;
  out: string | null;
  json: string | null;
  /** Run the TypeScript sources through tsx instead of the compiled command. */
  tsx: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { patients: 100_000, seed: 1, out: null, json: null, tsx: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--tsx') {
      args.tsx = true;
      continue;
    }
    const v = argv[++i];
    if (v === undefined) throw new Error(`${a} needs a value`);
    if (a === '--patients') args.patients = Number(v);
    else if (a === '--seed') args.seed = Number(v);
    else if (a === '--out') args.out = v;
    else if (a === '--json') args.json = v;
    else throw new Error(`unknown option ${a}`);
  }
  return args;
}

/** The registry folder, generated once and reused while its marker file says it is complete. */
function registry(args: Args): { dir: string; counts: RegistryCounts; generatedMs: number | null } {
  const dir = args.out ?? join(ROOT, 'bench', 'out', `registry-${args.patients}-seed${args.seed}`);
  const marker = join(dir, '.complete.json');
  if (existsSync(marker)) {
    return { dir, counts: JSON.parse(readFileSync(marker, 'utf8')) as RegistryCounts, generatedMs: null };
  }
  mkdirSync(dir, { recursive: true });
  const started = Date.now();
  const counts = writeRegistry({ dir, patients: args.patients, seed: args.seed });
  writeFileSync(marker, JSON.stringify(counts));
  return { dir, counts, generatedMs: Date.now() - started };
}

interface Run {
  readonly database: string;
  readonly run: string;
  readonly wallS: number;
  /** User + system CPU time of the child (GNU time), which the machine's load does not inflate. */
  readonly cpuS: number | null;
  readonly peakRssMb: number;
  /** The machine's 1-minute load average, averaged over the run (other work slows the wall time). */
  readonly load: number;
  readonly exitCode: number | null;
  readonly summary: string;
}

/** Peak resident set of a live process in kB (VmHWM), or 0 once it is gone. */
function peakKb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmHWM:\s+(\d+) kB/.exec(status);
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/**
 * The command as `npm start` runs it: the sources compiled by the project's tsc (into bench/out/dist, so
 * that node_modules resolves), or the sources through tsx with `--tsx`.
 */
function prrtCommand(args: Args): string[] {
  if (args.tsx) return ['--import', 'tsx', CLI];
  const outDir = join(ROOT, 'bench', 'out', 'dist');
  spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json', '--outDir', outDir],
    {
      cwd: ROOT,
      stdio: 'ignore',
    },
  );
  const main = join(outDir, 'cli', 'main.js');
  if (!existsSync(main)) throw new Error(`tsc did not write ${main}`);
  return [main];
}

let prrt: string[] = [];

function runImport(database: string, run: string, dir: string, env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolvePromise, reject) => {
    const started = process.hrtime.bigint();
    // GNU time reports the exact peak (its %M is the child's maximum resident set); /proc is the fallback.
    const command = [process.execPath, ...prrt, 'import', dir];
    const timed = existsSync(TIME) ? [TIME, '-f', 'PEAK_RSS_KB=%M CPU_S=%U+%S', ...command] : command;
    const child = spawn(timed[0]!, timed.slice(1), {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let peak = 0;
    const loads: number[] = [loadavg()[0]!];
    let polls = 0;
    const poll = setInterval(() => {
      if (child.pid !== undefined) peak = Math.max(peak, peakKb(child.pid));
      if (++polls % 20 === 0) loads.push(loadavg()[0]!);
    }, 50);
    child.on('error', reject);
    // 'exit' comes before the process is reaped, so /proc still has its final VmHWM.
    child.on('exit', () => {
      if (child.pid !== undefined) peak = Math.max(peak, peakKb(child.pid));
    });
    child.on('close', (code) => {
      clearInterval(poll);
      const wallS = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) process.stderr.write(stderr);
      const reported = /PEAK_RSS_KB=(\d+) CPU_S=([\d.]+)\+([\d.]+)/.exec(stderr);
      if (reported) peak = Math.max(peak, Number(reported[1]));
      const cpuS = reported ? Number(reported[2]) + Number(reported[3]) : null;
      process.stderr.write(
        `${database}, ${run}: ${wallS.toFixed(1)} s wall, ${cpuS?.toFixed(1) ?? '–'} s CPU, ` +
          `${(peak / 1024).toFixed(0)} MB peak RSS, exit ${code ?? 'killed'}\n`,
      );
      resolvePromise({
        database,
        run,
        wallS,
        cpuS,
        peakRssMb: peak / 1024,
        load: loads.reduce((a, b) => a + b, 0) / loads.length,
        exitCode: code,
        summary: stdout.trim().split('\n').join('; '),
      });
    });
  });
}

async function postgresRuns(url: string, dir: string): Promise<Run[]> {
  const name = `prrt_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
    const target = new URL(url);
    target.pathname = `/${name}`;
    const env = { PRRT_DATABASE_URL: target.toString() };
    const fresh = await runImport('PostgreSQL', 'import into an empty database', dir, env);
    const again = await runImport('PostgreSQL', 're-import, nothing changed', dir, env);
    return [fresh, again];
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const { dir, counts, generatedMs } = registry(args);
  prrt = prrtCommand(args);
  const rows = Object.values(counts).reduce((a, b) => a + b, 0);
  process.stderr.write(
    `registry: ${dir} (${rows} rows${generatedMs === null ? ', reused' : `, generated in ${generatedMs} ms`})\n`,
  );

  const runs: Run[] = [];
  const sqliteDir = mkdtempSync(join(tmpdir(), 'prrt-bench-sqlite-'));
  try {
    const env = { PRRT_DB: join(sqliteDir, 'prrt.sqlite'), PRRT_DATABASE_URL: '' };
    runs.push(await runImport('SQLite', 'import into an empty database', dir, env));
    runs.push(await runImport('SQLite', 're-import, nothing changed', dir, env));
  } finally {
    rmSync(sqliteDir, { recursive: true, force: true });
  }
  const url = process.env.PRRT_BENCH_DATABASE_URL ?? process.env.PRRT_TEST_DATABASE_URL;
  if (url !== undefined && url !== '') runs.push(...(await postgresRuns(url, dir)));
  else process.stderr.write('PostgreSQL skipped: set PRRT_BENCH_DATABASE_URL or PRRT_TEST_DATABASE_URL\n');

  const lines = [
    `${args.patients} patients, ${rows} rows (${Object.entries(counts)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}); node ${process.version}, ${cpus().length} CPUs, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}; ${args.tsx ? 'sources through tsx' : 'compiled command'}`,
    '',
    '| database | run | wall time (s) | CPU time (s) | rows/s (wall) | peak RSS (MB) | load average | exit | result |',
    '|---|---|---:|---:|---:|---:|---:|---:|---|',
    ...runs.map(
      (r) =>
        `| ${r.database} | ${r.run} | ${r.wallS.toFixed(1)} | ${r.cpuS?.toFixed(1) ?? '–'} | ${Math.round(rows / r.wallS)} | ` +
        `${r.peakRssMb.toFixed(0)} | ${r.load.toFixed(1)} | ${r.exitCode ?? 'killed'} | ${r.summary} |`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (args.json !== null) writeFileSync(args.json, JSON.stringify({ rows, counts, runs }, null, 2));
  if (runs.some((r) => r.exitCode !== 0)) process.exitCode = 1;
}

await main();

/**
 * The crash-safety benchmark, the long form of test/reliability/crash-*.test.ts: `prrt import` killed
 * with SIGKILL before, during and at the end of its transaction, and `prrt serve` killed under
 * concurrent writes and restarted, at least 50 times each (`--kills`) on SQLite and on PostgreSQL (when
 * PRRT_BENCH_DATABASE_URL or PRRT_TEST_DATABASE_URL names a server to create the databases on). After
 * each kill the database must check clean, hold the state before or after each write and never part of
 * one, keep every acknowledged write with its audit entry, and pass `prrt audit verify`. Prints what
 * was done as markdown tables; exits 1 naming the seed when a check failed.
 *
 *   npx tsx bench/crash-bench.ts [--kills 50] [--only sqlite|postgres] [--seed N] [--patients 300]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  crashDatabases,
  importCrashes,
  importTable,
  killAllChildren,
  serverCrashes,
  serverTable,
  type ImportCrashReport,
  type ServerCrashReport,
} from '../test/reliability/crash-safety.js';

interface Args {
  kills: number;
  only: 'sqlite' | 'postgres' | null;
  seed: number;
  patients: number;
}

function usage(message: string): never {
  process.stderr.write(
    `${message}\nusage: crash-bench.ts [--kills 50] [--only sqlite|postgres] [--seed N] [--patients 300]\n`,
  );
  process.exit(2);
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { kills: 50, only: null, seed: Math.floor(Math.random() * 2 ** 32), patients: 300 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const v = argv[++i];
    if (a === '--only') {
      if (v !== 'sqlite' && v !== 'postgres') usage('--only takes sqlite or postgres');
      args.only = v;
    } else if (a === '--kills' || a === '--seed' || a === '--patients') {
      if (v === undefined || !/^\d+$/.test(v)) usage(`${a} needs a non-negative integer`);
      if (a === '--kills') args.kills = Math.max(1, Number(v));
      else if (a === '--seed') args.seed = Number(v) >>> 0;
      else args.patients = Math.max(10, Number(v));
    } else {
      usage(`unknown argument ${a}`);
    }
  }
  return args;
}

const args = parseArgs(process.argv.slice(2));
const url = process.env.PRRT_BENCH_DATABASE_URL ?? process.env.PRRT_TEST_DATABASE_URL;
const work = mkdtempSync(join(tmpdir(), 'prrt-crash-bench-'));
const log = (line: string) => void process.stderr.write(`${line}\n`);
const kinds = crashDatabases(join(work, 'databases'), url).filter(
  (k) => args.only === null || k.dialect === args.only,
);
if (args.only === 'postgres' && kinds.length === 0) {
  usage('PostgreSQL needs PRRT_BENCH_DATABASE_URL or PRRT_TEST_DATABASE_URL');
}

const imports: ImportCrashReport[] = [];
const servers: ServerCrashReport[] = [];
const started = Date.now();
const load = loadavg()[0]!;
try {
  for (const kind of kinds) {
    const database = await kind.open();
    try {
      log(`${kind.dialect}: ${args.kills} import kills (seed ${args.seed})`);
      imports.push(
        await importCrashes({
          database,
          work: join(work, kind.dialect),
          seed: args.seed,
          kills: args.kills,
          patients: args.patients,
          extraPatients: Math.ceil(args.patients / 4),
          log,
        }),
      );
      log(`${kind.dialect}: ${args.kills} server kills (seed ${args.seed})`);
      servers.push(
        await serverCrashes({
          database,
          work: join(work, kind.dialect),
          seed: args.seed,
          kills: args.kills,
          clients: 6,
          maxLoadMs: 2000,
          log,
        }),
      );
    } finally {
      await database.close();
    }
  }
} finally {
  killAllChildren();
  rmSync(work, { recursive: true, force: true });
}

const out = [
  `Crash-safety run: seed ${args.seed}, ${args.kills} kills of each kind per database, ` +
    `${args.patients} + ${Math.ceil(args.patients / 4)} patients in the import; ${cpus().length} cores, ` +
    `load average ${load.toFixed(1)} at the start; ${((Date.now() - started) / 60_000).toFixed(1)} min in all.`,
  '',
  '`prrt import` killed with SIGKILL:',
  '',
  importTable(imports),
  '',
  '`prrt serve` killed with SIGKILL under concurrent writes, restarted after each kill:',
  '',
  serverTable(servers),
  '',
];
process.stdout.write(`${out.join('\n')}\n`);
const failures = [...imports, ...servers].flatMap((r) => r.failures);
if (failures.length > 0) {
  process.stderr.write(`${failures.length} check(s) failed (repeat with --seed ${args.seed}):\n`);
  for (const f of failures) process.stderr.write(`  ${f}\n`);
  process.exitCode = 1;
}

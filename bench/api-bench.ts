/**
 * Load test of the clinical API over the demo cohort (`examples/salvage-demo`) in a fresh SQLite file:
 * the CPU time of one patient summary (in process), then requests per second and latencies of the
 * patient list with flags, a patient summary, the report and the survival curves, with autocannon when
 * it is installed.
 *
 *   npx tsx bench/api-bench.ts [--seconds 10] [--connections 10]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { patientRecords } from '../src/clinical/model.js';
import { patientSummary } from '../src/clinical/patient-summary.js';
import { readExchangeFolder } from '../src/interop/exchange-folder/index.js';
import { buildApp } from '../src/server/app.js';
import { createServerContext } from '../src/server/context.js';
import { Users } from '../src/server/users.js';
import { importCohort, openStore } from '../src/store/index.js';

interface AutocannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
}
type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>;

const args = process.argv.slice(2);
const opt = (name: string, dflt: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};

async function loadAutocannon(): Promise<Autocannon | null> {
  try {
    const name = 'autocannon';
    const mod = (await import(name)) as { default: Autocannon };
    return mod.default;
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const read = await readExchangeFolder('examples/salvage-demo');
  if (!read.ok) throw new Error('the demo cohort does not validate');
  const cohort = read.cohort;

  // CPU time of one summary, in process, after warming up.
  const records = patientRecords(cohort);
  for (let r = 0; r < 5; r += 1) for (const rec of records) patientSummary(rec);
  const t0 = performance.now();
  const rounds = 20;
  for (let r = 0; r < rounds; r += 1) for (const rec of records) patientSummary(rec);
  const perSummary = (performance.now() - t0) / (rounds * records.length);
  process.stdout.write(
    `patient summary: ${perSummary.toFixed(3)} ms CPU each (${String(records.length)} patients)\n`,
  );

  const autocannon = await loadAutocannon();
  if (autocannon === null) {
    process.stdout.write(
      'autocannon is not installed: add it as a dev dependency to run the HTTP load test\n',
    );
    return;
  }

  const dir = mkdtempSync(join(tmpdir(), 'prrt-api-bench-'));
  const store = await openStore({ kind: 'sqlite', path: join(dir, 'prrt.sqlite') });
  try {
    await importCohort(store, cohort);
    const ctx = await createServerContext(store, { loginMaxAttempts: 1000 });
    const app = await buildApp(ctx);
    await new Users(store).create({ username: 'bench', password: 'bench-password-1', role: 'clinician' });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const login = await fetch(`${address}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'bench', password: 'bench-password-1' }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const first = cohort.patients[0]?.patientId ?? '';
    const targets = [
      '/api/patients?pageSize=50',
      `/api/patients/${encodeURIComponent(first)}/summary`,
      '/api/report',
      '/api/survival?groupBy=primary_site',
    ];
    for (const path of targets) {
      const r = await autocannon({
        url: `${address}${path}`,
        headers: { cookie },
        connections: opt('--connections', 10),
        duration: opt('--seconds', 10),
      });
      process.stdout.write(
        `${path}: ${r.requests.average.toFixed(0)} req/s, p50 ${String(r.latency.p50)} ms, p99 ${String(r.latency.p99)} ms, non-2xx ${String(r.non2xx)}\n`,
      );
    }
    await app.close();
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();

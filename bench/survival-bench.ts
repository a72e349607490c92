/**
 * `npm run bench:survival`: times the survival engine on registry-like data (10⁵ and 10⁶ rows) and,
 * where R with the survival package is installed, runs R's own timing script side by side in the same
 * invocation. Medians of several runs; CSV reading excluded. Results are checked against R's numbers.
 *
 *   npm run bench:survival                # both sizes, R side by side when available
 *   npm run bench:survival -- --runs 7 --sizes 1e5 --no-r
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  copyFileSync,
  mkdirSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kaplanMeier } from '../src/survival/kaplan-meier.js';
import { logRankTest } from '../src/survival/logrank.js';
import { coxph, type CoxTies } from '../src/survival/cox-ph.js';
import { coxConcordance } from '../src/survival/concordance.js';
import { loadRegistry, SHARED_BENCH, type Registry } from './registry-data.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : dflt;
};
const RUNS = Number(opt('--runs', '5'));
const SIZES = opt('--sizes', '1e5,1e6').split(',') as ('1e5' | '1e6')[];
const WITH_R = !args.includes('--no-r');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Median wall time and median CPU time (user + system: on a shared, loaded machine the steadier figure). */
function time<T>(fn: () => T): { seconds: number; cpuSeconds: number; runs: number[]; result: T } {
  let result = fn(); // warm-up (JIT)
  const runs: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    result = fn();
    runs.push(Number(process.hrtime.bigint() - t0) / 1e9);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1e6);
  }
  return { seconds: median(runs), cpuSeconds: median(cpu), runs, result };
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

interface Check {
  what: string;
  ok: boolean;
  detail: string;
}

function cox(d: Registry, withGroup: boolean, ties: CoxTies) {
  const x = withGroup ? [d.group, d.x1, d.x2, d.x3] : [d.x1, d.x2, d.x3];
  const fit = coxph({ time: d.time, status: d.status, x }, { ties });
  // R's coxph computes the concordance as part of every fit; so do we here, for a like-for-like time.
  const c = coxConcordance({ time: d.time, status: d.status }, fit.linearPredictors);
  return { fit, c };
}

function benchSize(key: '1e5' | '1e6', rRef: any): { rows: any[]; checks: Check[]; source: string } {
  const d = loadRegistry(key);
  const group = { codes: Int32Array.from(d.group), labels: ['group=0', 'group=1'] };
  const data = { time: d.time, status: d.status };
  const tasks = {
    survfit_by_group: () => kaplanMeier(data, { group }),
    survdiff_logrank: () => logRankTest(data, group),
    coxph_efron_x1_x2_x3: () => cox(d, false, 'efron'),
    coxph_efron_group_x1_x2_x3: () => cox(d, true, 'efron'),
    coxph_breslow_x1_x2_x3: () => cox(d, false, 'breslow'),
  };
  const rows: any[] = [];
  const checks: Check[] = [];
  const ref = rRef?.data?.[key];
  const exact = d.source.endsWith('.csv');
  let efron: ReturnType<typeof cox> | undefined;
  for (const [name, fn] of Object.entries(tasks)) {
    const t = time(fn as () => unknown);
    rows.push({ n: key, task: name, prrt_s: t.seconds, prrt_cpu_s: t.cpuSeconds, prrt_runs: t.runs });
    if (name === 'coxph_efron_x1_x2_x3') efron = t.result as ReturnType<typeof cox>;
    if (!ref || !exact) continue;
    if (name === 'survfit_by_group') {
      const fit = t.result as ReturnType<typeof kaplanMeier>;
      const med = fit.curves.map((c) => c.median.estimate);
      checks.push({
        what: `${key} KM medians`,
        ok: med.every((m, i) => m === ref.km_median_by_group[i]),
        detail: `${med.join(', ')} vs R ${ref.km_median_by_group.join(', ')}`,
      });
    }
    if (name === 'survdiff_logrank') {
      const r = t.result as ReturnType<typeof logRankTest>;
      checks.push({
        what: `${key} log-rank chisq`,
        ok: rel(r.chisq, ref.survdiff_group.chisq) < 1e-9,
        detail: `${r.chisq} vs R ${ref.survdiff_group.chisq}`,
      });
    }
  }
  const fit = efron!.fit;
  const lp = fit.linearPredictors;
  const conc = time(() => coxConcordance(data, lp));
  rows.push({
    n: key,
    task: 'concordance_of_coxfit',
    prrt_s: conc.seconds,
    prrt_cpu_s: conc.cpuSeconds,
    prrt_runs: conc.runs,
  });
  if (ref && exact) {
    const r = ref.coxph_efron_x1_x2_x3;
    const maxRel = (a: ArrayLike<number>, b: number[]) => Math.max(...b.map((v, i) => rel(a[i]!, v)));
    checks.push({
      what: `${key} Cox Efron coef`,
      ok: maxRel(fit.coef, r.coef) < 1e-6,
      detail: `max rel diff ${maxRel(fit.coef, r.coef).toExponential(2)}`,
    });
    checks.push({
      what: `${key} Cox Efron se`,
      ok: maxRel(fit.se, r.se) < 1e-6,
      detail: `max rel diff ${maxRel(fit.se, r.se).toExponential(2)}`,
    });
    checks.push({
      what: `${key} Cox Efron loglik`,
      ok: maxRel(fit.loglik, r.loglik) < 1e-9,
      detail: `max rel diff ${maxRel(fit.loglik, r.loglik).toExponential(2)}`,
    });
    checks.push({
      what: `${key} Cox iterations`,
      ok: fit.iter === r.iter,
      detail: `${fit.iter} vs R ${r.iter}`,
    });
    checks.push({
      what: `${key} concordance`,
      ok: rel(conc.result.concordance, r.concordance) < 1e-6 && rel(conc.result.std, r.concordance_se) < 1e-6,
      detail: `${conc.result.concordance} (se ${conc.result.std}) vs R ${r.concordance} (se ${r.concordance_se})`,
    });
  }
  return { rows, checks, source: d.source };
}

function runR(): any {
  if (!WITH_R) return null;
  const probe = spawnSync(
    'Rscript',
    [
      '-e',
      'suppressMessages(library(survival)); suppressMessages(library(jsonlite)); cat(as.character(packageVersion("survival")))',
    ],
    { encoding: 'utf8' },
  );
  if (probe.status !== 0) {
    console.error(
      'R with the survival and jsonlite packages is not installed (Debian: r-base-core r-cran-survival r-cran-jsonlite); comparing with the stored R timings instead.',
    );
    return null;
  }
  const script = join(SHARED_BENCH, 'bench.R');
  if (!existsSync(script)) return null;
  const dir = mkdtempSync(join(tmpdir(), 'prrt-bench-r-'));
  copyFileSync(script, join(dir, 'bench.R'));
  for (const key of ['1e5', '1e6']) {
    const csv = join(SHARED_BENCH, `registry_N${key}.csv`);
    if (existsSync(csv)) symlinkSync(csv, join(dir, `registry_N${key}.csv`));
  }
  console.error(`running R ${probe.stdout.trim()} side by side (bench.R) …`);
  execFileSync('Rscript', [join(dir, 'bench.R')], {
    env: { ...process.env, RSURV_BENCH: dir },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return { ...JSON.parse(readFileSync(join(dir, 'timings.json'), 'utf8')), measured: 'in this run' };
}

const stored = existsSync(join(SHARED_BENCH, 'timings.json'))
  ? {
      ...JSON.parse(readFileSync(join(SHARED_BENCH, 'timings.json'), 'utf8')),
      measured: 'stored reference timings',
    }
  : null;
const live = runR();
const rRef = live ?? stored;

const allRows: any[] = [];
const allChecks: Check[] = [];
for (const key of SIZES) {
  const { rows, checks, source } = benchSize(key, rRef);
  console.error(`N=${key}: ${source}`);
  for (const r of rows) {
    const rt = rRef?.timings?.[key]?.[r.task]?.elapsed_median as number | undefined;
    allRows.push({ ...r, r_s: rt ?? null, ratio: rt ? rt / r.prrt_s : null });
  }
  allChecks.push(...checks);
}

const fmt = (v: number | null, d = 3) => (v === null ? '—' : v.toFixed(d));
const lines = [
  `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}; R: ${rRef ? `${rRef.versions?.R ?? ''}, survival ${rRef.versions?.survival ?? ''} (${rRef.measured})` : 'none'}`,
  `Median of ${RUNS} runs after one warm-up; seconds (wall, and CPU = user + system); CSV reading excluded. Cox rows include the concordance, as R's coxph computes it too.`,
  '',
  '| N | task | prrt (s) | prrt CPU (s) | R (s) | R / prrt |',
  '|---|---|---:|---:|---:|---:|',
  ...allRows.map(
    (r) =>
      `| ${r.n} | ${r.task} | ${fmt(r.prrt_s)} | ${fmt(r.prrt_cpu_s)} | ${fmt(r.r_s)} | ${r.ratio === null ? '—' : `${r.ratio.toFixed(1)}×`} |`,
  ),
  '',
  'Results checked against R:',
  ...allChecks.map((c) => `- ${c.ok ? 'OK  ' : 'FAIL'} ${c.what}: ${c.detail}`),
];
console.log(lines.join('\n'));
mkdirSync(join(import.meta.dirname, 'out'), { recursive: true });
writeFileSync(
  join(import.meta.dirname, 'out', 'survival.json'),
  JSON.stringify({ rows: allRows, checks: allChecks, r: rRef?.measured ?? null }, null, 2),
);
if (allChecks.some((c) => !c.ok)) process.exitCode = 1;

/**
 * `npm run bench:report`: the study report on a generated 10,000-patient cohort (the demo design,
 * repeated with other seeds). Reading the folder is timed apart; the report (endpoint derivation,
 * statistics, JSON) and the HTML page are medians of several runs.
 *
 *   npx tsx examples/salvage-demo/generate.ts bench/out/cohort-10k --patients 10000 --seed 7
 *   npx tsx bench/report-bench.ts [bench/out/cohort-10k] [--runs 5]
 */
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { readExchangeFolder } from '../src/interop/exchange-folder/index.js';
import { buildStudyReport } from '../src/study/study-report.js';
import { renderReportHtml } from '../src/study/report-html.js';

const args = process.argv.slice(2);
const dir = args.find((a) => !a.startsWith('--')) ?? join(import.meta.dirname, 'out', 'cohort-10k');
const runsAt = args.indexOf('--runs');
const RUNS = runsAt >= 0 ? Number(args[runsAt + 1]) : 5;

if (!existsSync(join(dir, 'patients.csv'))) {
  console.error(`generating a 10,000-patient cohort in ${dir} …`);
  execFileSync(
    'npx',
    [
      'tsx',
      join(import.meta.dirname, '..', 'examples', 'salvage-demo', 'generate.ts'),
      dir,
      '--patients',
      '10000',
      '--seed',
      '7',
    ],
    { stdio: 'inherit' },
  );
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

let t0 = process.hrtime.bigint();
const r = await readExchangeFolder(dir);
const readS = seconds(t0);
if (!r.ok) throw new Error(`${dir} is not valid: ${r.errors.length} errors`);
const c = r.cohort;
const rows =
  c.patients.length + c.courses.length + c.cycles.length + c.labs.length + c.lesions.length + c.events.length;

/** CPU seconds (user + system, every thread of the process) since `from`. */
const cpuSeconds = (from: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(from);
  return (u.user + u.system) / 1e6;
};

const reportRuns: number[] = [];
const htmlRuns: number[] = [];
const reportCpu: number[] = [];
const htmlCpu: number[] = [];
let report = buildStudyReport(c, { course: 'salvage' });
for (let i = 0; i < RUNS; i++) {
  t0 = process.hrtime.bigint();
  let cpu0 = process.cpuUsage();
  report = buildStudyReport(c, { course: 'salvage' });
  reportRuns.push(seconds(t0));
  reportCpu.push(cpuSeconds(cpu0));
  t0 = process.hrtime.bigint();
  cpu0 = process.cpuUsage();
  renderReportHtml(report);
  htmlRuns.push(seconds(t0));
  htmlCpu.push(cpuSeconds(cpu0));
}
console.log(
  [
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}`,
    `Cohort: ${c.patients.length} patients, ${rows} rows (${dir}); units analysed: ${report.json.patients}`,
    '',
    `| step | seconds (median of ${RUNS}) | CPU seconds (median) |`,
    '|---|---:|---:|',
    `| read and validate the folder (once) | ${readS.toFixed(2)} | |`,
    `| study report (endpoints, statistics, JSON) | ${median(reportRuns).toFixed(3)} | ${median(reportCpu).toFixed(3)} |`,
    `| HTML page with plots | ${median(htmlRuns).toFixed(3)} | ${median(htmlCpu).toFixed(3)} |`,
    `| report + HTML | ${(median(reportRuns) + median(htmlRuns)).toFixed(3)} | ${(median(reportCpu) + median(htmlCpu)).toFixed(3)} |`,
  ].join('\n'),
);

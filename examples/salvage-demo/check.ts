/**
 * Checks the synthetic salvage cohort: regenerates it into temporary folders and verifies
 *  - determinism (same seed → byte-identical files; the committed files equal a fresh run),
 *  - the import rules and plausibility bounds the generator promises (dates ordered and in range, no row
 *    after death or last contact, cycle numbering and spacing, activities, units, lesion sizes),
 *  - the design targets, derived from the raw rows by the exchange format's rules: best responses,
 *    achieved dose, worst haematological grades, Kaplan–Meier medians of TTP, follow-up, deaths, and the
 *    association of a short prior-course TTP with a worse salvage outcome,
 * for the default seed and a few others, plus a smaller large-cohort run.
 *
 *   npx tsx examples/salvage-demo/check.ts        exit 0 when every check passes, 1 otherwise
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { amsterdamOffset } from './calendar.js';
import { writeCohort } from './cohort.js';
import { DEFAULT_SEED } from './design.js';
import {
  type CourseOutcome,
  type Folder,
  cox1,
  dayOfDate,
  deriveCourses,
  kmMedian,
  logRank,
  readFolder,
  sampleMedian,
} from './derive.js';
import { DEMO_RULES } from './rules.js';
import { FILES, HEADERS } from './synthesise.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const M = DEMO_RULES.daysPerMonth;
let failures = 0;

function expect(ok: boolean, what: string): void {
  if (!ok) {
    failures++;
    process.stdout.write(`  FAIL ${what}\n`);
  }
}

function generate(seed: number, patients?: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'salvage-demo-'));
  writeCohort({ dir, seed, ...(patients === undefined ? {} : { patients }) });
  return dir;
}

const sameFiles = (a: string, b: string): boolean =>
  FILES.every((f) => readFileSync(join(a, `${f}.csv`)).equals(readFileSync(join(b, `${f}.csv`))));

const UNITS: Readonly<Record<string, readonly string[]>> = {
  platelets: ['10^9/L', '10^3/uL', '/uL', '/mm3'],
  wbc: ['10^9/L', '10^3/uL', '/uL', '/mm3'],
  neutrophils: ['10^9/L', '10^3/uL', '/uL', '/mm3'],
  lymphocytes: ['10^9/L', '10^3/uL', '/uL', '/mm3'],
  hemoglobin: ['g/dL', 'g/L', 'mmol/L'],
  creatinine: ['umol/L', 'mg/dL'],
  chromogranin_a: ['ug/L'],
};

/** The import rules and plausibility bounds, on the raw rows. */
function checkRows(f: Folder, label: string): void {
  const first = dayOfDate('2000-01-01');
  const last = dayOfDate('2009-12-31');
  for (const file of FILES) {
    const header = Object.keys(f[file][0] ?? {});
    expect(
      header.every((h) => HEADERS[file].includes(h)),
      `${label}: ${file}.csv has only known columns`,
    );
  }
  const ids = new Set<string>();
  const lastContact = new Map<string, number>();
  for (const p of f.patients) {
    expect(!ids.has(p.patient_id!), `${label}: ${p.patient_id} unique`);
    ids.add(p.patient_id!);
    const lc = dayOfDate(p.last_contact_date!);
    lastContact.set(p.patient_id!, lc);
    if (p.death_date !== '')
      expect(p.death_date === p.last_contact_date, `${label}: ${p.patient_id} last contact = death`);
    expect(lc >= first && lc <= last, `${label}: ${p.patient_id} last contact in 2000–2009`);
  }
  const dated: [string, string, string][] = [
    ...f.cycles.map((r) => [r.patient_id!, r.administered_at!, 'cycles'] as [string, string, string]),
    ...f.labs.map((r) => [r.patient_id!, r.taken_at!, 'labs'] as [string, string, string]),
    ...f.lesions.map((r) => [r.patient_id!, r.scan_date!, 'lesions'] as [string, string, string]),
    ...f.events.map((r) => [r.patient_id!, r.date!, 'events'] as [string, string, string]),
  ];
  let late = 0;
  let outOfRange = 0;
  for (const [id, date, file] of dated) {
    const d = dayOfDate(date);
    if (!(d <= lastContact.get(id)!)) late++;
    if (d < first || d > last) outOfRange++;
    if (!ids.has(id)) expect(false, `${label}: ${file} row of unknown patient ${id}`);
  }
  expect(late === 0, `${label}: no row after last contact or death (${late} found)`);
  expect(outOfRange === 0, `${label}: every dated row in 2000–2009 (${outOfRange} outside)`);

  const courseKeys = new Set(f.courses.map((c) => `${c.patient_id}/${c.course_id}`));
  for (const c of f.courses) {
    const intended = Number(c.intended_activity_gbq);
    expect(intended > 0 && intended <= 60, `${label}: intended activity in (0, 60]`);
  }
  const byPatient = new Map<string, typeof f.cycles>();
  for (const c of f.cycles) {
    expect(courseKeys.has(`${c.patient_id}/${c.course_id}`), `${label}: cycle's course exists`);
    const gbq = Number(c.activity_gbq);
    expect(gbq > 0 && gbq <= 15, `${label}: activity in (0, 15]`);
    expect(
      (gbq >= 7.2 && gbq <= 7.6) || (gbq >= 3.6 && gbq <= 3.8),
      `${label}: activity ${gbq} is about 7.4 or 3.7 GBq`,
    );
    const m = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}:00(\+0[12]:00)$/.exec(c.administered_at!);
    expect(
      m !== null && m[2] === amsterdamOffset(dayOfDate(m[1]!)),
      `${label}: ${c.administered_at} has the Amsterdam offset`,
    );
    byPatient.set(c.patient_id!, [...(byPatient.get(c.patient_id!) ?? []), c]);
  }
  for (const [id, cycles] of byPatient) {
    const ordered = [...cycles].sort((a, b) => dayOfDate(a.administered_at!) - dayOfDate(b.administered_at!));
    const courseOrder = ordered.map((c) => c.course_id);
    const blocks = courseOrder.filter((c, i) => i === 0 || c !== courseOrder[i - 1]);
    expect(new Set(blocks).size === blocks.length, `${label}: ${id} courses do not interleave`);
    for (const course of new Set(courseOrder)) {
      const cs = ordered.filter((c) => c.course_id === course);
      cs.forEach((c, i) => {
        expect(Number(c.cycle) === i + 1, `${label}: ${id} ${course} cycles numbered 1, 2, … in time order`);
        if (i > 0) {
          const gap = dayOfDate(c.administered_at!) - dayOfDate(cs[i - 1]!.administered_at!);
          expect(gap >= 42 && gap <= 70, `${label}: ${id} ${course} cycles 6–10 weeks apart (${gap} days)`);
        }
      });
    }
  }
  for (const l of f.labs) {
    expect(UNITS[l.test!]?.includes(l.unit!) === true, `${label}: lab unit ${l.unit} accepted for ${l.test}`);
    expect(Number(l.value) >= 0, `${label}: lab value ≥ 0`);
  }
  for (const l of f.lesions) {
    if (l.role !== 'target') continue;
    const longest = Number(l.longest_mm);
    expect(Number(l.perpendicular_mm) <= longest, `${label}: perpendicular ≤ longest`);
    expect(longest <= 90, `${label}: target ≤ 90 mm`);
  }
  const events = new Set(f.events.map((e) => e.event));
  expect(
    !events.has('mds') && !events.has('aml') && !events.has('kidney_failure'),
    `${label}: no MDS, AML or kidney failure`,
  );
}

interface Figures {
  best: Record<string, number>;
  achieved: number;
  notAchieved: Record<string, number>;
  hem: Record<string, number>;
  ttpMedian: number | null;
  ttpEvents: number;
  priorMedian: number | null;
  regularMedian: number | null;
  followUp: { median: number; min: number; max: number };
  deaths: number;
  logRank18: { chisq: number; p: number };
  coxPrior: { beta: number; z: number; p: number };
  pancreatic: { p: number; n: number };
  ages: { min: number; max: number };
}

function figures(f: Folder): Figures {
  const units = deriveCourses(f, 'salvage');
  const regular = deriveCourses(f, 'regular');
  const count = (xs: string[]): Record<string, number> =>
    xs.reduce<Record<string, number>>((a, x) => ({ ...a, [x]: (a[x] ?? 0) + 1 }), {});
  const months = (u: CourseOutcome): number => u.ttpDays / M;
  const fu = units.map((u) => u.followUpDays / M);
  const withPrior = units.filter((u) => u.priorTtpDays !== null);
  const gep = units.filter((u) =>
    ['pancreatic', 'midgut', 'hindgut', 'gastric', 'duodenal', 'other_gep'].includes(u.site),
  );
  const birth = new Map(f.patients.map((p) => [p.patient_id!, dayOfDate(p.birth_date!)]));
  const ages = units.map((u) => (u.start - birth.get(u.patientId)!) / 365.25);
  return {
    best: count(units.map((u) => u.best)),
    achieved: units.filter((u) => u.achieved).length,
    notAchieved: count(units.filter((u) => !u.achieved).map((u) => u.stopReason || 'running')),
    hem: count(units.map((u) => String(u.hemWorst))),
    ttpMedian: kmMedian(
      units.map(months),
      units.map((u) => u.progressed),
    ),
    ttpEvents: units.filter((u) => u.progressed).length,
    priorMedian: kmMedian(
      withPrior.map((u) => u.priorTtpDays! / M),
      withPrior.map((u) => u.priorProgressed!),
    ),
    regularMedian: kmMedian(
      regular.map(months),
      regular.map((u) => u.progressed),
    ),
    followUp: { median: sampleMedian(fu), min: Math.min(...fu), max: Math.max(...fu) },
    deaths: units.filter((u) => u.dead).length,
    logRank18: logRank(
      withPrior.map(months),
      withPrior.map((u) => u.progressed),
      withPrior.map((u) => u.priorTtpDays! / M < 18),
    ),
    coxPrior: cox1(
      withPrior.map(months),
      withPrior.map((u) => u.progressed),
      withPrior.map((u) => u.priorTtpDays! / M),
    ),
    pancreatic: {
      p: logRank(
        gep.map(months),
        gep.map((u) => u.progressed),
        gep.map((u) => u.site === 'pancreatic'),
      ).p,
      n: gep.filter((u) => u.site === 'pancreatic').length,
    },
    ages: { min: Math.min(...ages), max: Math.max(...ages) },
  };
}

function checkDemoFigures(x: Figures, label: string): void {
  const eq = (a: Record<string, number>, b: Record<string, number>): boolean =>
    JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
  expect(
    eq(x.best, { PR: 2, MR: 6, SD: 8, PD: 17 }),
    `${label}: best response 2 PR, 6 MR, 8 SD, 17 PD (got ${JSON.stringify(x.best)})`,
  );
  expect(x.achieved === 29, `${label}: 29 achieved (got ${x.achieved})`);
  expect(
    eq(x.notAchieved, { progression: 2, toxicity: 2 }),
    `${label}: not achieved 2 progression, 2 toxicity (got ${JSON.stringify(x.notAchieved)})`,
  );
  expect(
    eq(x.hem, { '0': 6, '1': 14, '2': 8, '3': 4, '4': 1 }),
    `${label}: haematological grades 6/14/8/4/1 (got ${JSON.stringify(x.hem)})`,
  );
  const within = (v: number | null, lo: number, hi: number): boolean => v !== null && v >= lo && v <= hi;
  expect(
    within(x.ttpMedian, 16.8, 17.2),
    `${label}: salvage TTP median 16.8–17.2 months (got ${x.ttpMedian})`,
  );
  expect(
    within(x.priorMedian, 26.8, 27.2),
    `${label}: prior-course TTP median 26.8–27.2 months (got ${x.priorMedian})`,
  );
  expect(
    within(x.regularMedian, 26.8, 27.2),
    `${label}: regular-course TTP median 26.8–27.2 months (got ${x.regularMedian})`,
  );
  expect(
    Math.round(x.followUp.median) === 16,
    `${label}: follow-up median rounds to 16 (got ${x.followUp.median})`,
  );
  expect(
    Math.round(x.followUp.min) === 1 && Math.round(x.followUp.max) === 40,
    `${label}: follow-up range 1–40 (got ${x.followUp.min}–${x.followUp.max})`,
  );
  expect(x.deaths >= 8 && x.deaths <= 10, `${label}: about 9 deaths (got ${x.deaths})`);
  expect(
    x.logRank18.p < 0.05,
    `${label}: log-rank by prior TTP < 18 months significant (p ${x.logRank18.p})`,
  );
  expect(
    x.coxPrior.beta < 0 && x.coxPrior.p < 0.05,
    `${label}: Cox on prior TTP: longer prior, lower hazard (beta ${x.coxPrior.beta}, p ${x.coxPrior.p})`,
  );
  expect(x.pancreatic.p > 0.2, `${label}: pancreatic like other GEP (log-rank p ${x.pancreatic.p})`);
  expect(x.ages.min >= 40 && x.ages.max <= 80, `${label}: ages 40–80 at salvage start`);
}

const report = (x: Figures): string =>
  [
    `best ${JSON.stringify(x.best)}; achieved ${x.achieved}, not achieved ${JSON.stringify(x.notAchieved)}`,
    `haematological worst grade ${JSON.stringify(x.hem)}`,
    `TTP median ${x.ttpMedian?.toFixed(3)} months (${x.ttpEvents} events); prior-course TTP median ${x.priorMedian?.toFixed(3)}; regular-course TTP median ${x.regularMedian?.toFixed(3)}`,
    `follow-up median ${x.followUp.median.toFixed(3)}, range ${x.followUp.min.toFixed(3)}–${x.followUp.max.toFixed(3)} months; deaths ${x.deaths}`,
    `log-rank prior TTP < 18 vs ≥ 18 months: chisq ${x.logRank18.chisq.toFixed(2)}, p ${x.logRank18.p.toExponential(2)}`,
    `Cox (Breslow) on prior TTP in months: beta ${x.coxPrior.beta.toFixed(4)}, HR ${Math.exp(x.coxPrior.beta).toFixed(3)}, p ${x.coxPrior.p.toExponential(2)}`,
    `pancreatic (n ${x.pancreatic.n}) vs other GEP: log-rank p ${x.pancreatic.p.toFixed(3)}`,
  ].join('\n    ');

const dirs: string[] = [];
try {
  process.stdout.write(`demo, seed ${DEFAULT_SEED}\n`);
  const a = generate(DEFAULT_SEED);
  const b = generate(DEFAULT_SEED);
  dirs.push(a, b);
  expect(sameFiles(a, b), 'two runs with the same seed give byte-identical files');
  try {
    expect(sameFiles(a, HERE), 'the committed CSV files equal a fresh run with the default seed');
  } catch {
    expect(false, 'the committed CSV files exist');
  }
  const demo = readFolder(a);
  checkRows(demo, 'demo');
  const fig = figures(demo);
  checkDemoFigures(fig, 'demo');
  process.stdout.write(`    ${report(fig)}\n`);

  for (const seed of [1, 2, 3, 42, 2024]) {
    const dir = generate(seed);
    dirs.push(dir);
    const other = readFolder(dir);
    checkRows(other, `seed ${seed}`);
    checkDemoFigures(figures(other), `seed ${seed}`);
  }
  process.stdout.write('other seeds 1, 2, 3, 42, 2024 checked\n');

  const large = generate(7, 400);
  const large2 = generate(7, 400);
  dirs.push(large, large2);
  expect(sameFiles(large, large2), 'large cohort: same seed, same files');
  const lf = readFolder(large);
  expect(lf.patients.length === 400, 'large cohort: 400 patients');
  checkRows(lf, 'large');
  process.stdout.write(`large cohort (400 patients, seed 7)\n    ${report(figures(lf))}\n`);
} finally {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}
process.stdout.write(failures === 0 ? 'all checks passed\n' : `${failures} checks failed\n`);
process.exit(failures === 0 ? 0 : 1);

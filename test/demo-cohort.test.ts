/**
 * The synthetic salvage demo cohort (examples/salvage-demo): a fresh run is deterministic and equals the
 * committed files, imports without an error, keeps the plausibility bounds the README promises, and
 * gives every published aggregate of the salvage study when prrt builds its study report.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { writeCohort } from '../examples/salvage-demo/cohort.js';
import { PatientRows } from '../examples/salvage-demo/csv-out.js';
import { DEFAULT_SEED, demoDesign } from '../examples/salvage-demo/design.js';
import { verifyPatient } from '../examples/salvage-demo/read-back.js';
import { FILES, synthesisePatient } from '../examples/salvage-demo/synthesise.js';
import { daysBetween } from '../src/clinical/dates.js';
import type { Cohort } from '../src/clinical/model.js';
import { readExchangeFolder } from '../src/interop/exchange-folder/index.js';
import { buildStudyReport } from '../src/study/study-report.js';
import type { StudyReport } from '../src/study/study-report.js';

const DEMO_DIR = fileURLToPath(new URL('../examples/salvage-demo/', import.meta.url));

let first = '';
let second = '';
let cohort: Cohort;
let salvage: StudyReport;
let regular: StudyReport;

beforeAll(async () => {
  first = mkdtempSync(join(tmpdir(), 'salvage-demo-'));
  second = mkdtempSync(join(tmpdir(), 'salvage-demo-'));
  writeCohort({ dir: first });
  writeCohort({ dir: second, seed: DEFAULT_SEED });
  const read = await readExchangeFolder(first);
  if (!read.ok)
    throw new Error(`the demo cohort does not import: ${JSON.stringify(read.errors.slice(0, 3))}`);
  cohort = read.cohort;
  salvage = buildStudyReport(cohort, { course: 'salvage' });
  regular = buildStudyReport(cohort, { course: 'regular' });
}, 30_000);

afterAll(() => {
  for (const dir of [first, second]) if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

const fileOf = (dir: string, name: string): Buffer => readFileSync(join(dir, `${name}.csv`));

describe('determinism', () => {
  test('two runs with the same seed write byte-identical files', () => {
    for (const f of FILES) expect(fileOf(second, f).equals(fileOf(first, f)), `${f}.csv`).toBe(true);
  });

  test('the committed CSV files equal a fresh run with the default seed', () => {
    for (const f of FILES) expect(fileOf(DEMO_DIR, f).equals(fileOf(first, f)), `${f}.csv`).toBe(true);
  });
});

describe('read-back of a patient by the rule engine', () => {
  const design = demoDesign(DEFAULT_SEED).find((d) => d.salvage.stopReason === 'toxicity')!;
  const rows = new PatientRows();
  const target = synthesisePatient(design, DEFAULT_SEED, rows);

  test('accepts the rows of the designed outcome', () => {
    expect(() => {
      verifyPatient(rows.files(), target);
    }).not.toThrow();
  });

  test('refuses rows that do not give the designed response, dose or grade', () => {
    const other = { ...target.salvage };
    expect(() => {
      verifyPatient(rows.files(), { ...target, salvage: { ...other, best: 'PD' } });
    }).toThrow(/best response/);
    expect(() => {
      verifyPatient(rows.files(), { ...target, salvage: { ...other, stopReason: 'completed' } });
    }).toThrow(/salvage dose/);
    const grades = { ...other.grades, platelets: other.grades.platelets - 1 };
    expect(() => {
      verifyPatient(rows.files(), { ...target, salvage: { ...other, grades } });
    }).toThrow(/platelets worst grade/);
  });
});

describe('import rules and plausibility', () => {
  test('every patient has a regular and a salvage course', () => {
    expect(cohort.patients).toHaveLength(33);
    for (const p of cohort.patients) {
      const kinds = cohort.courses.filter((c) => c.patientId === p.patientId).map((c) => c.kind);
      expect(kinds.sort()).toEqual(['regular', 'salvage']);
    }
  });

  test('no row is dated after the last contact or the death, and every date lies in 2000–2009', () => {
    const lastContact = new Map(cohort.patients.map((p) => [p.patientId, p.lastContactDate]));
    for (const p of cohort.patients) if (p.deathDate !== null) expect(p.deathDate).toBe(p.lastContactDate);
    const dated = [
      ...cohort.cycles.map((c) => [c.patientId, c.administeredDate] as const),
      ...cohort.labs.map((l) => [l.patientId, l.takenDate] as const),
      ...cohort.lesions.map((l) => [l.patientId, l.scanDate] as const),
      ...cohort.events.map((e) => [e.patientId, e.date] as const),
    ];
    const late = dated.filter(([id, date]) => date > lastContact.get(id)!);
    expect(late).toEqual([]);
    const outside = dated.filter(([, date]) => date < '2000-01-01' || date > '2009-12-31');
    expect(outside).toEqual([]);
  });

  test('activities are about 7.4 GBq (or a reduced 3.7 GBq), intended activities at most 60 GBq', () => {
    for (const c of cohort.cycles) {
      const a = c.activityGbq;
      expect((a >= 7.2 && a <= 7.6) || (a >= 3.6 && a <= 3.8), `${c.patientId} ${c.courseId} ${a}`).toBe(
        true,
      );
    }
    for (const c of cohort.courses) {
      expect(c.intendedActivityGbq).toBeGreaterThan(0);
      expect(c.intendedActivityGbq).toBeLessThanOrEqual(60);
    }
  });

  test('cycles of a course are 6–10 weeks apart', () => {
    for (const course of cohort.courses) {
      const dates = cohort.cycles
        .filter((c) => c.patientId === course.patientId && c.courseId === course.courseId)
        .sort((a, b) => a.cycle - b.cycle)
        .map((c) => c.administeredDate);
      for (let i = 1; i < dates.length; i++) {
        const gap = daysBetween(dates[i - 1]!, dates[i]!);
        expect(gap, `${course.patientId} ${course.courseId}`).toBeGreaterThanOrEqual(42);
        expect(gap, `${course.patientId} ${course.courseId}`).toBeLessThanOrEqual(70);
      }
    }
  });

  test('target lesions measure at most 90 mm, perpendicular no longer than longest', () => {
    for (const l of cohort.lesions.filter((x) => x.role === 'target')) {
      expect(l.longestMm).not.toBeNull();
      expect(l.longestMm!).toBeLessThanOrEqual(90);
      expect(l.perpendicularMm!).toBeLessThanOrEqual(l.longestMm!);
    }
  });

  test('patients are 47–78 years old at the salvage start', () => {
    for (const u of salvage.json.units) {
      const p = cohort.patients.find((x) => x.patientId === u.patient)!;
      const age = daysBetween(p.birthDate!, u.start!) / 365.25;
      expect(age, p.patientId).toBeGreaterThanOrEqual(47);
      expect(age, p.patientId).toBeLessThanOrEqual(78);
    }
  });
});

describe('the published aggregates, from the study report', () => {
  test('intended dose not reached in 4: 2 progression, 2 toxicity', () => {
    const a = salvage.json.activity as {
      not_achieved: number;
      not_achieved_by_reason: Record<string, number>;
    };
    expect(a.not_achieved).toBe(4);
    expect(a.not_achieved_by_reason).toEqual({ progression: 2, toxicity: 2 });
  });

  test('worst haematological grade 3 in 4 patients and 4 in 1', () => {
    const worst = (salvage.json.toxicity as { hematologic_worst_grade: Record<string, number> })
      .hematologic_worst_grade;
    expect(worst['3']).toBe(4);
    expect(worst['4']).toBe(1);
  });

  test('best response CR 0, PR 2, MR 6, SD 8, PD 17, NE 0', () => {
    expect(salvage.json.response.best).toMatchObject({ CR: 0, PR: 2, MR: 6, SD: 8, PD: 17, NE: 0 });
  });

  test('median TTP 17 months after salvage and 27 months after the regular course', () => {
    expect(Math.round(salvage.json.ttp_months.median!)).toBe(17);
    expect(Math.round(regular.json.ttp_months.median!)).toBe(27);
  });

  test('follow-up from the salvage start: median 16, range 1–40 months', () => {
    const fu = salvage.json.follow_up_months;
    expect(Math.round(fu.median!)).toBe(16);
    expect(Math.round(fu.min!)).toBe(1);
    expect(Math.round(fu.max!)).toBe(40);
  });

  test('no MDS, AML or kidney failure', () => {
    expect((salvage.json.toxicity as { events: Record<string, number> }).events).toEqual({
      mds: 0,
      aml: 0,
      kidney_failure: 0,
    });
    expect(
      cohort.events.filter((e) => e.event !== 'adverse_event' && e.event !== 'clinical_progression'),
    ).toEqual([]);
  });

  test('a shorter prior-course TTP means a worse salvage TTP', () => {
    const sub = salvage.json.subgroups as any;
    const [short, long] = sub.prior_course_ttp.groups;
    expect(short.median).toBeLessThan(long.median);
    expect(sub.prior_course_ttp.logrank.p).toBeLessThan(0.05);
    const cox = salvage.json.cox_prior_ttp as any;
    expect(cox.hr_per_12_months).toBeLessThan(1);
  });

  test('pancreatic patients fare like other GEP patients', () => {
    const sub = salvage.json.subgroups as any;
    expect(sub.pancreatic_vs_other_gep.logrank.p).toBeGreaterThan(0.05);
  });
});

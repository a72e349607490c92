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
import { patientRecords, type Cohort } from '../src/clinical/model.js';
import { dosimetryJson } from '../src/dosimetry/dosimetry-json.js';
import { patientDosimetry } from '../src/dosimetry/patient-dosimetry.js';
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

  test('the committed dosimetry.csv equals a fresh run and is not empty', () => {
    expect(FILES).toContain('dosimetry');
    const committed = fileOf(DEMO_DIR, 'dosimetry');
    expect(committed.equals(fileOf(first, 'dosimetry'))).toBe(true);
    expect(committed.toString('utf8').split('\n').length).toBeGreaterThan(100);
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

describe('read-back of a patient with dosimetry', () => {
  const designs = demoDesign(DEFAULT_SEED);
  const rowsOf = (d: (typeof designs)[number]) => {
    const rows = new PatientRows();
    const target = synthesisePatient(d, DEFAULT_SEED, rows);
    return { files: rows.files(), target };
  };
  const measured = designs.map(rowsOf).find((p) => p.files.get('dosimetry.csv')!.includes('kidneys'))!;

  test('accepts the kidney measurements as drawn', () => {
    expect(() => {
      verifyPatient(measured.files, measured.target);
    }).not.toThrow();
  });

  test('refuses kidney measurements that give more than 0.9 Gy/GBq', () => {
    const [header, ...lines] = measured.files.get('dosimetry.csv')!.trimEnd().split('\n');
    const tripled = lines.map((line) =>
      line
        .split(',')
        .map((cell, i) => ((i === 5 || i === 6) && cell !== '' ? String(Number(cell) * 3) : cell))
        .join(','),
    );
    const files = new Map(measured.files);
    files.set('dosimetry.csv', `${[header, ...tripled].join('\n')}\n`);
    expect(() => {
      verifyPatient(files, measured.target);
    }).toThrow(/kidneys .* Gy\/GBq/);
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

describe('dosimetry', () => {
  const withDosimetry = () => patientRecords(cohort).filter((r) => r.dosimetry.length > 0);

  test('about a third of the patients have kidney measurements', () => {
    const n = withDosimetry().length;
    expect(n).toBeGreaterThanOrEqual(9);
    expect(n).toBeLessThanOrEqual(14);
    for (const r of withDosimetry()) expect(r.dosimetry.some((m) => m.region === 'kidneys')).toBe(true);
  });

  test('cycles imaged at about 4, 24, 72 and 168 h, or once at about 96 h; blood with a haematocrit', () => {
    const byCycle = new Map<string, number[]>();
    for (const m of cohort.dosimetry.filter((x) => x.region === 'kidneys')) {
      const key = `${m.patientId}/${m.courseId}/${m.cycle}`;
      byCycle.set(key, [...(byCycle.get(key) ?? []), m.hoursAfter]);
    }
    let single = 0;
    for (const [key, hours] of byCycle) {
      const h = [...hours].sort((a, b) => a - b);
      if (h.length === 1) {
        single += 1;
        expect(Math.abs(h[0]! - 96), key).toBeLessThanOrEqual(6);
      } else {
        expect(h, key).toHaveLength(4);
        [4, 24, 72, 168].forEach((t, i) => {
          expect(Math.abs(h[i]! - t) / t, `${key} ${t} h`).toBeLessThanOrEqual(0.13);
        });
      }
    }
    expect(single).toBeGreaterThan(0);
    expect(single).toBeLessThan(byCycle.size / 2);
    const blood = cohort.dosimetry.filter((m) => m.region === 'blood');
    expect(blood.length).toBeGreaterThan(0);
    for (const b of blood) {
      expect(b.concentrationMbqPerMl).toBeGreaterThan(0);
      expect(b.hematocrit).toBeGreaterThanOrEqual(0.3);
      expect(b.hematocrit).toBeLessThanOrEqual(0.5);
    }
    const masses = cohort.dosimetry.filter((m) => m.massG !== null).map((m) => m.massG!);
    expect(masses.length).toBeGreaterThan(0);
    for (const g of masses) expect(g > 200 && g < 420, String(g)).toBe(true);
  });

  test('every patient with dosimetry gets a kidney budget from the measurements', () => {
    for (const record of withDosimetry()) {
      const id = record.patient.patientId;
      const d = patientDosimetry(record);
      const k = d.kidneys;
      expect(k.meanDosePerGbqFrom, id).toBe('measured');
      expect(d.cycles).toHaveLength(record.cycles.length);
      const measured = d.cycles.filter((c) => !c.kidneys.estimated);
      expect(measured.length, id).toBeGreaterThan(0);
      for (const c of measured) {
        expect(c.kidneys.dosePerGbq, `${id} ${c.courseId}/${c.cycle}`).toBeGreaterThanOrEqual(0.4);
        expect(c.kidneys.dosePerGbq, `${id} ${c.courseId}/${c.cycle}`).toBeLessThanOrEqual(0.9);
        if (!c.kidneys.singlePoint) {
          expect(c.kidneys.tEffH!, `${id} ${c.courseId}/${c.cycle}`).toBeGreaterThanOrEqual(40);
          expect(c.kidneys.tEffH!, `${id} ${c.courseId}/${c.cycle}`).toBeLessThanOrEqual(90);
        }
      }
      const sum = d.cycles.reduce((s, c) => s + c.kidneys.doseGy, 0);
      expect(k.cumulative.doseGy, id).toBeCloseTo(sum, 9);
      expect(k.cumulative.bedGy, id).toBeGreaterThan(k.cumulative.doseGy);
      expect(k.maxNextActivityGbq.value.dose, id).toBeGreaterThanOrEqual(0);
      expect(k.maxNextActivityGbq.value.bed, id).toBeGreaterThanOrEqual(0);
      const json = dosimetryJson(d) as { cumulative: { kidneys_dose_gy: number } };
      expect(json.cumulative.kidneys_dose_gy).toBe(k.cumulative.doseGy);
    }
  });

  test("the study report's organ-dose table has a row for each salvage unit with kidney measurements", () => {
    const d = salvage.json.dosimetry;
    expect(d.patients_with_measurements).toBe(withDosimetry().length);
    expect(d.patients_with_measurements + d.patients_without_measurements).toBe(33);
    for (const row of d.by_course) {
      const record = withDosimetry().find((r) => r.patient.patientId === row.patient)!;
      const whole = patientDosimetry(record).kidneys.cumulative;
      // The salvage course is each patient's last: its cumulative dose is the patient's.
      expect(row.cumulative_kidneys_dose_gy).toBeCloseTo(whole.doseGy, 9);
      expect(row.cumulative_kidneys_bed_gy).toBeCloseTo(whole.bedGy, 9);
      expect(row.course_kidneys_dose_gy).toBeLessThan(row.cumulative_kidneys_dose_gy);
    }
    expect(d.over_limit).toBeGreaterThan(0);
  });

  test('patients without dosimetry rows get the population default only', () => {
    const without = patientRecords(cohort).filter((r) => r.dosimetry.length === 0);
    expect(without.length).toBeGreaterThan(15);
    expect(patientDosimetry(without[0]!).kidneys.meanDosePerGbqFrom).toBe('default');
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

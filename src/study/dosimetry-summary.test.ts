import { describe, expect, test } from 'vitest';
import type { Cohort, Course, Cycle, DosimetryMeasurement, Patient } from '../clinical/model.js';
import { renderReportHtml } from './report-html.js';
import { buildStudyReport } from './study-report.js';

/** The worked example of the dosimetry notes: one 7.4 GBq cycle gives 5.4436 Gy, BED 5.8486 Gy (300 g). */
const CYCLE_DOSE = 5.4436;
const CYCLE_BED = 5.8486;

function patient(id: string, hypertension: boolean | null): Patient {
  return {
    patientId: id,
    name: `Name of ${id}`,
    mrn: `MRN-${id}`,
    sex: 'F',
    birthDate: '1950-06-15',
    primarySite: 'midgut',
    diagnosisDate: null,
    grade: 'G2',
    ki67Percent: null,
    karnofsky: 90,
    weightKg: 70,
    hypertension,
    diabetes: null,
    lastContactDate: '2010-12-31',
    deathDate: null,
  };
}
const course = (p: string, id: string, kind: Course['kind'], n: number): Course => ({
  patientId: p,
  courseId: id,
  kind,
  intendedCycles: n,
  intendedActivityGbq: 7.4 * n,
  stopReason: 'completed',
});
const cycles = (p: string, c: string, first: string, n: number): Cycle[] =>
  Array.from({ length: n }, (_, i) => {
    const date = new Date(Date.parse(`${first}T00:00:00Z`) + i * 56 * 86_400_000).toISOString().slice(0, 10);
    return {
      patientId: p,
      courseId: c,
      cycle: i + 1,
      administeredAt: `${date}T10:00:00+01:00`,
      administeredDate: date,
      activityGbq: 7.4,
      plannedActivityGbq: null,
    };
  });
const worked = (p: string, c: string, n: number): DosimetryMeasurement[] =>
  [
    [4, 185.0],
    [24, 133.2],
    [72, 88.8],
    [168, 37.0],
  ].map(([h, a]) => ({
    patientId: p,
    courseId: c,
    cycle: n,
    region: 'kidneys',
    hoursAfter: h!,
    activityMbq: a!,
    percentIa: null,
    concentrationMbqPerMl: null,
    massG: 300,
    hematocrit: null,
  }));

/**
 * A (hypertension): 4 regular and 2 salvage cycles, kidneys measured after R1/1 only.
 * B: 3 + 1 cycles, no dosimetry.
 * C: 3 + 1 cycles, kidneys measured after S1/1 only; a blood sample only after R1/1.
 * Every cycle is 7.4 GBq, so every estimated cycle has the measured cycle's dose.
 */
function cohort(): Cohort {
  return {
    patients: [patient('A', true), patient('B', false), patient('C', null)],
    courses: ['A', 'B', 'C'].flatMap((p) => [
      course(p, 'R1', 'regular', p === 'A' ? 4 : 3),
      course(p, 'S1', 'salvage', p === 'A' ? 2 : 1),
    ]),
    cycles: [
      ...cycles('A', 'R1', '2005-01-10', 4),
      ...cycles('A', 'S1', '2008-01-10', 2),
      ...cycles('B', 'R1', '2005-02-01', 3),
      ...cycles('B', 'S1', '2007-09-03', 1),
      ...cycles('C', 'R1', '2004-03-01', 3),
      ...cycles('C', 'S1', '2006-06-01', 1),
    ],
    labs: [],
    lesions: [],
    events: [],
    dosimetry: [
      ...worked('A', 'R1', 1),
      ...worked('C', 'S1', 1),
      {
        patientId: 'C',
        courseId: 'R1',
        cycle: 1,
        region: 'blood',
        hoursAfter: 24,
        activityMbq: null,
        percentIa: null,
        concentrationMbqPerMl: 0.1,
        massG: null,
        hematocrit: 0.4,
      },
    ],
  };
}

describe('organ doses in the study report', () => {
  const salvage = buildStudyReport(cohort(), { course: 'salvage' }).json.dosimetry;
  const regular = buildStudyReport(cohort(), { course: 'regular' }).json.dosimetry;

  test('only the patients with kidney measurements have a row; the others are counted', () => {
    expect(salvage.patients_with_measurements).toBe(2);
    expect(salvage.patients_without_measurements).toBe(1);
    expect(salvage.by_course.map((r) => [r.patient, r.course_id, r.course_kind])).toEqual([
      ['A', 'S1', 'salvage'],
      ['C', 'S1', 'salvage'],
    ]);
    expect(regular.by_course.map((r) => [r.patient, r.course_id])).toEqual([
      ['A', 'R1'],
      ['C', 'R1'],
    ]);
  });

  test('the course dose sums its cycles; the cumulative dose every cycle up to the end of the course', () => {
    const [a, c] = salvage.by_course;
    expect(a).toMatchObject({ cycles: 2, cycles_measured: 0, cycles_single_point: 0, cycles_estimated: 2 });
    expect(a!.course_gbq).toBeCloseTo(14.8, 12);
    expect(a!.course_kidneys_dose_gy).toBeCloseTo(2 * CYCLE_DOSE, 3);
    expect(a!.course_kidneys_bed_gy).toBeCloseTo(2 * CYCLE_BED, 3);
    expect(a!.cumulative_kidneys_dose_gy).toBeCloseTo(6 * CYCLE_DOSE, 3);
    expect(a!.cumulative_kidneys_bed_gy).toBeCloseTo(6 * CYCLE_BED, 3);
    expect(a!.kidneys_dose_per_gbq).toBeCloseTo(CYCLE_DOSE / 7.4, 4);
    expect(c).toMatchObject({ cycles: 1, cycles_measured: 1, cycles_estimated: 0 });
    expect(c!.cumulative_kidneys_dose_gy).toBeCloseTo(4 * CYCLE_DOSE, 3);
    // The regular course of A ends before the salvage: its cumulative dose leaves the salvage cycles out.
    const ra = regular.by_course[0]!;
    expect(ra).toMatchObject({ cycles: 4, cycles_measured: 1, cycles_estimated: 3 });
    expect(ra.cumulative_kidneys_dose_gy).toBeCloseTo(ra.course_kidneys_dose_gy, 12);
    expect(ra.cumulative_kidneys_dose_gy).toBeCloseTo(4 * CYCLE_DOSE, 3);
  });

  test("limits are the patient's; over the limit when the cumulative dose or BED exceeds it", () => {
    const [a, c] = salvage.by_course;
    // A: hypertension → BED 28 Gy; 32.7 Gy dose and 35.1 Gy BED exceed both.
    expect([a!.limit_kidneys_dose_gy, a!.limit_kidneys_bed_gy]).toEqual([23, 28]);
    expect([a!.over_dose_limit, a!.over_bed_limit, a!.over_limit]).toEqual([true, true, true]);
    // C: no risk factor → BED 40 Gy; 21.8 Gy dose and 23.4 Gy BED are within both.
    expect([c!.limit_kidneys_dose_gy, c!.limit_kidneys_bed_gy]).toEqual([23, 40]);
    expect([c!.over_dose_limit, c!.over_bed_limit, c!.over_limit]).toEqual([false, false, false]);
    expect(salvage).toMatchObject({ over_dose_limit: 1, over_bed_limit: 1, over_limit: 1 });
    // A's regular course: 21.8 Gy and 23.4 Gy BED, within 23 and 28.
    expect(regular).toMatchObject({ over_dose_limit: 0, over_bed_limit: 0, over_limit: 0 });
  });

  test('median and range over the rows', () => {
    expect(salvage.cumulative_kidneys_dose_gy.n).toBe(2);
    expect(salvage.cumulative_kidneys_dose_gy.median).toBeCloseTo(5 * CYCLE_DOSE, 3);
    expect(salvage.cumulative_kidneys_dose_gy.min).toBeCloseTo(4 * CYCLE_DOSE, 3);
    expect(salvage.cumulative_kidneys_dose_gy.max).toBeCloseTo(6 * CYCLE_DOSE, 3);
    expect(salvage.course_kidneys_dose_gy.min).toBeCloseTo(CYCLE_DOSE, 3);
    expect(salvage.course_kidneys_bed_gy.max).toBeCloseTo(2 * CYCLE_BED, 3);
  });

  test('pseudonymised rows carry the pseudonyms of the units', () => {
    const r = buildStudyReport(cohort(), { course: 'salvage', pseudonymise: true }).json;
    expect(r.units.map((u) => u.patient)).toEqual(['U001', 'U002', 'U003']);
    expect(r.dosimetry.by_course.map((x) => x.patient)).toEqual(['U001', 'U003']);
    expect(JSON.stringify(r.dosimetry)).not.toMatch(/"[ABC]"/);
  });

  test('without any kidney measurement the table is empty and the spreads are null', () => {
    const none = buildStudyReport({ ...cohort(), dosimetry: [] }, { course: 'salvage' }).json.dosimetry;
    expect(none.patients_with_measurements).toBe(0);
    expect(none.patients_without_measurements).toBe(3);
    expect(none.by_course).toEqual([]);
    expect(none.cumulative_kidneys_dose_gy).toEqual({ n: 0, median: null, min: null, max: null });
    expect(none.over_limit).toBe(0);
  });

  test('the HTML page shows the summary and one row per measured patient', () => {
    const html = renderReportHtml(buildStudyReport(cohort(), { course: 'salvage' }));
    expect(html).toContain('<h2>Organ doses (kidneys)</h2>');
    expect(html).toContain('Patients with kidney measurements: 2 of 3');
    // Rows by cumulative dose, highest first: A then C.
    const rowA = `<td>A</td><td>S1</td><td>2 (0 / 0 / 2)</td><td>14.8</td><td>${(2 * CYCLE_DOSE).toFixed(1)}</td>`;
    expect(html).toContain(rowA);
    expect(html).toContain(`<td>${(6 * CYCLE_BED).toFixed(1)}</td><td>23 / 28</td><td>dose, BED</td>`);
    expect(html).toContain(`<td>${(4 * CYCLE_BED).toFixed(1)}</td><td>23 / 40</td><td>—</td>`);
    expect(html.indexOf(rowA)).toBeLessThan(html.indexOf('<td>C</td><td>S1</td>'));
    expect(html).toContain('either in 1 of 2 patients');
    const empty = renderReportHtml(buildStudyReport({ ...cohort(), dosimetry: [] }));
    expect(empty).toContain('Patients with kidney measurements: 0 of 3');
    expect(empty).not.toContain('cumulative BED Gy');
  });
});

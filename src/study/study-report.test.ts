import { describe, expect, test } from 'vitest';
import type {
  ClinicalEvent,
  Cohort,
  Course,
  Cycle,
  LabValue,
  LesionMeasurement,
  Patient,
} from '../clinical/model.js';
import { clopperPearson } from '../survival/binomial-interval.js';
import { kaplanMeier } from '../survival/kaplan-meier.js';
import { buildStudyReport } from './study-report.js';
import { renderReportHtml } from './report-html.js';
import { erasmus2010Endpoints } from '../clinical/protocols/erasmus-2010-endpoints.js';

const days = (from: string, to: string) =>
  (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;

function patient(id: string, over: Partial<Patient> = {}): Patient {
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
    hypertension: null,
    diabetes: null,
    lastContactDate: '2010-12-31',
    deathDate: null,
    ...over,
  };
}
const course = (
  p: string,
  id: string,
  kind: Course['kind'],
  intended: number,
  stop: Course['stopReason'] = 'completed',
): Course => ({
  patientId: p,
  courseId: id,
  kind,
  intendedCycles: kind === 'salvage' ? 2 : 4,
  intendedActivityGbq: intended,
  stopReason: stop,
});
const cycle = (p: string, c: string, n: number, date: string, gbq: number): Cycle => ({
  patientId: p,
  courseId: c,
  cycle: n,
  administeredAt: `${date}T10:00:00+01:00`,
  administeredDate: date,
  activityGbq: gbq,
  plannedActivityGbq: null,
});
const target = (p: string, date: string, id: string, a: number, b: number): LesionMeasurement => ({
  patientId: p,
  scanDate: date,
  lesionId: id,
  organ: 'liver',
  lymphNode: false,
  role: 'target',
  longestMm: a,
  perpendicularMm: b,
  shortAxisMm: null,
  status: null,
});
const platelets = (p: string, date: string, value: number): LabValue => ({
  patientId: p,
  takenAt: date,
  takenDate: date,
  test: 'platelets',
  value,
  lln: null,
  uln: null,
  original: { value, unit: '10^9/L', lln: null, uln: null },
});
const progression = (p: string, date: string): ClinicalEvent => ({
  patientId: p,
  date,
  event: 'clinical_progression',
  term: null,
  grade: null,
  note: null,
});

/**
 * A: regular course progressing clinically after 546 days; salvage PR then PD at 274 days; platelets 48 (grade 3).
 * B: regular course progressing after 487 days; salvage stopped after one cycle for toxicity, SD, no progression.
 * C: regular course progressing after 700 days; salvage MR, died without progression.
 */
function cohort(): Cohort {
  return {
    patients: [
      patient('A'),
      patient('B', { sex: 'M', primarySite: 'pancreatic' }),
      patient('C', { primarySite: 'bronchial', deathDate: '2009-06-01', lastContactDate: '2009-06-01' }),
    ],
    courses: [
      course('A', 'R1', 'regular', 29.6),
      course('A', 'S1', 'salvage', 14.8),
      course('B', 'R1', 'regular', 29.6),
      course('B', 'S1', 'salvage', 14.8, 'toxicity'),
      course('C', 'R1', 'regular', 29.6),
      course('C', 'S1', 'salvage', 14.8),
    ],
    cycles: [
      cycle('A', 'R1', 1, '2005-01-10', 7.4),
      cycle('A', 'R1', 2, '2005-03-10', 7.4),
      cycle('A', 'R1', 3, '2005-05-10', 7.4),
      cycle('A', 'R1', 4, '2005-07-10', 7.4),
      cycle('A', 'S1', 1, '2008-01-10', 7.4),
      cycle('A', 'S1', 2, '2008-03-10', 7.4),
      cycle('B', 'R1', 1, '2005-02-01', 7.4),
      cycle('B', 'R1', 2, '2005-04-01', 7.4),
      cycle('B', 'R1', 3, '2005-06-01', 7.4),
      cycle('B', 'S1', 1, '2007-09-01', 7.4),
      cycle('C', 'R1', 1, '2004-03-01', 7.4),
      cycle('C', 'R1', 2, '2004-05-01', 7.4),
      cycle('C', 'R1', 3, '2004-07-01', 7.4),
      cycle('C', 'R1', 4, '2004-09-01', 7.4),
      cycle('C', 'S1', 1, '2006-06-01', 7.4),
      cycle('C', 'S1', 2, '2006-08-01', 7.3),
    ],
    labs: [
      platelets('A', '2008-02-05', 48),
      platelets('B', '2007-10-01', 140),
      platelets('C', '2006-07-01', 160),
    ],
    lesions: [
      target('A', '2008-01-05', 'L1', 40, 30),
      target('A', '2008-04-10', 'L1', 20, 20),
      target('A', '2008-10-10', 'L1', 40, 40),
      target('B', '2007-08-20', 'L1', 30, 30),
      target('B', '2007-12-01', 'L1', 30, 28),
      target('C', '2006-05-20', 'L1', 50, 40),
      target('C', '2006-10-01', 'L1', 40, 35),
      target('C', '2007-02-01', 'L1', 41, 35),
    ],
    events: [progression('A', '2006-07-10'), progression('B', '2006-06-03'), progression('C', '2006-01-29')],
    dosimetry: [],
  };
}

describe('study report (salvage units)', () => {
  const report = buildStudyReport(cohort(), { course: 'salvage' });
  const j = report.json;

  test('activity: one course stopped for toxicity below 95% of the intended activity', () => {
    expect(j.patients).toBe(3);
    expect(j.activity).toMatchObject({
      achieved: 2,
      not_achieved: 1,
      not_achieved_by_reason: { toxicity: 1 },
    });
  });

  test('best responses and the regression rate with its Clopper–Pearson interval', () => {
    expect(j.response.best).toEqual({ CR: 0, PR: 1, MR: 1, SD: 1, PD: 0, NE: 0 });
    const cp = clopperPearson(2, 3);
    expect(j.response.regression).toEqual({ n: 2, total: 3, rate: 2 / 3, ci95: [cp.lower, cp.upper] });
  });

  test('worst haematological grade per unit from the labs in the window', () => {
    const t = j.toxicity as any;
    // A: 48 → grade 3; B: 140 < LLN 150 → grade 1; C: 160 → grade 0
    expect(t.hematologic_worst_grade).toEqual({ '0': 1, '1': 1, '2': 0, '3': 1, '4': 0 });
    expect(t.by_test.platelets).toEqual({ '0': 1, '1': 1, '2': 0, '3': 1, '4': 0 });
  });

  test('TTP: events and censoring by the rules, median as R reads it', () => {
    const a = days('2008-01-10', '2008-10-10'); // progression at the PD scan
    const b = days('2007-09-01', '2007-12-01'); // censored at the last follow-up scan
    const c = days('2006-06-01', '2007-02-01'); // died without progression: censored at the last scan
    const km = kaplanMeier({
      time: Float64Array.from([a, b, c], (d) => d / 30.4375),
      status: Uint8Array.from([1, 0, 0]),
    });
    expect(j.ttp_months).toMatchObject({
      n: 3,
      events: 1,
      censored: 2,
      median: km.curves[0]!.median.estimate,
    });
    expect(j.pfs_months.events).toBe(2); // death counts for PFS
    expect(j.os_months.events).toBe(1);
  });

  test('prior-course TTP split: a prior TTP exactly at the cut-off counts as at or above it', () => {
    // B's prior TTP is 487 days = 16.0 months exactly
    expect(days('2005-02-01', '2006-06-03')).toBe(487);
    const r = buildStudyReport(cohort(), { course: 'salvage', splitMonths: 487 / 30.4375 });
    const groups = (r.json.subgroups as any).prior_course_ttp.groups;
    // A 546, B 487, C 700 days: all at or above 487 days; with a cut-off one day later B falls below
    expect(groups.map((g: any) => g.n)).toEqual([0, 3]);
    const r2 = buildStudyReport(cohort(), { course: 'salvage', splitMonths: 488 / 30.4375 });
    expect((r2.json.subgroups as any).prior_course_ttp.groups.map((g: any) => g.n)).toEqual([1, 2]);
  });

  test('follow-up: sample median and range in months from the course start', () => {
    const f = [
      days('2008-01-10', '2010-12-31'),
      days('2007-09-01', '2010-12-31'),
      days('2006-06-01', '2009-06-01'),
    ]
      .map((d) => d / 30.4375)
      .sort((x, y) => x - y);
    expect(j.follow_up_months.median).toBe(f[1]);
    expect(j.follow_up_months.min).toBe(f[0]);
    expect(j.follow_up_months.max).toBe(f[2]);
  });

  test("regular units are each patient's first regular course", () => {
    const r = buildStudyReport(cohort(), { course: 'regular' });
    expect(r.json.patients).toBe(3);
    expect(r.json.ttp_months.events).toBe(3);
    expect(r.json.prior_course_ttp_months.n).toBe(0);
  });

  test('pseudonymised: no names, record numbers, ids or dates of patients', () => {
    const r = buildStudyReport(cohort(), { course: 'salvage', pseudonymise: true });
    const text = JSON.stringify(r.json) + renderReportHtml(r);
    for (const p of cohort().patients) {
      expect(text).not.toContain(p.name!);
      expect(text).not.toContain(p.mrn!);
      expect(text).not.toContain(p.birthDate!);
    }
    expect(r.json.units.map((u) => u.patient)).toEqual(['U001', 'U002', 'U003']);
    expect(r.json.units.every((u) => u.start === null)).toBe(true);
  });

  test('the HTML page is self-contained and holds every plot', () => {
    const html = renderReportHtml(report);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    for (const id of ['waterfall', 'km-ttp', 'km-pfs', 'km-os', 'km-prior-split', 'swimmer'])
      expect(html).toContain(`id="${id}"`);
  });

  test('the page takes its thresholds and windows from the protocol it was derived under', () => {
    const base = erasmus2010Endpoints;
    const protocol = {
      ...base,
      achievedFraction: 0.9,
      toxicity: { ...base.toxicity, windowDaysAfterLastCycle: 150 },
      response: { ...base.response, swogMr: { ...base.response.swogMr, minorChange: -0.3 } },
    };
    const html = renderReportHtml(buildStudyReport(cohort(), { course: 'salvage', protocol }));
    expect(html).toContain('intended activity reached (≥ 90%)');
    expect(html).toContain('up to 150 days after its last cycle');
    expect(html).toMatch(/class="threshold"[^>]*\/>\s*<text[^>]*>-30%</);
    expect(html).not.toMatch(/>-25%</);
  });
});

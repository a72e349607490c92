import { describe, expect, test } from 'vitest';
import { addDays } from './dates.js';
import type { Course, Cycle, LabTest, LabValue, LesionMeasurement, Patient, PatientRecord } from './model.js';
import { CANONICAL_UNIT } from './model.js';
import { patientSummary } from './patient-summary.js';

const patient: Patient = {
  patientId: 'P1',
  name: 'Test, Patient',
  mrn: 'M1',
  sex: 'F',
  birthDate: '1955-04-02',
  primarySite: 'midgut',
  diagnosisDate: '2016-05-01',
  grade: 'G1',
  ki67Percent: 2,
  karnofsky: 80,
  weightKg: 70,
  hypertension: false,
  diabetes: false,
  lastContactDate: '2024-06-01',
  deathDate: null,
};

function course(courseId: string, kind: Course['kind'], stopReason: Course['stopReason'], n = 4): Course {
  return {
    patientId: 'P1',
    courseId,
    kind,
    intendedCycles: n,
    intendedActivityGbq: n * 7.4,
    stopReason,
  };
}

function cycles(courseId: string, first: string, n: number, gbq = 7.4): Cycle[] {
  return Array.from({ length: n }, (_, i) => {
    const date = addDays(first, i * 56);
    return {
      patientId: 'P1',
      courseId,
      cycle: i + 1,
      administeredAt: `${date}T09:00:00Z`,
      administeredDate: date,
      activityGbq: gbq,
      plannedActivityGbq: null,
    };
  });
}

function lab(date: string, test: LabTest, value: number): LabValue {
  return {
    patientId: 'P1',
    takenAt: date,
    takenDate: date,
    test,
    value,
    lln: null,
    uln: null,
    original: { value, unit: CANONICAL_UNIT[test], lln: null, uln: null },
  };
}

/** A full set of the tests dose modification needs, normal except where overridden. */
function labSet(date: string, over: Partial<Record<LabTest, number>> = {}): LabValue[] {
  const values: Partial<Record<LabTest, number>> = {
    platelets: 220,
    hemoglobin: 12.5,
    wbc: 6,
    neutrophils: 3.5,
    creatinine: 80,
    bilirubin: 10,
    albumin: 40,
    ...over,
  };
  return Object.entries(values).map(([t, v]) => lab(date, t as LabTest, v));
}

function lesion(scanDate: string, longest: number, perpendicular: number): LesionMeasurement {
  return {
    patientId: 'P1',
    scanDate,
    lesionId: 'L1',
    organ: 'liver',
    lymphNode: false,
    role: 'target',
    longestMm: longest,
    perpendicularMm: perpendicular,
    shortAxisMm: null,
    status: null,
  };
}

function record(parts: Partial<Omit<PatientRecord, 'patient'>> & { patient?: Patient }): PatientRecord {
  return {
    patient: parts.patient ?? patient,
    courses: parts.courses ?? [],
    cycles: parts.cycles ?? [],
    labs: parts.labs ?? [],
    lesions: parts.lesions ?? [],
    events: parts.events ?? [],
    dosimetry: parts.dosimetry ?? [],
  };
}

describe('a running course: the next cycle', () => {
  // Two of four cycles given, 2024-01-10 and 2024-03-06; the third is due 2024-05-01.
  const running = (labs: LabValue[]) =>
    record({
      courses: [course('R1', 'regular', null)],
      cycles: cycles('R1', '2024-01-10', 2),
      labs: [...labSet('2024-01-05'), ...labs],
    });

  test('platelets grade 2 (60 ×10⁹/L) withhold the due cycle, with the grading reason', () => {
    const s = patientSummary(running(labSet('2024-04-28', { platelets: 60 })), {
      plannedDate: '2024-05-01',
    });
    expect(s.next.kind).toBe('next-cycle');
    if (s.next.kind !== 'next-cycle') return;
    expect(s.next.courseId).toBe('R1');
    expect(s.next.cycle).toBe(3);
    expect(s.next.dueDate).toBe('2024-05-01');
    expect(s.next.due).toBe(true);
    expect(s.next.dose.value.action).toBe('withhold');
    expect(s.next.dose.value.categories).toEqual(['thrombocytopenia']);
    expect(s.next.dose.value.activityGbq).toBeNull();
    const platelets = s.next.dose.because.find((r) => r.rule.startsWith('thrombocytopenia grade'));
    expect(platelets?.observed).toEqual({ value: 2, unit: 'CTCAE grade' });
    expect(platelets?.met).toBe(true);
    expect(s.flags).toEqual({ dueForCycle: false, withheld: true, eligibleForSalvage: false });
  });

  test('platelets 75 (grade 1) give 7.4 GBq and the patient is due', () => {
    const s = patientSummary(running(labSet('2024-04-28', { platelets: 75 })), {
      plannedDate: '2024-05-01',
    });
    if (s.next.kind !== 'next-cycle') throw new Error(`expected next-cycle, got ${s.next.kind}`);
    expect(s.next.dose.value).toEqual({ action: 'give', activityGbq: 7.4, categories: [] });
    expect(s.next.eligibility.value.outcome).toBe('eligible');
    expect(s.flags).toEqual({ dueForCycle: true, withheld: false, eligibleForSalvage: false });
  });

  test('before the due date nothing is flagged, whatever the labs', () => {
    const s = patientSummary(running(labSet('2024-04-01', { platelets: 60 })), {
      plannedDate: '2024-04-10',
    });
    if (s.next.kind !== 'next-cycle') throw new Error('expected next-cycle');
    expect(s.next.due).toBe(false);
    expect(s.next.dose.value.action).toBe('withhold');
    expect(s.flags.withheld).toBe(false);
    expect(s.flags.dueForCycle).toBe(false);
  });

  test('labs older than 28 days do not count: the cycle is withheld as not assessable', () => {
    const s = patientSummary(running(labSet('2024-03-20')), { plannedDate: '2024-05-01' });
    if (s.next.kind !== 'next-cycle') throw new Error('expected next-cycle');
    expect(s.next.dose.value.action).toBe('withhold');
    expect(s.next.dose.value.categories).toEqual([]);
    expect(s.next.dose.because[0]?.rule).toMatch(/not assessable/);
  });

  test('a cycle given at the reduced activity is followed by a return to the full activity', () => {
    const r = record({
      courses: [course('R1', 'regular', null)],
      cycles: [
        ...cycles('R1', '2024-01-10', 1),
        ...cycles('R1', '2024-03-20', 1, 3.7).map((c) => ({ ...c, cycle: 2 })),
      ],
      labs: [...labSet('2024-01-05'), ...labSet('2024-05-10')],
    });
    const s = patientSummary(r, { plannedDate: '2024-05-15' });
    if (s.next.kind !== 'next-cycle') throw new Error('expected next-cycle');
    expect(s.next.dose.value.action).toBe('return-to-full');
    expect(s.next.dose.value.activityGbq).toBe(7.4);
  });

  test('the creatinine rise is measured from the latest creatinine before the course start', () => {
    const s = patientSummary(running(labSet('2024-04-28', { creatinine: 115 })), {
      plannedDate: '2024-05-01',
    });
    if (s.next.kind !== 'next-cycle') throw new Error('expected next-cycle');
    // 115 against a baseline of 80 is +43.75%: renal toxicity.
    expect(s.next.dose.value.categories).toEqual(['renal']);
    const rise = s.next.dose.because.find((b) => b.rule.includes('creatinine up'));
    expect(rise?.rule).toContain('baseline 80');
  });

  test('each course lists its labs graded, from its start on', () => {
    const s = patientSummary(running(labSet('2024-04-28', { platelets: 60 })), {
      plannedDate: '2024-05-01',
    });
    expect(s.otherLabs.map((g) => g.lab.takenDate)).toEqual(Array(7).fill('2024-01-05'));
    const [r1] = s.courses;
    expect(r1?.running).toBe(true);
    expect(r1?.endpoints?.cyclesGiven).toBe(2);
    const platelets = r1?.labs.find((g) => g.lab.test === 'platelets');
    expect(platelets?.grade.value).toBe(2);
    expect(platelets?.grade.because.length).toBeGreaterThan(0);
  });
});

describe('after a course ended with progression: salvage', () => {
  // Regular course from 2018-01-10; partial response on 2018-06-01; progression on `pdDate`.
  const treated = (pdDate: string, labs: LabValue[], extra: Partial<PatientRecord> = {}) =>
    record({
      courses: [course('R1', 'regular', 'completed'), ...(extra.courses ?? [])],
      cycles: [...cycles('R1', '2018-01-10', 4), ...(extra.cycles ?? [])],
      labs: [...labSet('2018-01-05'), ...labs],
      lesions: [lesion('2018-01-05', 40, 30), lesion('2018-06-01', 20, 15), lesion(pdDate, 35, 30)],
    });

  test('a prior TTP of 29 months, a partial response and normal labs are eligible', () => {
    const s = patientSummary(treated('2020-06-01', labSet('2020-06-20')), { plannedDate: '2020-07-01' });
    expect(s.next.kind).toBe('salvage');
    if (s.next.kind !== 'salvage') return;
    expect(s.next.afterCourseId).toBe('R1');
    expect(s.next.eligibility.value.outcome).toBe('eligible');
    const ttp = s.next.eligibility.because.find((b) => b.rule.startsWith('prior-course TTP'));
    expect(ttp?.met).toBe(true);
    expect(ttp?.observed).toEqual({ value: 873 / 30.4375, unit: 'months' });
    const activity = s.next.eligibility.because.find((b) => b.rule.startsWith('cumulative prior activity'));
    expect(activity?.observed).toEqual({ value: 4 * 7.4, unit: 'GBq' });
    expect(s.flags).toEqual({ dueForCycle: false, withheld: false, eligibleForSalvage: true });
    expect(s.courses[0]?.endpoints?.bestResponse).toBe('PR');
  });

  test('progression after 12 months is not eligible, and says which criterion failed', () => {
    const s = patientSummary(treated('2019-01-10', labSet('2019-02-01')), { plannedDate: '2019-02-10' });
    if (s.next.kind !== 'salvage') throw new Error('expected salvage');
    expect(s.next.eligibility.value.outcome).toBe('not-eligible');
    expect(s.next.eligibility.value.criteria.find((c) => c.criterion === 'prior-ttp')?.status).toBe(
      'not-met',
    );
    expect(s.flags.eligibleForSalvage).toBe(false);
  });

  test('low platelets now make an otherwise eligible patient not eligible', () => {
    const s = patientSummary(treated('2020-06-01', labSet('2020-06-20', { platelets: 70 })), {
      plannedDate: '2020-07-01',
    });
    if (s.next.kind !== 'salvage') throw new Error('expected salvage');
    expect(s.next.eligibility.value.criteria.find((c) => c.criterion === 'platelets')?.status).toBe(
      'not-met',
    );
    expect(s.flags.eligibleForSalvage).toBe(false);
  });

  test('a salvage course entered before its first cycle is checked against the salvage criteria', () => {
    const s = patientSummary(
      treated('2020-06-01', labSet('2020-06-20'), { courses: [course('S1', 'salvage', null, 2)] }),
      { plannedDate: '2020-07-01' },
    );
    if (s.next.kind !== 'next-cycle') throw new Error(`expected next-cycle, got ${s.next.kind}`);
    expect(s.next.courseId).toBe('S1');
    expect(s.next.cycle).toBe(1);
    expect(s.next.eligibility.value.criteria.map((c) => c.criterion)).toContain('prior-ttp');
    expect(s.next.eligibility.value.eligible).toBe(true);
    expect(s.next.dose.value.action).toBe('give');
    expect(s.flags.dueForCycle).toBe(true);
    expect(s.courses.map((c) => [c.course.courseId, c.running])).toEqual([
      ['R1', false],
      ['S1', true],
    ]);
  });
});

describe('other next steps', () => {
  test('without a course: first-course eligibility', () => {
    const s = patientSummary(record({ labs: labSet('2024-05-20', { hemoglobin: 9 }) }), {
      plannedDate: '2024-06-01',
    });
    if (s.next.kind !== 'first-course') throw new Error('expected first-course');
    expect(s.next.eligibility.value.outcome).toBe('not-eligible');
    expect(s.next.eligibility.value.criteria.find((c) => c.criterion === 'hemoglobin')?.status).toBe(
      'not-met',
    );
  });

  test('a course completed without progression: follow-up, nothing flagged', () => {
    const s = patientSummary(
      record({ courses: [course('R1', 'regular', 'completed')], cycles: cycles('R1', '2023-01-10', 4) }),
      { plannedDate: '2024-06-01' },
    );
    expect(s.next.kind).toBe('follow-up');
    expect(s.flags).toEqual({ dueForCycle: false, withheld: false, eligibleForSalvage: false });
  });

  test('after death there is no next step', () => {
    const s = patientSummary(
      record({
        patient: { ...patient, deathDate: '2024-02-01' },
        courses: [course('R1', 'regular', null)],
        cycles: cycles('R1', '2024-01-10', 1),
      }),
      { plannedDate: '2024-06-01' },
    );
    expect(s.next.kind).toBe('none');
  });

  // A guard against a slow path, in CPU time so that a busy machine does not fail it; the benchmark
  // (`npm run bench`) measures the real figure.
  test('a stored summary takes milliseconds of CPU, not tens', () => {
    const r = record({
      courses: [course('R1', 'regular', 'completed'), course('S1', 'salvage', null, 2)],
      cycles: [...cycles('R1', '2018-01-10', 4), ...cycles('S1', '2020-07-01', 1)],
      labs: Array.from({ length: 40 }, (_, i) => labSet(addDays('2018-01-05', i * 21))).flat(),
      lesions: Array.from({ length: 12 }, (_, i) => lesion(addDays('2018-01-05', i * 60), 40 - i, 30)),
    });
    patientSummary(r, { plannedDate: '2020-09-01' });
    const t0 = process.cpuUsage();
    const runs = 50;
    for (let i = 0; i < runs; i += 1) patientSummary(r, { plannedDate: '2020-09-01' });
    const cpu = process.cpuUsage(t0);
    expect((cpu.user + cpu.system) / 1000 / runs).toBeLessThan(20);
  });
});
